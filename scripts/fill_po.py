"""Fill simplified-Chinese translations from a small JSON map, then rebuild everything.

    .venv/bin/python scripts/fill_po.py '{"msgid": "译文"}'

A convenience for adding a few strings without a PO editor; prints what is still missing.
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
    updates = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.msgid in updates:
            entry.msgstr = updates[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    po.save()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py")], check=True)  # noqa: S603
    missing = [e.msgid for e in polib.pofile(str(PO)) if not e.translated() or "fuzzy" in e.flags]
    print("missing:", missing)  # noqa: T201


if __name__ == "__main__":
    main()
