"""Writes office_roster.xls, the legacy-Excel copy of the office roster (issue 11).

xlwt is not a dependency of the project: run this once with a throwaway environment
(``python -m venv /tmp/x && /tmp/x/bin/pip install xlwt && /tmp/x/bin/python
make_office_roster_xls.py``) and commit the file it writes. Every cell is written as text,
as an office that types 1950.03 into a text-formatted column has it.
"""

import sys
from pathlib import Path

import xlwt

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))  # nutag/people/tests: the rows

from office_roster import HEADER, sheet_rows  # noqa: E402


def main() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("五老花名册")
    rows = sheet_rows()
    sheet.write_merge(0, 0, 0, len(HEADER) - 1, rows[0][0])
    for r, cells in enumerate(rows[1:], start=1):
        for c, value in enumerate(cells):
            if value != "":
                sheet.write(r, c, value)
    book.save(str(HERE / "office_roster.xls"))


if __name__ == "__main__":
    main()
