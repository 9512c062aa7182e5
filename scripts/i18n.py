"""Rebuild the translation catalogues.

    .venv/bin/python scripts/i18n.py            # extract, derive zh_Hant, compile
    .venv/bin/python scripts/i18n.py --compile  # only compile .po → .mo (no gettext tools needed)

Extraction uses Django's makemessages (needs GNU gettext's xgettext). zh_Hant is derived from
zh_Hans with OpenCC (s2tw), except entries a translator marked with a "manual" comment.
Compiling uses polib, so a fresh machine needs no gettext tools.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LOCALES = ["zh_Hans", "zh_Hant", "mn_Mong"]


def extract() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
    for loc in LOCALES:
        args += ["-l", loc]
    args += ["--ignore", ".venv/*", "--ignore", "bench/*", "--ignore", "scripts/*"]
    subprocess.run(args, cwd=ROOT, check=True, env=env)  # noqa: S603


# Where OpenCC's phrase table picks the wrong character for our words: 签核 (to sign off)
# is 簽核 in Taiwan's usage; s2tw gives 籤核 (a lot, a tag).
TRADITIONAL_FIXES = {"籤核": "簽核"}


def derive_traditional() -> None:
    import opencc

    opencc_convert = opencc.OpenCC("s2tw").convert

    def convert(text: str) -> str:
        text = opencc_convert(text)
        for wrong, right in TRADITIONAL_FIXES.items():
            text = text.replace(wrong, right)
        return text

    source = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    target_path = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
    target = polib.pofile(str(target_path))
    by_id = {(e.msgctxt, e.msgid): e for e in source}
    for entry in target:
        if "manual" in (entry.tcomment or ""):
            continue
        src = by_id.get((entry.msgctxt, entry.msgid))
        if src is None or "fuzzy" in src.flags or not src.translated():
            continue  # nothing to copy: leave gettext's guess fuzzy (so unused)
        if src.msgstr:
            entry.msgstr = convert(src.msgstr)
        if src.msgstr_plural:
            entry.msgstr_plural = {k: convert(v) for k, v in src.msgstr_plural.items()}
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    target.save()


def compile_all() -> None:
    for loc in LOCALES:
        po_path = LOCALE / loc / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{loc}: {po.percent_translated()}% translated")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compile", action="store_true", help="only compile .po files")
    args = parser.parse_args()
    if not args.compile:
        extract()
        derive_traditional()
    compile_all()


if __name__ == "__main__":
    main()
