"""The cell tables of the importer (``nutag.people.importing.cells``): a test per row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from nutag.people.importing import cells
from nutag.people.importing.cells import _CellError
from nutag.people.partial_dates import DatePrecision

# --------------------------------------------------------------------------- refused first


@pytest.mark.parametrize(
    "value",
    ["", "1950-13", "1950-02-30", "1899", "1899.05", "50.05", "一九五〇年", "1950年13月", True,
     "2999", 0, -5, 2958466.0, "1950.5.5.5"],
)  # fmt: skip
def test_what_is_no_date_is_refused(value):
    with pytest.raises(_CellError):
        cells._date(value)


def test_a_date_in_the_future_is_refused_even_a_month():
    next_year = dt.date.today().year + 1  # noqa: DTZ011 - only the year matters here
    with translation.override("en"), pytest.raises(_CellError, match="future"):
        cells._date(f"{next_year}.01")


@pytest.mark.parametrize("table", ["gender", "yes_no", "ethnicity", "elder"])
def test_unknown_words_are_refused(table):
    parse = {
        "gender": cells._gender,
        "yes_no": cells._bool,
        "ethnicity": cells._ethnicity,
        "elder": cells._elder,
    }[table]
    with pytest.raises(_CellError):
        parse("火星")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("pattern", "precision", "examples"),
    cells.DATE_FORMS,
    ids=[examples[0] for _p, _prec, examples in cells.DATE_FORMS],
)
def test_each_date_form_reads_at_its_precision(pattern, precision, examples):
    for example in examples:
        assert pattern.match(example), example
        value = cells._date(example)
        assert len(value) == {"year": 4, "month": 7, "day": 10}[precision], example
        assert value.startswith("1950"), example
    # Full-width digits, stray spaces and a line break inside the cell change nothing.
    wide = examples[0].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert cells._date(f" {wide}\n") == cells._date(examples[0])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(1950, 5, 1, 0, 0), "1950-05-01"),  # noqa: DTZ001 - a spreadsheet cell
        (dt.date(1950, 5, 1), "1950-05-01"),
        (1986, "1986"),
        (1986.0, "1986"),
        (195001, "1950-01"),
        (19500101, "1950-01-01"),
        (1950.01, "1950-01"),  # typed 1950.01 into a number cell
        (1950.5, "1950-05"),
        (1950.1, "1950-10"),  # Excel shows 1950.10 as 1950.1
        (1950.12, "1950-12"),
        (18384, "1950-05-01"),  # an Excel date serial that lost its format
        ("1950-05-01 00:00:00", "1950-05-01"),
        ("1950年05月", "1950-05"),
        ("1950 年 5 月", "1950-05"),
        ("1986年", "1986"),
    ],
)
def test_numbers_and_cells_as_readers_give_them(value, expected):
    assert cells._date(value) == expected


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(("word", "code"), sorted(cells.GENDER_WORDS.items()))
def test_each_gender_word(word, code):
    assert cells._gender(word) == code
    assert cells._gender(f" {word.upper()} ") == code


@pytest.mark.parametrize(("word", "answer"), sorted(cells.YES_NO_WORDS.items()))
def test_each_yes_no_word(word, answer):
    assert cells._bool(word) is answer
    assert cells._bool(f"{word.upper()}\n") is answer


@pytest.mark.parametrize(("word", "code"), sorted(cells.ETHNICITY_WORDS.items()))
def test_each_ethnicity_abbreviation(word, code):
    assert cells._ethnicity(word) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("蒙古族", "02"), ("蒙古", "02"), ("達斡爾族", "31"), ("鄂温克族", "45"), ("02", "02"),
     ("2", "02"), ("Mongol", "02"), ("汉 族", "01"), ("鄂伦春族", "52")],
)  # fmt: skip
def test_full_names_codes_and_traditional_spellings(text, code):
    assert cells._ethnicity(text) == code


@pytest.mark.parametrize(("word", "code"), sorted(cells.ELDER_WORDS.items()))
def test_each_five_elder_word(word, code):
    assert cells._elder(word) == code


@pytest.mark.parametrize("word", sorted(cells.ELDER_NONE_WORDS))
def test_each_word_for_not_an_elder(word):
    assert cells._elder(word or "无") == ""


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("text", "name"),
    [("张  三", "张三"), ("李 秀 英", "李秀英"), ("陳巴爾", "陈巴尔"), (" 王五\n", "王五"),
     ("Saran  Bat", "Saran Bat"), ("乌云·其木格", "乌云·其木格")],
)  # fmt: skip
def test_names_lose_padding_but_not_their_dots(text, name):
    assert cells._name(text) == name


def test_id_numbers_and_phones_lose_spaces_and_line_breaks():
    from nutag.people.idcard import checksum_char

    first17 = "15072519500317011"
    id_number = first17 + checksum_char(first17)
    assert cells._id_number(f"{id_number[:6]} {id_number[6:14]}\n{id_number[14:]}") == id_number
    assert cells._phone("139 1234\n0001") == "13912340001"


def test_free_text_keeps_its_words_on_one_line():
    assert cells._plain("退休前在\n旗一中  任教") == "退休前在 旗一中 任教"


def test_precisions_are_the_three():
    assert {precision for _p, precision, _e in cells.DATE_FORMS} == set(DatePrecision)
