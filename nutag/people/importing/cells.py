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
from nutag.people.partial_dates import DatePrecision, PartialDate

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


# ---------------------------------------------------------------------- the tables
# One table per kind of value, each row tested (tests/test_importing_cells.py). Cells are
# compared after ``_words``: full-width made half-width, traditional made simplified,
# spaces and line breaks between Chinese characters removed, lower case.

# Dates: (pattern on the cell's text, precision, examples). Numbers are read first:
# 1986 is a year, 195001 a month, 19500501 a day; in a number cell 1950.01 is January
# 1950, 1950.5 May and 1950.1 October (Excel drops the 0 of 1950.10); other numbers are
# Excel date serials.
DATE_FORMS: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (
        re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
        DatePrecision.DAY,
        ("1950-05-01", "1950/5/1", "1950.05.01", "1950年5月1日"),
    ),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), DatePrecision.DAY, ("19500501",)),
    (
        re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),
        DatePrecision.MONTH,
        ("1950-05", "1950-5", "1950/05", "1950.05", "1950.5", "1950年5月"),
    ),
    (re.compile(r"^(\d{4})(\d{2})$"), DatePrecision.MONTH, ("195005",)),
    (re.compile(r"^(\d{4})年?$"), DatePrecision.YEAR, ("1950", "1950年")),
]

GENDER_WORDS: dict[str, str] = {
    **cols.GENDER_WORDS,
    "男士": "m", "男的": "m", "先生": "m",
    "女士": "f", "女的": "f",
}  # fmt: skip

# Yes/no columns (党员, 流动党员, 居民 …): a tick, a cross, a letter, or the Party word.
YES_NO_WORDS: dict[str, bool] = {
    **dict.fromkeys(cols.TRUE_WORDS, True),
    **dict.fromkeys(cols.FALSE_WORDS, False),
    "党员": True, "中共党员": True, "共产党员": True, "预备党员": True,
    "群众": False, "非党员": False, "团员": False, "共青团员": False,
    "✕": False, "x": False,
}  # fmt: skip

# Ethnic groups as offices abbreviate them; full names (蒙古族, 达斡尔族, 蒙古, 02, Mongol)
# are read by ``ethnicity_from_text``. 鄂 is 鄂温克 (Ewenki), as in Hulunbuir rosters.
ETHNICITY_WORDS: dict[str, str] = {
    "汉": "01", "汉人": "01",
    "蒙": "02", "蒙族": "02", "蒙古人": "02",
    "回": "03", "藏": "04", "维": "05", "维族": "05", "苗": "06", "彝": "07", "壮": "08",
    "朝": "10", "朝族": "10", "朝鲜": "10",
    "满": "11",
    "达": "31", "达族": "31", "达斡尔": "31", "达斡尔族": "31",
    "鄂": "45", "鄂温克": "45", "鄂族": "45",
    "鄂伦春": "52",
    "俄": "44", "俄族": "44", "俄罗斯": "44",
    "锡伯": "38", "锡": "38",
}  # fmt: skip

ELDER_WORDS: dict[str, str] = {
    **cols.ELDER_WORDS,
    "离退休干部": "cadre", "退休干部": "cadre", "离休干部": "cadre",
    "退役军人": "veteran", "退伍军人": "veteran", "老军人": "veteran",
    "退休教师": "teacher", "劳模": "model_worker", "劳动模范": "model_worker",
}  # fmt: skip
ELDER_NONE_WORDS: set[str] = {*cols.ELDER_NONE_WORDS, "", "非五老"}

_TIME_RE = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_SPACE_RE = re.compile(r"\s+")
_CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def _date_from_text(text: str) -> PartialDate:
    text = to_halfwidth(text).strip()
    parts = re.split(r"[\sT]+", text)
    if len(parts) == 2 and _TIME_RE.match(parts[1]):
        text = parts[0]  # "1960-05-01 00:00:00"
    text = _SPACE_RE.sub("", text)
    for pattern, _precision, _examples in DATE_FORMS:
        match = pattern.match(text)
        if match:
            return PartialDate(*(int(g) for g in match.groups()))
    raise ValueError(text)


def _date_from_number(value: int | float) -> PartialDate:
    from openpyxl.utils.datetime import from_excel

    number = float(value)
    whole = int(number)
    if number.is_integer():
        if 1900 <= whole <= 2100 or 190001 <= whole <= 210012 or 19000101 <= whole <= 21001231:
            return _date_from_text(str(whole))
    elif 1900 <= whole <= 2100:
        fraction = repr(number).partition(".")[2]  # as Excel shows it: 1950.01, 1950.1
        month = int(fraction) * (10 if len(fraction) == 1 else 1)
        if len(fraction) == 1 and fraction != "1":
            month = int(fraction)  # 1950.5: May (50 is no month)
        return PartialDate(whole, month)
    if 1 <= number < 2958466:
        return PartialDate.of(from_excel(number).date())  # an Excel date that lost its format
    raise ValueError(value)


def _date(value: Cell) -> str:
    """A date at the precision the cell gives, as ``PartialDate.iso()``."""
    bad = _("Not a date: write it like 1960-05-01, 1960.05 or 1960.")
    try:
        if isinstance(value, dt.datetime):
            day = PartialDate.of(value.date())
        elif isinstance(value, dt.date):
            day = PartialDate.of(value)
        elif isinstance(value, bool):
            raise _CellError(bad)
        elif isinstance(value, int | float):
            day = _date_from_number(value)
        else:
            day = _date_from_text(str(value))
    except (ValueError, OverflowError, TypeError) as exc:
        raise _CellError(bad) from exc
    if day.year < 1900:
        raise _CellError(bad)
    if day.first_day > timezone.localdate():
        raise _CellError(_("This date lies in the future."))
    return day.iso()


def _words(value: Cell) -> str:
    """A cell as a word of the tables: no spaces or line breaks between Chinese characters
    ("汉 族"), single spaces between other words ("model worker")."""
    text = _SPACE_RE.sub(" ", to_simplified(to_halfwidth(_text(value)))).strip()
    return _CJK_GAP_RE.sub("", text).lower()


def _bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    answer = YES_NO_WORDS.get(_words(value))
    if answer is not None:
        return answer
    raise _CellError(_("Write 是 (yes) or 否 (no)."))


def _gender(value: Cell) -> str:
    gender = GENDER_WORDS.get(_words(value))
    if gender is None:
        raise _CellError(_("Write 男 (male) or 女 (female)."))
    return gender


def _ethnicity(value: Cell) -> str:
    word = _words(value)
    code = ETHNICITY_WORDS.get(word) or ethnicity_from_text(word)
    if code is None:
        raise _CellError(_("Unknown ethnic group: write it like 汉族 or 蒙古族."))
    return code


def _elder(value: Cell) -> str:
    word = _words(value)
    if word in ELDER_NONE_WORDS:
        return ""
    code = ELDER_WORDS.get(word)
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
    text = _SPACE_RE.sub("", _text(value)).lstrip("'")
    if "*" in text:
        return to_halfwidth(text).upper()
    id_number = normalize_id_number(text)
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            raise _CellError(exc.messages[0]) from exc
    return id_number


def _plain(value: Cell) -> str:
    """Free text: kept as written, its line breaks and runs of spaces made one space."""
    return _SPACE_RE.sub(" ", _text(value)).strip()


def _digits(value: Cell) -> str:
    return _SPACE_RE.sub("", to_halfwidth(_text(value)))


def _name(value: Cell) -> str:
    """A name: "王  五" (padded to line up with three-character names) is 王五."""
    return _CJK_GAP_RE.sub("", clean_name(_text(value)))


PARSERS = {
    "name": _name,
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
