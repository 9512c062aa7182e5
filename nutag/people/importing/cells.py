"""Cell parsers: one spreadsheet cell into a normalised, JSON-ready value."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.text import clean_name, clean_phone, to_halfwidth, to_simplified
from nutag.people import columns as cols
from nutag.people.ethnicity import ethnicity_from_text
from nutag.people.idcard import normalize_id_number, validate_id_number
from nutag.people.models import phone_validator

from .reading import Cell, _text

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
