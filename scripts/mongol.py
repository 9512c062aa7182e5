"""Fill the mn_Mong catalogue from a Latin transliteration (see nutag/core/mongol_script.py).

    .venv/bin/python scripts/mongol.py dump [--all] [--size 150]
        msgids lacking a translation (all with --all), with the simplified Chinese for meaning,
        → locale/mn_Mong/romanized/todo-NN.json
    .venv/bin/python scripts/mongol.py load [--overwrite]
        locale/mn_Mong/romanized/batch-*.json (msgid → transliteration) → django.po, compiled;
        only untranslated or fuzzy entries unless --overwrite
    .venv/bin/python scripts/mongol.py show "nam-un salag-a"
        print the script for a phrase

The translator writes written (classical) Mongolian letter for letter in the transliteration
of ``nutag.core.mongol_script``; the glossary is docs/mongolian.md. The .po file stays the
source of truth: strings added later may be written there directly in the script.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nutag.core.mongol_script import to_script

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
WORK = LOCALE / "mn_Mong" / "romanized"


def _key(entry) -> str:  # type: ignore[no-untyped-def]
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def dump(*, everything: bool, size: int) -> None:
    import polib

    zh = {_key(e): e.msgstr for e in polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))}
    done: set[str] = set()
    for path in WORK.glob("batch-*.json"):
        done |= set(json.loads(path.read_text()))
    po = polib.pofile(str(LOCALE / "mn_Mong/LC_MESSAGES/django.po"))
    todo = [
        e
        for e in po
        if not e.obsolete and _key(e) not in done and (everything or not e.translated() or e.fuzzy)
    ]
    WORK.mkdir(parents=True, exist_ok=True)
    for n in range(0, len(todo), size):
        chunk = {
            _key(e): {"zh": zh.get(_key(e), ""), "plural": e.msgid_plural or None}
            for e in todo[n : n + size]
        }
        path = WORK / f"todo-{n // size:02d}.json"
        path.write_text(json.dumps(chunk, ensure_ascii=False, indent=1))
        print(path, len(chunk))  # noqa: T201


def load(*, overwrite: bool) -> None:
    """Write the romanized translations into django.po: only where an entry is untranslated
    or fuzzy, unless ``overwrite`` (a translation fixed in the .po since is kept)."""
    import polib

    latin: dict[str, str | list[str]] = {}
    for path in sorted(WORK.glob("batch-*.json")):
        latin.update(json.loads(path.read_text()))
    po_path = LOCALE / "mn_Mong/LC_MESSAGES/django.po"
    po = polib.pofile(str(po_path))
    used = 0
    for entry in po:
        text = latin.get(_key(entry))
        if text is None or (entry.translated() and not entry.fuzzy and not overwrite):
            continue
        used += 1
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text]
            entry.msgstr_plural = {
                i: to_script(forms[min(i, len(forms) - 1)]) for i in range(len(entry.msgstr_plural))
            }
        else:
            entry.msgstr = to_script(str(text))
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"mn_Mong: {used} entries written, {po.percent_translated()}% translated")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--all", action="store_true")
    d.add_argument("--size", type=int, default=150)
    ld = sub.add_parser("load")
    ld.add_argument("--overwrite", action="store_true", help="also replace translated entries")
    s = sub.add_parser("show")
    s.add_argument("text")
    args = parser.parse_args()
    if args.command == "dump":
        dump(everything=args.all, size=args.size)
    elif args.command == "load":
        load(overwrite=args.overwrite)
    else:
        sys.stdout.write(to_script(args.text) + "\n")


if __name__ == "__main__":
    main()
