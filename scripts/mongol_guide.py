"""Build the Mongolian user guide (docs/guide/mn/*.md) from its transliteration.

    .venv/bin/python scripts/mongol_guide.py

Each ``docs/guide/mn/romanized/<page>.txt`` is written in the transliteration of
``nutag.core.mongol_script`` (the glossary is docs/mongolian.md), one Markdown line per line:
the leading ``#``, ``>`` or ``-`` is kept, the rest turned into the script; a line starting
with ``@`` is copied as it is (links, Chinese).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nutag.core.mongol_script import to_script  # noqa: E402

GUIDE = ROOT / "docs" / "guide" / "mn"
PREFIX = re.compile(r"^(#+ |> |- )?(.*)$")


def convert(line: str) -> str:
    if line.startswith("@"):
        return line[1:]
    match = PREFIX.match(line)
    prefix, text = (match.group(1) or "", match.group(2)) if match else ("", line)
    return prefix + (to_script(text) if text.strip() else "")


def main() -> None:
    for source in sorted((GUIDE / "romanized").glob("*.txt")):
        lines = source.read_text(encoding="utf-8").splitlines()
        out: list[str] = []
        for line in lines:
            if line.startswith("#") and out:
                out.append("")
            out.append(convert(line))
        target = GUIDE / f"{source.stem}.md"
        note = f"<!-- Built by scripts/mongol_guide.py from romanized/{source.name}; edit it. -->"
        target.write_text(note + "\n" + "\n".join(out) + "\n", encoding="utf-8")
        print(target.relative_to(ROOT))  # noqa: T201


if __name__ == "__main__":
    main()
