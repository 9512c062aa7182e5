"""Build the Mongolian web font: a subset of Noto Sans Mongolian (SIL Open Font License 1.1).

    .venv/bin/python scripts/mongol_font.py [path/to/NotoSansMongolian-Regular.ttf]

Many phones ship no traditional-Mongolian font. The subset keeps the Mongolian block
(U+1800–U+18AF), the narrow no-break space and the joiners, with every OpenType layout
feature the shaping needs (initial, medial, final and isolated forms, FVS variants, the
vowel separator), and drops everything else (Latin, hinting). The result is committed as
nutag/core/static/core/fonts/NotoSansMongolian-subset.woff2 and declared only on mn-mong
pages (font-display: swap, a local font first). Needs fonttools[woff] (a dev dependency)
and, by default, Debian's fonts-noto-core.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/truetype/noto/NotoSansMongolian-Regular.ttf")
TARGET = ROOT / "nutag" / "core" / "static" / "core" / "fonts" / "NotoSansMongolian-subset.woff2"
UNICODES = "U+1800-18AF,U+202F,U+200C-200D,U+0020,U+00A0,U+25CC"


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    subset.main(
        [
            str(source),
            f"--unicodes={UNICODES}",
            "--layout-features=*",
            "--no-hinting",
            "--desubroutinize",
            "--flavor=woff2",
            f"--output-file={TARGET}",
        ]
    )
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size:,} bytes")  # noqa: T201


if __name__ == "__main__":
    main()
