"""Reading roster files: formats and decoding, the header row, the table of data rows."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import io
import itertools
import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nutag.core.archives import check_zip
from nutag.people import columns as cols

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 10  # the header row is looked for among the first rows of a sheet
MAX_SHEETS = 20
MAX_COLUMNS = 256  # cells beyond are dropped: a cell at column XFD must not make rows 16,384 wide
MAX_CELL_CHARS = 2000  # a longer cell is cut (no column of ours holds more)
CSV_SNIFF_CHARS = 64 * 1024  # the delimiter is guessed from the start of the text only
# All the text of the rows kept. One long shared string can fill many cells of a small file;
# kept as rows, then as the preview's JSON, each would become its own copy. A real roster
# of 20,000 rows holds a few million characters.
MAX_TABLE_CHARS = 16 * 1024 * 1024

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".csv")

Cell = Any  # str | int | float | bool | date | datetime | None, as the readers give them


# --------------------------------------------------------------------------- reading files


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "This file could not be read as an Excel workbook (.xlsx, .xls) or a CSV file: "
            "it may be damaged, or another kind of file renamed. Please choose the file again."
        ),
        code="unreadable",
    )


def _capped(row: Any) -> list[Cell]:
    """A row as a list, at most ``MAX_COLUMNS`` wide, each text at most ``MAX_CELL_CHARS``."""
    cells = [
        c[:MAX_CELL_CHARS] if isinstance(c, str) and len(c) > MAX_CELL_CHARS else c
        for c in itertools.islice(row, MAX_COLUMNS)
    ]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _xlsx_sheets(data: bytes) -> Iterator[Iterator[list[Cell]]]:
    """Streamed (read-only mode): a row at a time, after the archive passed ``check_zip``."""
    import openpyxl

    check_zip(data)  # before openpyxl inflates anything
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets[:MAX_SHEETS]:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # trust the rows, not a stale size record
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            yield (_capped(row) for row in rows)
    finally:
        book.close()


def _xls_sheets(data: bytes) -> Iterator[Iterator[list[Cell]]]:
    import xlrd

    # on_demand: one sheet in memory at a time; ragged_rows: no padding to the widest row
    # logfile: xlrd prints its warnings, which must never reach stdout (importing/sandbox.py)
    book = xlrd.open_workbook(
        file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO()
    )

    def cell_value(cell: Any) -> Cell:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER):
            return cell.value
        return None

    try:
        for index in range(min(book.nsheets, MAX_SHEETS)):
            sheet = book.sheet_by_index(index)
            yield (
                _capped(cell_value(c) for c in sheet.row_slice(r, 0, MAX_COLUMNS))
                for r in range(sheet.nrows)
            )
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _csv_encoding(data: bytes) -> str:
    """The CSV's encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    The whole file is decoded once to check it, then let go: the rows are decoded again as
    they are read, so a file of millions of lines never sits in memory as text.
    """
    try:
        if data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif b"\x00" in data:
            raise _unreadable()
        else:
            try:
                data.decode("utf-8")
                encoding = "utf-8"
            except UnicodeDecodeError:
                encoding = "gb18030"
        start = data[:80000].decode(encoding, errors="ignore")
        data.decode(encoding)  # the whole file must decode
    except UnicodeDecodeError as exc:
        raise _unreadable() from exc
    if any(ord(c) < 32 and c not in "\t\r\n" for c in start[:20000]):
        raise _unreadable()  # binary content that happened to decode
    return encoding


def _csv_sheets(data: bytes) -> Iterator[Iterator[list[Cell]]]:
    encoding = _csv_encoding(data)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    # the delimiter is guessed from the start of the text only
    sample = stream.read(CSV_SNIFF_CHARS)
    stream.seek(0)
    head = [line for line in sample.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    counts = {d: sum(line.count(d) for line in head) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    yield (_capped(row) for row in csv.reader(stream, delimiter=delimiter))


def _sheets(data: bytes) -> Iterator[Iterator[list[Cell]]]:
    if data.startswith(XLSX_MAGIC):
        return _xlsx_sheets(data)
    if data.startswith(XLS_MAGIC):
        return _xls_sheets(data)
    return _csv_sheets(data)


def _text(value: Cell) -> str:
    """A cell as text: integral numbers without '.0', dates as ISO, Excel's ="..." unwrapped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return cols.YES if value else cols.NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1].strip()
    return text


# --------------------------------------------------------------------------- the header


MAX_EXTRA_COLUMNS = 30  # unknown columns kept as "other information"
# Headers of a column that only numbers the rows: never kept.
ROW_NUMBER_HEADERS = {"序号", "编号", "顺序号", "no", "no.", "#", "number"}


@dataclasses.dataclass
class _Layout:
    columns: dict[int, str]  # cell index → column key
    headers: dict[str, str]  # column key → the header as written in the file
    notices: list[tuple[str, str]]  # (header, message) for columns that are ignored
    data_start: int  # index of the first row below the header
    # cell index → header of a column the importer does not know, kept as other information
    extras: dict[int, str] = dataclasses.field(default_factory=dict)
    # cell index → the header as the file shows it, for the copy with a 问题 column
    titles: dict[int, str] = dataclasses.field(default_factory=dict)


def _keys_of(row: list[Cell]) -> dict[int, str]:
    keys: dict[int, str] = {}
    for i, cell in enumerate(row):
        text = _text(cell)
        key = cols.column_key(text) if text and len(text) <= 40 else None
        if key is not None:
            keys[i] = key
    return keys


def _find_layout(head: list[list[Cell]]) -> _Layout | None:
    """The header among the first rows: the row naming most known columns, with 姓名.

    A neighbouring row that holds further known headers (a two-row header whose upper
    cells are merged) adds its columns, so long as it holds no other text under them.
    """
    keyed = [_keys_of(row) for row in head]
    best, best_count = None, 0
    for idx, keys in enumerate(keyed):
        count = len(set(keys.values()))
        if "name" in keys.values() and count > best_count:
            best, best_count = idx, count
    if best is None:
        return None
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    duplicates: list[str] = []

    def take(idx: int) -> None:
        for i, key in sorted(keyed[idx].items()):
            if i in columns:
                continue
            if key in headers:
                duplicates.append(_text(head[idx][i]))
                continue
            columns[i] = key
            headers[key] = _text(head[idx][i])

    take(best)
    used = [best]
    for idx in (best - 1, best + 1):
        if not 0 <= idx < len(head):
            continue
        fresh = [i for i in keyed[idx] if i not in columns]
        clash = any(
            _text(cell) and i in columns and i not in keyed[idx] for i, cell in enumerate(head[idx])
        )
        if fresh and not clash:
            take(idx)
            used.append(idx)
    notices = [(text, _("Appears twice: the second column is ignored.")) for text in duplicates]
    extras: dict[int, str] = {}
    titles: dict[int, str] = {}
    for idx in sorted(used):
        for i, cell in enumerate(head[idx]):
            text = " ".join(_text(cell).split())
            if not text:
                continue
            titles.setdefault(i, text)
            if i in columns or i in keyed[idx]:
                continue
            if cols.header_token(text) in ROW_NUMBER_HEADERS:
                notices.append((text, _("Numbers the rows: it is ignored.")))
            elif cols.header_token(text) == cols.PROBLEM_HEADER:
                notices.append((text, _("The problems of an earlier import: ignored.")))
            elif text in extras.values() or text in headers.values():
                notices.append((text, _("Appears twice: the second column is ignored.")))
            elif len(extras) >= MAX_EXTRA_COLUMNS or len(text) > 40:
                notices.append((text, _("Not a known column: it is ignored.")))
            else:
                extras[i] = text
                notices.append(
                    (text, _("Not a known column: kept as the person's other information."))
                )
    for i, key in columns.items():
        titles[i] = headers[key]
    return _Layout(
        columns=columns,
        headers=headers,
        notices=notices,
        data_start=max(used) + 1,
        extras=extras,
        titles=titles,
    )


@dataclasses.dataclass
class _Table:
    layout: _Layout
    rows: list[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)


def _read_table(data: bytes) -> _Table:
    max_rows = settings.NUTAG_IMPORT_MAX_ROWS
    scan_limit = max(10 * max_rows, 100_000)
    try:
        for sheet in _sheets(data):
            head: list[list[Cell]] = []
            for row in sheet:
                head.append(list(row))
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
            layout = _find_layout(head)
            if layout is None:
                continue
            rows: list[tuple[int, list[Cell]]] = []
            chars = 0
            numbered = itertools.chain(
                list(enumerate(head, start=1))[layout.data_start :],
                enumerate(sheet, start=len(head) + 1),
            )
            for n, row in numbered:
                if not any(_text(c) for c in row):
                    if n > scan_limit:  # a sheet of endless formatted, empty rows
                        layout.notices.append(
                            (
                                "",
                                _("Reading stopped at empty row %(row)d: the sheet is too long.")
                                % {"row": n},
                            )
                        )
                        break
                    continue  # blank lines are skipped silently
                rows.append((n, list(row)))
                chars += sum(len(c) for c in row if isinstance(c, str))
                if chars > MAX_TABLE_CHARS:
                    raise ValidationError(
                        _(
                            "The file holds far more text than a roster: %(count)d rows hold "
                            "more than %(chars)d characters. Split it into smaller files."
                        )
                        % {"count": len(rows), "chars": MAX_TABLE_CHARS},
                        code="too_much_text",
                    )
                if len(rows) > max_rows:
                    raise ValidationError(
                        ngettext(
                            "The file has more than %(max)d row. Split it into smaller files.",
                            "The file has more than %(max)d rows. Split it into smaller files.",
                            max_rows,
                        )
                        % {"max": max_rows},
                        code="too_many_rows",
                    )
            return _Table(layout=layout, rows=rows)
    except (ValidationError, MemoryError):
        raise  # a memory limit reached is not the file's fault (importing/sandbox.py)
    except Exception as exc:
        logger.info("unreadable roster file: %r", exc)
        raise _unreadable() from exc
    raise ValidationError(
        _(
            "No header row found: one of the first %(count)d rows must name the columns, "
            "among them 姓名 (name). Download the template to see the columns."
        )
        % {"count": HEADER_SEARCH_ROWS},
        code="no_header",
    )
