"""Fill simplified-Chinese translations from a small JSON map, then rebuild everything.

    .venv/bin/python scripts/fill_po.py '{"msgid": "译文"}'
    .venv/bin/python scripts/fill_po.py @strings.json [@more.json …]

A convenience for adding strings without a PO editor: extracts first (so new msgids are in
the catalogue), fills, rebuilds, and prints what is still missing. A key
``"context\u0004msgid"`` fills a ``pgettext`` entry.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> None:
    updates: dict[str, str] = {}
    for arg in sys.argv[1:]:
        text = Path(arg[1:]).read_text(encoding="utf-8") if arg.startswith("@") else arg
        updates.update(json.loads(text))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py")], check=True)  # noqa: S603
    po = polib.pofile(str(PO))
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in updates:
            if entry.msgid_plural:  # Chinese has one plural form
                entry.msgstr_plural = {0: updates[key]}
            else:
                entry.msgstr = updates[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
    po.save()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py")], check=True)  # noqa: S603
    missing = [e.msgid for e in polib.pofile(str(PO)) if not e.translated() or "fuzzy" in e.flags]
    print("missing:", missing)  # noqa: T201


if __name__ == "__main__":
    main()
