"""Dates known to the year, month or day: the value type, the services, the pages, exports."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from nutag.people.exporting import people_to_xlsx
from nutag.people.idcard import checksum_char
from nutag.people.partial_dates import DatePrecision, PartialDate
from nutag.people.services import PartyInput, PersonInput, person_create, person_update


def make_id(birth: str) -> str:
    first17 = f"150725{birth}011"
    return first17 + checksum_char(first17)


# --------------------------------------------------------------------------- the value


@pytest.mark.parametrize(
    ("year", "month", "day"), [(1950, 13, None), (1950, 2, 30), (1950, None, 1)]
)
def test_impossible_dates_are_refused(year, month, day):
    with pytest.raises(ValueError):
        PartialDate(year, month, day)


@pytest.mark.parametrize(
    ("value", "inside", "outside"),
    [
        (PartialDate(1950), dt.date(1950, 12, 31), dt.date(1951, 1, 1)),
        (PartialDate(1950, 3), dt.date(1950, 3, 17), dt.date(1950, 4, 1)),
        (PartialDate(1950, 3, 17), dt.date(1950, 3, 17), dt.date(1950, 3, 18)),
    ],
)
def test_a_date_contains_the_days_of_its_precision(value, inside, outside):
    assert value.contains(inside)
    assert not value.contains(outside)
    assert PartialDate.from_iso(value.iso()) == value
    assert PartialDate.of(value.first_day, value.precision) == value


def test_text_and_spreadsheet_value_keep_the_precision():
    with translation.override("zh-hans"):
        assert PartialDate(1950, 5).text() == "1950年5月"
        assert PartialDate(1986).text() == "1986年"
        assert PartialDate(1950, 5, 1).text() == "1950年5月1日"
    with translation.override("en"):
        assert str(PartialDate(1950, 5)) == "1950-05"
    assert PartialDate(1950, 5).spreadsheet_value() == "1950.05"
    assert PartialDate(1986).spreadsheet_value() == "1986"
    assert PartialDate(1950, 5, 1).spreadsheet_value() == dt.date(1950, 5, 1)


# --------------------------------------------------------------------------- the services


@pytest.mark.django_db
def test_a_month_that_contradicts_the_id_number_is_refused(cast):
    data = PersonInput(
        name="王宝林",
        birth_date=dt.date(1950, 5, 1),
        birth_date_precision=DatePrecision.MONTH,
        id_number=make_id("19500308"),
    )
    with pytest.raises(ValidationError) as info:
        person_create(acting_user=cast.township1_secretary, unit=cast.village1a, data=data)
    assert "birth_date" in info.value.message_dict


@pytest.mark.django_db
def test_a_month_that_agrees_with_the_id_number_takes_its_day(cast):
    data = PersonInput(
        name="王宝山",
        birth_date=dt.date(1950, 3, 1),
        birth_date_precision=DatePrecision.MONTH,
        id_number=make_id("19500317"),
    )
    person = person_create(acting_user=cast.township1_secretary, unit=cast.village1a, data=data)
    assert person.birth == PartialDate(1950, 3, 17)


@pytest.mark.django_db
def test_a_form_keeping_the_shown_date_keeps_its_precision(cast):
    user = cast.township1_secretary
    person = person_create(
        acting_user=user,
        unit=cast.village1a,
        data=PersonInput(
            name="乌云",
            birth_date=dt.date(1958, 6, 1),
            birth_date_precision=DatePrecision.MONTH,
            party=PartyInput(joined_on=dt.date(1986, 1, 1), joined_on_precision="year"),
            extra={"籍贯": "呼伦贝尔"},
        ),
    )
    # What a form sends back unchanged (it knows neither precision nor other information).
    same = PersonInput(
        name="乌云", birth_date=dt.date(1958, 6, 1), party=PartyInput(joined_on=dt.date(1986, 1, 1))
    )
    person = person_update(acting_user=user, person=person, unit=cast.village1a, data=same)
    person.refresh_from_db()
    assert person.birth == PartialDate(1958, 6)
    assert person.party.joined == PartialDate(1986)
    assert person.extra == {"籍贯": "呼伦贝尔"}
    # A new date typed in the form is a full date.
    other = PersonInput(name="乌云", birth_date=dt.date(1958, 6, 9))
    person = person_update(acting_user=user, person=person, unit=cast.village1a, data=other)
    person.refresh_from_db()
    assert person.birth == PartialDate(1958, 6, 9)


# --------------------------------------------------------------------------- pages, exports


@pytest.mark.django_db
def test_the_person_page_shows_the_precision_and_the_other_information(client, cast):
    person = person_create(
        acting_user=cast.township1_secretary,
        unit=cast.village1a,
        data=PersonInput(
            name="乌云",
            birth_date=dt.date(1958, 6, 1),
            birth_date_precision=DatePrecision.MONTH,
            extra={"微信号": "wuyun58"},
        ),
    )
    client.force_login(cast.township1_secretary)
    html = client.get(
        reverse("desk-person", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "1958年6月" in html
    assert "1958年6月1日" not in html
    assert "其他信息" in html
    assert "wuyun58" in html


@pytest.mark.django_db
def test_the_export_writes_dates_at_their_precision_and_the_other_information(cast):
    user = cast.township1_secretary
    people = [
        person_create(
            acting_user=user,
            unit=cast.village1a,
            data=PersonInput(
                name="乌云",
                birth_date=dt.date(1958, 6, 1),
                birth_date_precision=DatePrecision.MONTH,
                extra={"籍贯": "呼伦贝尔"},
            ),
        ),
        person_create(
            acting_user=user,
            unit=cast.village1a,
            data=PersonInput(name="巴特尔", birth_date=dt.date(1955, 5, 9), extra={"微信号": "b"}),
        ),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(people_to_xlsx(user=user, people=people))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[-2:] == ["籍贯", "微信号"]
    born = header.index("出生日期")
    assert rows[1][born] == "1958.06"
    assert rows[2][born] == dt.datetime(1955, 5, 9)  # noqa: DTZ001 - a spreadsheet cell
    assert rows[1][-2:] == ["呼伦贝尔", None]
    assert rows[2][-2:] == [None, "b"]


@pytest.mark.django_db
def test_an_exported_roster_imports_again_unchanged(cast, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nutag.people.importing import batch_report, import_parse

    user = cast.township1_secretary
    people = [
        person_create(
            acting_user=user,
            unit=cast.village1a,
            data=PersonInput(
                name="乌云",
                birth_date=dt.date(1958, 6, 1),
                birth_date_precision=DatePrecision.MONTH,
                party=PartyInput(joined_on=dt.date(1986, 1, 1), joined_on_precision="year"),
                extra={"籍贯": "呼伦贝尔"},
            ),
        ),
        person_create(
            acting_user=user,
            unit=cast.village1b,
            data=PersonInput(name="巴特尔", id_number=make_id("19550509")),
        ),
    ]
    content = people_to_xlsx(user=user, people=people)
    batch = import_parse(
        acting_user=user,
        unit=cast.township1,
        uploaded_file=SimpleUploadedFile("export.xlsx", content),
    )
    assert [p for p in batch.errors if not p.get("notice")] == []
    assert batch_report(batch=batch).expected == {"created": 0, "updated": 0, "unchanged": 2}


@pytest.mark.django_db
def test_the_edit_form_says_a_date_is_known_only_to_the_month(client, cast):
    person = person_create(
        acting_user=cast.township1_secretary,
        unit=cast.village1a,
        data=PersonInput(
            name="乌云", birth_date=dt.date(1958, 6, 1), birth_date_precision=DatePrecision.MONTH
        ),
    )
    client.force_login(cast.township1_secretary)
    html = client.get(
        reverse("desk-person-edit", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Known only to 1958-06: keep the date shown to keep it so." in html
