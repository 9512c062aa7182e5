"""Spreadsheets out: one formatted .xlsx writer for every list the workbench offers.

Sheets get a bold frozen header row with a filter, widths fitted to the content (CJK
characters count twice), dates as dates, and text kept as text: a cell starting with "="
is never read as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

MAX_WIDTH = 50
_BAD_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def _width(value: Any) -> int:
    """Display width of a cell: CJK characters count twice."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


def _sheet_title(title: str) -> str:
    return _BAD_TITLE_CHARS.sub(" ", title).strip()[:31] or "Sheet"


def sheets_to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of one or more ``(title, headers, rows)`` sheets, each formatted alike:
    bold frozen header row with a filter, column widths fitted to the content, dates as
    dates and text kept as text (a leading '=' is never read as a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")
    for title, headers, rows in sheets:
        sheet = book.create_sheet(_sheet_title(title))
        widths = [_width(h) for h in headers]
        for c, header in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=c, value=str(header))
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
        r = 1
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, dt.datetime):
                    value = value.replace(tzinfo=None)
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    cell.data_type = "s"  # text, even if it starts with "="
                    cell.number_format = "@"
                if c > len(widths):
                    widths.append(0)
                widths[c - 1] = max(widths[c - 1], _width(value))
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = min(width + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"
        if headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(r, 1)}"
    if not book.worksheets:
        book.create_sheet("Sheet")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows_to_xlsx(*, headers: list[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """One formatted sheet: for any list the workbench offers as a download."""
    return sheets_to_xlsx([(title, headers, rows)])
