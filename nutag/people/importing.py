"""Roster import: read a spreadsheet, preview it, then apply it in the background.

``import_parse`` reads the upload (.xlsx, .xls or .csv in UTF-8, UTF-8 with BOM or
GB18030), finds the header row among the first rows (title rows and merged two-row headers
are fine), turns each line into a normalised row and checks it by running the very
services a real import runs, inside a savepoint that is rolled back: the preview shows the
errors the real run would raise, one message per bad row and column. ``import_confirm``
starts ``apply_import`` in the background, which saves every good row in its own
transaction, advances ``processed`` and never lets one bad row stop the rest.

Matching, so that importing the same file twice adds nobody:

- by ID number when the row has one (a person outside the importer's units is a row
  error that names nobody);
- else by home unit + name + (phone or birth date); failing that, the one person of that
  name in the unit stored without phone and birth date (so a roster first typed with names
  only can be completed later); a row with only a name matches the one person of that
  name in the unit.

A blank cell, or a column the file lacks, keeps what is stored: an import never erases
(clear a value in the person's form). A masked number (with ``*``, as an export for an
officer writes it) also keeps what is stored. Spreadsheets use Chinese headers whatever
the UI language; see ``nutag.people.columns``.
"""

from __future__ import annotations

import codecs
import copy
import csv
import dataclasses
import datetime as dt
import io
import itertools
import logging
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nutag.core.audit import audit_record
from nutag.core.masking import mask_id_number, mask_phone
from nutag.core.models import AuditAction
from nutag.core.tasks import enqueue
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.orgs.services import NotFound
from nutag.people import columns as cols
from nutag.people.ethnicity import ethnicity_from_text
from nutag.people.idcard import (
    id_number_birth_date,
    id_number_gender,
    normalize_id_number,
    validate_id_number,
)
from nutag.people.models import (
    ImportBatch,
    ImportStatus,
    PartyMembership,
    Person,
    YoungPerson,
    phone_validator,
)
from nutag.people.normalize import clean_name, clean_phone, to_halfwidth, to_simplified
from nutag.people.services import (
    CareInput,
    PartyInput,
    PersonInput,
    YouthInput,
    person_create,
    person_update,
)

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 10  # the header row is looked for among the first rows of a sheet
PROGRESS_STEP = 25  # rows between two progress saves
DRY_RUN_CHUNK = 200  # rows checked per transaction while previewing, and fetched at once
DRY_RUN_SECONDS = 8.0  # time the preview spends running the services on rows
MAX_SHEETS = 20
SHOWN_ERRORS = 500  # problems listed on the preview and result pages

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


def _xlsx_sheets(data: bytes) -> Iterator[Iterator[list[Cell]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets[:MAX_SHEETS]:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # trust the rows, not a stale size record
            yield (list(row) for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _xls_sheets(data: bytes) -> Iterator[Iterator[list[Cell]]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data)

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

    for sheet in book.sheets()[:MAX_SHEETS]:
        yield ([cell_value(c) for c in sheet.row(r)] for r in range(sheet.nrows))


def _decode_text(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise _unreadable()
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _unreadable() from exc
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:20000]):
        raise _unreadable()  # binary content that happened to decode
    return text


def _csv_sheets(data: bytes) -> Iterator[Iterator[list[Cell]]]:
    text = _decode_text(data)
    head = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    counts = {d: sum(line.count(d) for line in head) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    yield iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


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


@dataclasses.dataclass
class _Layout:
    columns: dict[int, str]  # cell index → column key
    headers: dict[str, str]  # column key → the header as written in the file
    notices: list[tuple[str, str]]  # (header, message) for columns that are ignored
    data_start: int  # index of the first row below the header


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
    for idx in used:
        for i, cell in enumerate(head[idx]):
            text = _text(cell)
            if text and i not in columns and i not in keyed[idx]:
                notices.append((text, _("Not a known column: it is ignored.")))
    return _Layout(columns=columns, headers=headers, notices=notices, data_start=max(used) + 1)


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
    except ValidationError:
        raise
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


# --------------------------------------------------------------------------- cells


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _RowError(Exception):
    """A problem with a whole row, shown under ``column`` (a column key, or "")."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_RE = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _date_from_text(text: str) -> dt.date:
    text = to_halfwidth(text).strip()
    parts = re.split(r"[\sT]+", text)
    if len(parts) == 2 and _TIME_RE.match(parts[1]):
        text = parts[0]  # "1960-05-01 00:00:00"
    for pattern in (_DATE_RE, _COMPACT_RE):
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    match = _MONTH_RE.match(text)
    if match:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueError(text)


def _date(value: Cell) -> str:
    bad = _("Not a date: write it like 1960-05-01.")
    try:
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, bool):
            raise _CellError(bad)
        elif isinstance(value, int | float):
            if float(value).is_integer() and 10000101 <= value <= 99991231:
                day = _date_from_text(str(int(value)))
            elif 1 <= value < 2958466:
                from openpyxl.utils.datetime import from_excel

                day = from_excel(value).date()  # an Excel date that lost its format
            else:
                raise _CellError(bad)
        else:
            day = _date_from_text(str(value))
    except (ValueError, OverflowError, TypeError) as exc:
        raise _CellError(bad) from exc
    if day.year < 1900:
        raise _CellError(bad)
    if day > timezone.localdate():
        raise _CellError(_("This date lies in the future."))
    return day.isoformat()


def _words(value: Cell) -> str:
    return to_simplified(to_halfwidth(_text(value))).strip().lower()


def _bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = _words(value)
    if word in cols.TRUE_WORDS:
        return True
    if word in cols.FALSE_WORDS:
        return False
    raise _CellError(_("Write 是 (yes) or 否 (no)."))


def _gender(value: Cell) -> str:
    gender = cols.GENDER_WORDS.get(_words(value))
    if gender is None:
        raise _CellError(_("Write 男 (male) or 女 (female)."))
    return gender


def _ethnicity(value: Cell) -> str:
    code = ethnicity_from_text(to_simplified(to_halfwidth(_text(value))))
    if code is None:
        raise _CellError(_("Unknown ethnic group: write it like 汉族 or 蒙古族."))
    return code


def _elder(value: Cell) -> str:
    word = _words(value)
    if word in cols.ELDER_NONE_WORDS:
        return ""
    code = cols.ELDER_WORDS.get(word)
    if code is None:
        raise _CellError(
            _("Unknown five-elder category: write 老干部, 老战士, 老专家, 老教师 or 老模范.")
        )
    return code


def _phone(value: Cell) -> str:
    text = to_halfwidth(_text(value)).strip().lstrip("'")
    if "*" in text:
        return text.replace(" ", "")  # masked, as an export shows it: keeps what is stored
    phone = clean_phone(text)
    if phone:
        try:
            phone_validator(phone)
        except ValidationError as exc:
            raise _CellError(exc.messages[0]) from exc
    return phone


def _id_number(value: Cell) -> str:
    if isinstance(value, float):
        raise _CellError(
            _(
                "The ID number was stored as a number and lost its last digits: "
                "format the column as text and type the number again."
            )
        )
    text = _text(value).lstrip("'")
    if "*" in text:
        return to_halfwidth(text).replace(" ", "").upper()
    id_number = normalize_id_number(text)
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            raise _CellError(exc.messages[0]) from exc
    return id_number


def _plain(value: Cell) -> str:
    return _text(value)


def _digits(value: Cell) -> str:
    return to_halfwidth(_text(value)).strip()


PARSERS = {
    "name": lambda v: clean_name(_text(v)),
    "unit": _digits,
    "unit_code": _digits,
    "gender": _gender,
    "ethnicity": _ethnicity,
    "birth_date": _date,
    "phone": _phone,
    "id_number": _id_number,
    "party": _bool,
    "joined_on": _date,
    "is_mobile": _bool,
    "current_location": _plain,
    "care": _bool,
    "elder_category": _elder,
    "youth": _bool,
    "school": _plain,
    "is_resident": _bool,
    "is_retired": _bool,
    "note": _plain,
}


# --------------------------------------------------------------------------- rows


class _Units:
    """The units a row may name: the import's unit and every unit below it."""

    def __init__(self, root: Unit) -> None:
        self.root = root
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in Unit.objects.filter(subtree_q(root.path)):
            self.by_code[unit.code] = unit
            self.by_name[clean_name(unit.name)].append(unit)

    def unknown(self) -> _CellError:
        return _CellError(
            _("Unknown unit: write the name or code of %(unit)s or of a unit under it.")
            % {"unit": self.root.name}
        )

    def find(self, text: str, *, code_only: bool = False) -> Unit:
        if text.isdigit():
            unit = self.by_code.get(text)
            if unit is None:
                raise self.unknown()
            return unit
        if code_only:
            raise self.unknown()
        found = self.by_name.get(clean_name(text), [])
        if len(found) > 1:
            found = [u for u in found if u.is_active] or found
        if len(found) > 1:
            raise _CellError(_("Several units have this name: write the unit code instead."))
        if not found:
            raise self.unknown()
        return found[0]


# Text columns whose length the models limit: checked on reading, by the models' validators.
_LENGTH_CHECKED = {
    "name": Person._meta.get_field("name"),
    "note": Person._meta.get_field("note"),
    "current_location": PartyMembership._meta.get_field("current_location"),
    "school": YoungPerson._meta.get_field("school"),
}


@dataclasses.dataclass
class _Context:
    user: AnyUser
    unit: Unit
    units: _Units
    headers: dict[str, str]
    # People the rows of the current chunk may match, fetched once per chunk.
    by_id: dict[str, Person] = dataclasses.field(default_factory=dict)
    by_home: dict[tuple[int, str], list[Person]] = dataclasses.field(default_factory=dict)

    def column(self, key: str) -> str:
        return self.headers.get(key) or cols.HEADER.get(key, "")

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        """Fetch the people ``rows`` may match: two queries for the whole chunk."""
        ids = {r["id_number"] for r in rows if r.get("id_number") and not _masked(r["id_number"])}
        self.by_id = {p.id_number: p for p in _PEOPLE.filter(id_number__in=ids)} if ids else {}
        homes: set[int] = set()
        for r in rows:
            unit = self.units.by_code.get(r.get("unit_code", ""))
            homes.add(unit.pk if unit else self.unit.pk)
        names = {r["name"] for r in rows}
        self.by_home = defaultdict(list)
        for person in _PEOPLE.filter(unit_id__in=homes, name__in=names).order_by("pk"):
            self.by_home[(person.unit_id, person.name)].append(person)


def _parse_row(cells: list[Cell], ctx: _Context, layout: _Layout) -> tuple[dict[str, Any], list]:
    """A row as a dict of normalised, JSON-ready values, and its problems (key, message)."""
    row: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for i, key in layout.columns.items():
        value = cells[i] if i < len(cells) else None
        if not _text(value):
            continue
        try:
            parsed = PARSERS[key](value)
        except _CellError as exc:
            problems.append((key, exc.message))
            continue
        if parsed != "" or key == "elder_category":
            row[key] = parsed
    for key, field in _LENGTH_CHECKED.items():
        if key in row:
            try:
                field.run_validators(row[key])
            except ValidationError as exc:
                problems.append((key, exc.messages[0]))
    if not row.get("name") and not any(key == "name" for key, _m in problems):
        problems.append(("name", _("A name is required.")))
    # The unit: by name or code (单位), or by code (单位代码); they must agree.
    try:
        named = ctx.units.find(row.pop("unit")) if "unit" in row else None
    except _CellError as exc:
        problems.append(("unit", exc.message))
        named = None
    try:
        coded = ctx.units.find(row["unit_code"], code_only=True) if "unit_code" in row else None
    except _CellError as exc:
        problems.append(("unit_code", exc.message))
        coded = None
    if named and coded and named.pk != coded.pk:
        problems.append(("unit_code", _("This code names another unit than the unit column.")))
    elif (target := coded or named) is not None:
        if not target.is_active:
            problems.append(("unit", _("This unit is closed.")))
        row["unit_code"] = target.code
    # A "no" beside details that say "yes".
    if row.get("party") is False and (
        row.get("joined_on") or row.get("is_mobile") or row.get("current_location")
    ):
        problems.append(("party", _("Says 否 (no), yet Party details are filled in.")))
    if row.get("care") is False and row.get("elder_category"):
        problems.append(("care", _("Says 否 (no), yet a five-elder category is filled in.")))
    if row.get("youth") is False and row.get("school"):
        problems.append(("youth", _("Says 否 (no), yet a school is filled in.")))
    return row, problems


def _role(person: Person, name: str) -> Any:
    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def person_input_of(person: Person) -> PersonInput:
    """What is stored about ``person``, as the services take it."""
    party, care, youth = _role(person, "party"), _role(person, "care"), _role(person, "youth")
    return PersonInput(
        name=person.name,
        gender=person.gender,
        ethnicity=person.ethnicity,
        birth_date=person.birth_date,
        phone=person.phone,
        id_number=person.id_number,
        is_resident=person.is_resident,
        is_retired=person.is_retired,
        note=person.note,
        party=PartyInput(
            joined_on=party.joined_on,
            is_mobile=party.is_mobile,
            current_location=party.current_location,
        )
        if party
        else None,
        care=CareInput(elder_category=care.elder_category, since=care.since) if care else None,
        youth=YouthInput(school=youth.school) if youth else None,
    )


def _masked(value: Any) -> bool:
    return isinstance(value, str) and "*" in value


def _merge(row: dict[str, Any], base: PersonInput) -> PersonInput:
    """``base`` with the row's filled-in cells laid over it."""
    data = copy.deepcopy(base)
    data.name = row["name"]
    for key in ("gender", "ethnicity", "is_resident", "is_retired", "note"):
        if key in row:
            setattr(data, key, row[key])
    if "birth_date" in row:
        data.birth_date = dt.date.fromisoformat(row["birth_date"])
    for key in ("phone", "id_number"):
        if key in row and not _masked(row[key]):
            setattr(data, key, row[key])

    wants = row.get("party")
    if wants is False:
        data.party = None
    elif (
        wants
        or row.get("joined_on")
        or row.get("is_mobile")
        or row.get("current_location")
        or (data.party is not None)
    ):
        party = data.party or PartyInput()
        if "joined_on" in row:
            party.joined_on = dt.date.fromisoformat(row["joined_on"])
        if "is_mobile" in row:
            party.is_mobile = row["is_mobile"]
        if "current_location" in row:
            party.current_location = row["current_location"]
        data.party = party

    wants = row.get("care")
    category = row.get("elder_category")
    if wants is False:
        data.care = None
    elif wants or category or data.care is not None:
        care = data.care or CareInput()
        if category is not None:
            care.elder_category = category
        data.care = care

    wants = row.get("youth")
    if wants is False:
        data.youth = None
    elif wants or "school" in row or data.youth is not None:
        youth = data.youth or YouthInput()
        if "school" in row:
            youth.school = row["school"]
        data.youth = youth
    return data


def _settled(data: PersonInput) -> PersonInput:
    """``data`` as the services would store it, to tell an unchanged row."""
    out = copy.deepcopy(data)
    out.name = clean_name(out.name)
    out.phone = clean_phone(out.phone) if out.phone else ""
    out.id_number = normalize_id_number(out.id_number) if out.id_number else ""
    out.note = out.note.strip()
    if len(out.id_number) == 18 and out.id_number[:17].isdigit():
        if out.birth_date is None:
            out.birth_date = id_number_birth_date(out.id_number)
        if not out.gender:
            out.gender = id_number_gender(out.id_number)
    out.is_retired = out.is_retired or bool(out.care and out.care.elder_category)
    return out


_PEOPLE = Person.objects.select_related("unit", "party", "care", "youth")


def _match(row: dict[str, Any], ctx: _Context, unit: Unit | None) -> Person | None:
    id_number = row.get("id_number", "")
    if id_number and not _masked(id_number):
        person = ctx.by_id.get(id_number)
        if person is not None:
            if not has_unit_perm(user=ctx.user, perm=Perm.CHANGE_PEOPLE, unit=person.unit):
                raise _RowError(
                    "id_number",
                    _(
                        "This ID number belongs to a person outside the units you manage: "
                        "ask the office above you to move that person here."
                    ),
                )
            return person
    home = unit or ctx.unit
    candidates = list(ctx.by_home.get((home.pk, row["name"]), []))
    if _masked(id_number):
        candidates = [
            c for c in candidates if c.id_number and mask_id_number(c.id_number) == id_number
        ]
    elif id_number:
        candidates = [c for c in candidates if not c.id_number]  # another ID: someone else
    phone, birth = row.get("phone"), row.get("birth_date")
    if phone or birth:

        def same_phone(stored: str) -> bool:
            if _masked(phone):
                return bool(stored) and mask_phone(stored) == phone
            return stored == phone

        same = [
            c
            for c in candidates
            if (phone and same_phone(c.phone))
            or (birth and c.birth_date and c.birth_date.isoformat() == birth)
        ]
        # Else someone stored without these details (nothing contradicts): the row adds them.
        candidates = same or [
            c for c in candidates if (not phone or not c.phone) and (not birth or not c.birth_date)
        ]
    if len(candidates) > 1:
        raise _RowError(
            "name",
            _(
                "Several people of %(unit)s match this row: "
                "add the ID number, phone or birth date to tell them apart."
            )
            % {"unit": home.name},
        )
    return candidates[0] if candidates else None


def _save_row(
    row: dict[str, Any], ctx: _Context, seen: dict[tuple[Any, ...], int], *, write: bool = True
) -> str:
    """Create, update or leave one person: 'created', 'updated' or 'unchanged'.

    With ``write=False`` only match and compare, without calling the services.
    """
    unit = None
    if "unit_code" in row:
        unit = ctx.units.by_code.get(row["unit_code"])
        if unit is None:
            raise _RowError("unit", ctx.units.unknown().message)
    person = _match(row, ctx, unit)
    if person is None:
        for key in ("phone", "id_number"):
            if _masked(row.get(key)):
                raise _RowError(
                    key,
                    _("This number is masked (it has *): write it in full, or leave it blank."),
                )
        target = unit or ctx.unit
        data = _merge(row, PersonInput(name=row["name"]))
    else:
        target = unit or person.unit
        data = _merge(row, person_input_of(person))

    settled = _settled(data)
    keys: list[tuple[Any, ...]] = []
    if person is not None:
        keys.append(("person", person.pk))
    if settled.id_number:
        keys.append(("id", settled.id_number))
    if person is None:
        keys.append(("new", target.pk, settled.name, settled.phone, settled.birth_date))
    for dup in keys:
        if dup in seen:
            raise _RowError(
                "id_number" if dup[0] == "id" else "name",
                _("The same person is already on row %(row)d of this file.") % {"row": seen[dup]},
            )

    if person is None:
        if write:
            person_create(acting_user=ctx.user, unit=target, data=data)
        outcome = "created"
    elif person.unit_id == target.pk and settled == _settled(person_input_of(person)):
        outcome = "unchanged"
    else:
        if write:
            person_update(acting_user=ctx.user, person=person, unit=target, data=data)
        outcome = "updated"
    for dup in keys:
        seen[dup] = row["row"]
    return outcome


def _problem(ctx: _Context, row: int, key: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": ctx.column(key) if key else "", "message": str(message)}


def _service_problems(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (cols.FIELD_COLUMN.get(field, ""), str(message))
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", str(message)) for message in exc.messages]


def _outside() -> str:
    return _("This person or unit lies outside the units you manage.")


class _DryRun(Exception):
    """Raised to roll back a row checked for the preview."""


CHECK, DRY_RUN, SAVE = "check", "dry-run", "save"


def _try_row(
    row: dict[str, Any], ctx: _Context, seen: dict[tuple[Any, ...], int], *, mode: str
) -> tuple[str | None, list[dict[str, Any]]]:
    """One row: (outcome, problems).

    ``SAVE`` saves it in its own savepoint; ``DRY_RUN`` runs the services too, then rolls
    back; ``CHECK`` only matches and compares.
    """
    number = row["row"]
    try:
        if mode == CHECK:
            outcome = _save_row(row, ctx, seen, write=False)
        else:
            with transaction.atomic():
                outcome = _save_row(row, ctx, seen)
                if mode == DRY_RUN:
                    raise _DryRun
    except _DryRun:
        return outcome, []
    except _RowError as exc:
        return None, [_problem(ctx, number, exc.column, exc.message)]
    except ValidationError as exc:
        return None, [_problem(ctx, number, k, m) for k, m in _service_problems(exc)]
    except NotFound:
        return None, [_problem(ctx, number, "", _outside())]
    return outcome, []


# --------------------------------------------------------------------------- services


def _read_upload(uploaded_file: UploadedFile) -> bytes:
    limit = settings.NUTAG_IMPORT_MAX_BYTES
    too_big = ValidationError(
        _("The file is larger than %(size)s MB.") % {"size": round(limit / 1024 / 1024, 1)},
        code="too_big",
    )
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise too_big
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def import_parse(*, acting_user: AnyUser, unit: Unit, uploaded_file: UploadedFile) -> ImportBatch:
    """Read a roster file into a batch waiting for confirmation (404 without the right).

    Raises ``ValidationError`` for a file that cannot be used at all (too big, unreadable,
    no header row, too many rows); every problem within a row goes into ``batch.errors``.
    """
    if not has_unit_perm(user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=unit):
        raise NotFound
    if not unit.is_active:
        raise ValidationError(_("A closed unit cannot receive people."), code="closed")
    data = _read_upload(uploaded_file)
    table = _read_table(data)
    ctx = _Context(user=acting_user, unit=unit, units=_Units(unit), headers=table.layout.headers)
    errors: list[dict[str, Any]] = [
        {"row": 0, "column": header, "message": str(message), "notice": True}
        for header, message in table.layout.notices
    ]
    parsed: list[dict[str, Any]] = []
    for number, cells in table.rows:
        row, problems = _parse_row(cells, ctx, table.layout)
        row["row"] = number
        if problems:
            errors.extend(_problem(ctx, number, key, message) for key, message in problems)
        else:
            parsed.append(row)
    good: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    # Rows are checked by the real services in savepoints that are rolled back, a few
    # hundred per transaction so a long file never holds the database for long. Past
    # DRY_RUN_SECONDS the rest are only matched (the services check them when applied),
    # so that a very long file still gets its preview within one request.
    deadline = time.monotonic() + DRY_RUN_SECONDS
    checked_in_full = 0
    for start in range(0, len(parsed), DRY_RUN_CHUNK):
        chunk = parsed[start : start + DRY_RUN_CHUNK]
        mode = DRY_RUN if time.monotonic() < deadline else CHECK
        with transaction.atomic():
            ctx.prefetch(chunk)
            for row in chunk:
                outcome, problems = _try_row(row, ctx, seen, mode=mode)
                if outcome is None:
                    errors.extend(problems)
                else:
                    row["expect"] = outcome  # shown on the preview; re-checked when applied
                    good.append(row)
        if mode == DRY_RUN:
            checked_in_full += len(chunk)
    if checked_in_full < len(parsed):
        errors.append(
            {
                "row": 0,
                "column": "",
                "message": _(
                    "The file is long: %(checked)d of %(total)d rows were checked in full "
                    "now; the others are checked as they are imported."
                )
                % {"checked": checked_in_full, "total": len(parsed)},
                "notice": True,
            }
        )
    errors.sort(key=lambda e: e["row"])
    file_name = os.path.basename((uploaded_file.name or "").replace("\\", "/"))[:200]
    return ImportBatch.objects.create(
        unit=unit,
        created_by=acting_user if acting_user.is_authenticated else None,
        file_name=file_name or "roster",
        status=ImportStatus.PREVIEW,
        rows=good,
        errors=errors,
        total=len(good),
    )


@transaction.atomic
def import_confirm(*, acting_user: AnyUser, batch: ImportBatch) -> ImportBatch:
    """Start applying a previewed batch in the background."""
    batch = ImportBatch.objects.select_for_update().select_related("unit").get(pk=batch.pk)
    if not has_unit_perm(user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit):
        raise NotFound
    if batch.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import has already been confirmed."), code="not_preview")
    if not batch.rows:
        raise ValidationError(_("The file has no good row to import."), code="empty")
    batch.status = ImportStatus.RUNNING
    batch.processed = 0
    batch.save(update_fields=["status", "processed", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.IMPORT,
        obj=batch,
        unit=batch.unit,
        changes={"rows": [None, batch.total]},
        note=batch.file_name,
    )
    enqueue(
        "nutag.people.importing.apply_import",
        batch_id=batch.pk,
        language=translation.get_language(),
    )
    return batch


def apply_import(*, batch_id: int, language: str | None = None) -> None:
    """Apply a confirmed batch (background task): every good row in its own transaction."""
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            _apply(batch_id)
        except Exception as exc:
            logger.exception("roster import %s failed", batch_id)
            ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.RUNNING).update(
                status=ImportStatus.FAILED,
                failure=_("The import stopped because of an unexpected error (%(error)s).")
                % {"error": type(exc).__name__},
                updated_at=timezone.now(),
            )


def _apply(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("unit", "created_by").get(pk=batch_id)
    if batch.status != ImportStatus.RUNNING:
        return
    user = batch.created_by
    if user is None or not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit):
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            failure=_("The person who started this import no longer manages this unit."),
            updated_at=timezone.now(),
        )
        return
    ctx = _Context(user=user, unit=batch.unit, units=_Units(batch.unit), headers={})
    errors = list(batch.errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    seen: dict[tuple[Any, ...], int] = {}

    def save_progress(processed: int, **extra: Any) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            processed=processed,
            created_count=counts["created"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            errors=sorted(errors, key=lambda e: e["row"]),
            updated_at=timezone.now(),
            **extra,
        )

    processed = 0
    for processed, row in enumerate(batch.rows, start=1):
        if processed % DRY_RUN_CHUNK == 1:
            ctx.prefetch(batch.rows[processed - 1 : processed - 1 + DRY_RUN_CHUNK])
        try:
            outcome, problems = _try_row(row, ctx, seen, mode=SAVE)
        except Exception:
            logger.exception("roster import %s: row %s", batch.pk, row.get("row"))
            outcome, problems = None, [_problem(ctx, row["row"], "", _("Could not be saved."))]
        if outcome is None:
            errors.extend(problems)
        else:
            counts[outcome] += 1
        if processed % PROGRESS_STEP == 0:
            save_progress(processed)
    save_progress(batch.total, status=ImportStatus.DONE)


# --------------------------------------------------------------------------- reads


def access_import_batch(*, user: AnyUser, pk: int | str) -> ImportBatch:
    """The batch if ``user`` may change people of its unit; 404 for missing and not yours."""
    try:
        batch = ImportBatch.objects.select_related("unit").get(pk=int(pk))
    except (ImportBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit):
        raise Http404
    return batch


def import_batches_of_unit(*, user: AnyUser, unit: Unit, limit: int = 10) -> QuerySet[ImportBatch]:
    if not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=unit):
        raise Http404
    return ImportBatch.objects.filter(unit=unit).defer("rows", "errors")[:limit]


@dataclasses.dataclass
class BatchReport:
    """What the preview and result pages show about a batch."""

    notices: list[str]
    problems: list[str]  # the first SHOWN_ERRORS messages
    problem_count: int
    bad_rows: int
    good_rows: int
    expected: dict[str, int]  # 'created' / 'updated' / 'unchanged' → rows, as previewed

    @property
    def more(self) -> int:
        """Problems not listed on the page."""
        return self.problem_count - len(self.problems)


def problem_text(problem: dict[str, Any]) -> str:
    """One stored problem as a sentence in the current language."""
    if problem.get("notice"):
        if not problem.get("column"):
            return str(problem["message"])
        return _("Column %(column)s: %(message)s") % problem
    if problem.get("column"):
        return _("Row %(row)d, column %(column)s: %(message)s") % problem
    return _("Row %(row)d: %(message)s") % problem


def batch_report(*, batch: ImportBatch) -> BatchReport:
    notices = [problem_text(p) for p in batch.errors if p.get("notice")]
    problems = [p for p in batch.errors if not p.get("notice")]
    return BatchReport(
        notices=notices,
        problems=[problem_text(p) for p in problems[:SHOWN_ERRORS]],
        problem_count=len(problems),
        bad_rows=len({p["row"] for p in problems}),
        good_rows=batch.total,
        expected={
            outcome: sum(1 for r in batch.rows if r.get("expect") == outcome)
            for outcome in ("created", "updated", "unchanged")
        },
    )
