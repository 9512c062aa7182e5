"""Roster export: access and masking first, then format, round trip and query count."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nutag.core.actors import SYSTEM
from nutag.core.models import AuditAction, AuditEntry
from nutag.core.xlsx import rows_to_xlsx
from nutag.people.columns import COLUMNS
from nutag.people.exporting import people_export, people_to_xlsx
from nutag.people.idcard import checksum_char
from nutag.people.importing import import_confirm, import_parse
from nutag.people.models import Person
from nutag.people.selectors import people_of_unit
from nutag.people.services import CareInput, PartyInput, PersonInput, YouthInput, person_create

HEADERS = [header for _key, header in COLUMNS]


def make_id(birth: str, seq: str) -> str:
    first17 = f"150799{birth}{seq}"
    return first17 + checksum_char(first17)


def add(unit, **fields) -> Person:  # type: ignore[no-untyped-def]
    return person_create(acting_user=SYSTEM, unit=unit, data=PersonInput(**fields))


@pytest.fixture
def roster(cast):  # type: ignore[no-untyped-def]
    """A few people of township 1 with every kind of detail."""
    return [
        add(
            cast.village1a,
            name="巴特尔",
            phone="13912345678",
            id_number=make_id("19580309", "001"),
            ethnicity="02",
            party=PartyInput(
                joined_on=dt.date(1980, 7, 1), is_mobile=True, current_location="海拉尔"
            ),
            care=CareInput(elder_category="veteran"),
            note="=1+1",  # must stay text, never a formula
        ),
        add(
            cast.village1b,
            name="其木格",
            gender="f",
            birth_date=dt.date(1962, 7, 15),
            is_resident=True,
        ),
        add(
            cast.school1,
            name="小明",
            birth_date=dt.date(2012, 9, 1),
            youth=YouthInput(school="第一镇学校"),
        ),
        add(cast.township1, name="张三", phone="13800000000"),
    ]


def read(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def as_dicts(content: bytes) -> dict[str, dict]:
    header, *rows = read(content)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


# --------------------------------------------------------------------------- access


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("people-export", args=[cast.township1.code]))
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["volunteer", "resident", "village2a_secretary", "village1a_secretary"]
)
def test_export_is_404_outside_the_users_reach(client, cast, roster, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("people-export", args=[cast.township1.code]))
    assert response.status_code == 404
    assert client.get(reverse("people-export", args=["999999999"])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


@pytest.mark.django_db
def test_officer_gets_id_numbers_masked_secretary_does_not(client, cast, roster):
    bater = roster[0]
    client.force_login(cast.township1_officer)
    officer = as_dicts(client.get(reverse("people-export", args=[cast.township1.code])).content)
    assert officer["巴特尔"]["身份证号"] == bater.id_number[:6] + "*" * 10 + bater.id_number[-2:]
    assert officer["巴特尔"]["联系电话"] == "13912345678"  # officers may read phone numbers
    client.force_login(cast.township1_secretary)
    secretary = as_dicts(client.get(reverse("people-export", args=[cast.township1.code])).content)
    assert secretary["巴特尔"]["身份证号"] == bater.id_number
    assert secretary["巴特尔"]["联系电话"] == "13912345678"


@pytest.mark.django_db
def test_phone_is_masked_without_the_phone_right(cast, roster, monkeypatch):
    from nutag.orgs import permissions

    monkeypatch.setitem(
        permissions.ACCESS_PERMS,
        "officer",
        permissions.OFFICER_PERMS - {permissions.Perm.VIEW_PHONE},
    )
    people = people_of_unit(user=cast.township1_officer, unit=cast.township1)
    rows = as_dicts(people_to_xlsx(user=cast.township1_officer, people=people))
    assert rows["巴特尔"]["联系电话"] == "139****5678"


@pytest.mark.django_db
def test_export_is_audited(client, cast, roster):
    client.force_login(cast.township1_secretary)
    client.get(reverse("people-export", args=[cast.township1.code]))
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert entry.unit == cast.township1
    assert entry.actor == cast.township1_secretary


# --------------------------------------------------------------------------- the file


@pytest.mark.django_db
def test_export_is_a_formatted_sheet_with_the_importers_headers(client, cast, roster):
    client.force_login(cast.township1_secretary)
    response = client.get(reverse("people-export", args=[cast.township1.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 6
    assert sheet.column_dimensions["H"].width >= 18  # ID numbers fit
    rows = as_dicts(response.content)
    bater = rows["巴特尔"]
    assert bater["单位"] == "一甲嘎查"
    assert bater["单位代码"] == cast.village1a.code
    assert bater["民族"] == "蒙古族"
    assert bater["出生日期"].date() == dt.date(1958, 3, 9)  # a real date cell
    assert (bater["党员"], bater["流动党员"], bater["现在何处"]) == ("是", "是", "海拉尔")
    assert bater["入党时间"].date() == dt.date(1980, 7, 1)
    assert (bater["关工委工作人员"], bater["五老类别"], bater["退休"]) == ("是", "老战士", "是")
    assert bater["备注"] == "=1+1"
    assert rows["小明"]["学校"] == "第一镇学校"
    assert rows["其木格"]["居民"] == "是"
    assert rows["其木格"]["性别"] == "女"
    # Everyone of the township's subtree, and nobody else.
    assert set(rows) == set(
        Person.objects.filter(unit_path__startswith=cast.township1.path).values_list(
            "name", flat=True
        )
    )


@pytest.mark.django_db
def test_export_follows_the_people_list_filters(client, cast, roster):
    client.force_login(cast.township1_secretary)
    url = reverse("people-export", args=[cast.township1.code])
    assert set(as_dicts(client.get(url, {"role": "party"}).content)) == {"巴特尔"}
    assert set(as_dicts(client.get(url, {"role": "youth"}).content)) == {"小明"}
    assert set(as_dicts(client.get(url, {"q": "其木"}).content)) == {"其木格"}
    assert set(as_dicts(client.get(url, {"role": "nonsense"}).content)) >= {"巴特尔", "小明"}


def test_rows_to_xlsx_keeps_text_as_text_and_dates_as_dates():
    content = rows_to_xlsx(
        headers=["名称", "日期", "数"],
        rows=[['=HYPERLINK("http://x")', dt.date(2024, 5, 1), 3], ["+1", None, 0.5]],
        title="单位/名单:2024",
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    assert sheet.title == "单位 名单 2024"
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["B2"].is_date
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C3"].value == 0.5
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


# --------------------------------------------------------------------------- round trip


def _reimport(user, unit, content: bytes, capture):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("export.xlsx", content)
    batch = import_parse(acting_user=user, unit=unit, uploaded_file=upload)
    with capture(execute=True):
        import_confirm(acting_user=user, batch=batch)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["township1_secretary", "township1_officer"])
def test_exported_file_reimports_with_no_duplicates(
    cast, roster, who, django_capture_on_commit_callbacks
):
    user = getattr(cast, who)
    before = {
        p.pk: (p.name, p.unit_id, p.id_number, p.phone, p.birth_date) for p in Person.objects.all()
    }
    content = people_export(acting_user=user, unit=cast.township1)
    batch = _reimport(user, cast.township1, content, django_capture_on_commit_callbacks)
    assert batch.errors == []
    assert batch.total == len(read(content)) - 1
    assert (batch.created_count, batch.updated_count) == (0, 0)
    assert batch.unchanged_count == batch.total
    after = {
        p.pk: (p.name, p.unit_id, p.id_number, p.phone, p.birth_date) for p in Person.objects.all()
    }
    assert after == before  # masked ID numbers were not written back


@pytest.mark.django_db
def test_exported_file_with_an_edit_updates_that_person_only(
    cast, roster, django_capture_on_commit_callbacks
):
    user = cast.township1_officer
    book = openpyxl.load_workbook(io.BytesIO(people_export(acting_user=user, unit=cast.township1)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "巴特尔":
            row[header.index("现在何处")].value = "满洲里"
    out = io.BytesIO()
    book.save(out)
    batch = _reimport(user, cast.township1, out.getvalue(), django_capture_on_commit_callbacks)
    assert batch.updated_count == 1
    assert batch.created_count == 0
    bater = Person.objects.select_related("party").get(name="巴特尔")
    assert bater.party.current_location == "满洲里"
    assert bater.id_number == roster[0].id_number


# --------------------------------------------------------------------------- queries


@pytest.mark.django_db
def test_export_of_5_or_50_people_runs_the_same_queries(cast, django_assert_num_queries):
    User = get_user_model()
    unit = cast.village1b
    for i in range(5):
        add(
            unit,
            name=f"甲{i}",
            phone=f"139{i:08d}",
            party=PartyInput(),
            youth=YouthInput(school="校"),
        )
    fresh = User.objects.get(pk=cast.township1_officer.pk)
    with CaptureQueriesContext(connection) as five:
        content = people_export(acting_user=fresh, unit=unit)
    assert len(read(content)) == 1 + 5
    for i in range(5, 50):
        add(unit, name=f"甲{i}", phone=f"139{i:08d}", care=CareInput(elder_category="teacher"))
    fresh = User.objects.get(pk=cast.township1_officer.pk)
    assert len(five.captured_queries) <= 8, [q["sql"][:80] for q in five.captured_queries]
    with django_assert_num_queries(len(five.captured_queries)):
        content = people_export(acting_user=fresh, unit=unit)
    assert len(read(content)) == 1 + 50
