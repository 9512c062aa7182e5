"""Roster import: access first, then every kind of bad input, then the happy paths."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction, AuditEntry
from nutag.factories import PersonFactory
from nutag.people.idcard import checksum_char
from nutag.people.importing import (
    apply_import,
    batch_report,
    import_confirm,
    import_parse,
)
from nutag.people.models import ImportBatch, ImportStatus, Person

FILES = Path(__file__).parent / "files"
HEADER = ["姓名", "单位", "性别", "出生日期", "联系电话", "身份证号"]


def make_id(birth: str = "19600501", seq: str = "123") -> str:
    first17 = f"150799{birth}{seq}"
    return first17 + checksum_char(first17)


def bad_checksum(id_number: str) -> str:
    wrong = "0" if id_number[-1] != "0" else "1"
    return id_number[:-1] + wrong


def xlsx(
    rows: list[list], name: str = "roster.xlsx", merges: tuple[str, ...] = ()
) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(
    rows: list[list], encoding: str = "utf-8", name: str = "roster.csv"
) -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


def parse(user, unit, upload) -> ImportBatch:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return import_parse(acting_user=user, unit=unit, uploaded_file=upload)


def run(user, batch, capture) -> ImportBatch:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        import_confirm(acting_user=user, batch=batch)
    batch.refresh_from_db()
    return batch


def messages_of(batch: ImportBatch) -> list[str]:
    with translation.override("en"):
        report = batch_report(batch=batch)
    return report.notices + report.problems


def problems_by_row(batch: ImportBatch) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for problem in batch.errors:
        if not problem.get("notice"):
            out.setdefault(problem["row"], []).append(problem)
    return out


# --------------------------------------------------------------------------- access


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("people-import", args=[cast.township1.code]))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["volunteer", "resident", "village2a_secretary", "village1a_secretary"]
)
def test_import_page_is_404_outside_the_users_reach(client, cast, who):
    client.force_login(getattr(cast, who))
    for name in ("people-import", "people-import-template"):
        assert client.get(reverse(name, args=[cast.township1.code])).status_code == 404
    assert client.get(reverse("people-import", args=["999999999"])).status_code == 404


@pytest.mark.django_db
def test_import_parse_refuses_a_user_without_the_right(cast):
    for user in (cast.volunteer, cast.village2a_secretary, cast.village1a_secretary):
        with pytest.raises(NotFound):
            parse(user, cast.township1, xlsx([HEADER, ["张三"]]))
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_batch_pages_are_404_for_missing_and_for_other_units(client, cast):
    batch = parse(cast.township1_secretary, cast.township1, xlsx([HEADER, ["张三"]]))
    for who in ("village2a_secretary", "village1a_secretary", "volunteer"):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("people-import-batch", args=[batch.pk])).status_code == 404
        response = client.post(reverse("people-import-confirm", args=[batch.pk]))
        assert response.status_code == 404
    client.force_login(cast.township1_secretary)
    assert client.get(reverse("people-import-batch", args=[batch.pk + 99])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert not Person.objects.filter(name="张三").exists()


@pytest.mark.django_db
def test_confirm_by_someone_else_raises_not_found(cast):
    batch = parse(cast.township1_secretary, cast.township1, xlsx([HEADER, ["张三"]]))
    with pytest.raises(NotFound):
        import_confirm(acting_user=cast.village2a_secretary, batch=batch)


@pytest.mark.django_db
def test_confirm_refuses_get(client, cast):
    batch = parse(cast.township1_secretary, cast.township1, xlsx([HEADER, ["张三"]]))
    client.force_login(cast.township1_secretary)
    assert client.get(reverse("people-import-confirm", args=[batch.pk])).status_code == 405


# --------------------------------------------------------------------------- bad files


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("roster.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        ("roster.xlsx", b"PK\x03\x04 this is no zip at all"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        ("roster.csv", bytes(range(256)) * 4),
    ],
)
def test_corrupt_or_disguised_file_gives_a_form_error_and_no_batch(client, cast, name, content):
    client.force_login(cast.township1_secretary)
    url = reverse("people-import", args=[cast.township1.code])
    response = client.post(
        url, {"file": SimpleUploadedFile(name, content)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "file" in form.errors
    assert "could not be read" in str(form.errors["file"])
    assert "choose it again" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_wrong_extension_and_empty_file_are_refused(client, cast):
    client.force_login(cast.township1_secretary)
    url = reverse("people-import", args=[cast.township1.code])
    response = client.post(url, {"file": SimpleUploadedFile("roster.pdf", b"%PDF-1.4")})
    assert "file" in response.context["form"].errors
    response = client.post(url, {"file": SimpleUploadedFile("roster.csv", b"")})
    assert "file" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_file_too_big_is_refused(client, cast, settings):
    settings.NUTAG_IMPORT_MAX_BYTES = 100
    client.force_login(cast.township1_secretary)
    url = reverse("people-import", args=[cast.township1.code])
    upload = csv_file([["姓名"], *[[f"人{i}"] for i in range(100)]])
    response = client.post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert "larger than" in str(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_too_many_rows_is_refused(cast, settings):
    from django.core.exceptions import ValidationError

    settings.NUTAG_IMPORT_MAX_ROWS = 3
    with pytest.raises(ValidationError) as info:
        parse(
            cast.township1_secretary,
            cast.township1,
            csv_file([["姓名"], ["甲"], ["乙"], ["丙"], ["丁"]]),
        )
    assert info.value.code == "too_many_rows"
    # Blank lines do not count.
    batch = parse(
        cast.township1_secretary,
        cast.township1,
        csv_file([["姓名"], ["甲"], [], [""], ["乙"], ["丙"]]),
    )
    assert batch.total == 3


@pytest.mark.django_db
def test_file_without_a_header_row_is_refused(cast):
    from django.core.exceptions import ValidationError

    rows = [["花名册"], *[["张三", "男"]] * 12, ["姓名", "性别"]]
    with pytest.raises(ValidationError) as info:
        parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert info.value.code == "no_header"


# --------------------------------------------------------------------------- bad rows


@pytest.mark.django_db
def test_wrong_id_checksum_is_a_row_error_and_good_rows_are_kept(
    cast, django_capture_on_commit_callbacks
):
    good_id = make_id()
    rows = [
        HEADER,
        ["张三", "", "", "", "", bad_checksum(good_id)],
        ["李四", "", "", "", "", good_id],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.total == 1
    assert [r["name"] for r in batch.rows] == ["李四"]
    [problem] = problems_by_row(batch)[2]
    assert problem["column"] == "身份证号"
    assert "check digit" in problem["message"]
    assert messages_of(batch) == [
        "Row 2 张三, column 身份证号: "
        "The ID number's check digit is wrong: please check each digit."
    ]
    batch = run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    assert batch.created_count == 1
    assert Person.objects.filter(name="李四", id_number=good_id).exists()
    assert not Person.objects.filter(name="张三").exists()


@pytest.mark.django_db
def test_unknown_unit_is_a_row_error(cast):
    rows = [
        HEADER,
        ["甲", "二甲嘎查"],  # township2's village: outside township1
        ["乙", cast.village2a.code],  # by code, equally outside
        ["丙", "不存在嘎查"],
        ["丁", cast.banner.code],  # the unit above
        ["戊", "一甲嘎查"],  # fine
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    problems = problems_by_row(batch)
    assert sorted(problems) == [2, 3, 4, 5]
    for row in (2, 3, 4, 5):
        assert problems[row][0]["column"] == "单位"
        assert problems[row][0]["message"].startswith("Unknown unit")
    assert [r["name"] for r in batch.rows] == ["戊"]
    assert batch.rows[0]["unit_code"] == cast.village1a.code


@pytest.mark.django_db
def test_unit_and_unit_code_must_agree(cast):
    rows = [
        ["姓名", "单位", "单位代码"],
        ["甲", "一甲嘎查", cast.village1b.code],
        ["乙", "一甲嘎查", cast.village1a.code],
        ["丙", "", cast.village1b.code],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert list(problems_by_row(batch)) == [2]
    assert problems_by_row(batch)[2][0]["column"] == "单位代码"
    assert [r["unit_code"] for r in batch.rows] == [cast.village1a.code, cast.village1b.code]


@pytest.mark.django_db
def test_same_id_twice_in_the_file_is_a_row_error(cast):
    same = make_id()
    rows = [HEADER, ["张三", "", "", "", "", same], ["张叁", "", "", "", "", same], ["王五"]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    [problem] = problems_by_row(batch)[3]
    assert problem["column"] == "身份证号"
    assert "already on row 2" in problem["message"]
    assert [r["name"] for r in batch.rows] == ["张三", "王五"]


@pytest.mark.django_db
def test_same_person_twice_without_id_is_a_row_error(cast):
    rows = [
        HEADER,
        ["张三", "", "", "1960-05-01"],
        ["张三", "", "", "1960/5/1"],
        ["张三", "", "", "1970-01-01"],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert list(problems_by_row(batch)) == [3]
    assert batch.total == 2


@pytest.mark.django_db
def test_id_of_a_person_outside_reach_is_a_row_error_that_names_nobody(client, cast):
    outsider_id = make_id("19550101", "456")
    PersonFactory(unit=cast.village2a, name="外乡人", id_number=outsider_id, phone="13912345678")
    rows = [HEADER, ["张三", "", "", "", "", outsider_id]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.total == 0
    [problem] = problems_by_row(batch)[2]
    assert problem["column"] == "身份证号"
    assert "outside the units you manage" in problem["message"]
    client.force_login(cast.township1_secretary)
    page = client.get(reverse("people-import-batch", args=[batch.pk])).content.decode()
    for secret in ("外乡人", "二甲嘎查", cast.village2a.code, "13912345678"):
        assert secret not in page
        assert secret not in str(batch.errors)
    assert Person.objects.get(id_number=outsider_id).unit == cast.village2a


@pytest.mark.django_db
def test_bad_cells_each_get_a_message_with_row_and_column(cast):
    rows = [
        ["姓名", "性别", "民族", "出生日期", "联系电话", "党员", "五老类别"],
        ["张三", "未知", "火星族", "1960-13-45", "12345", "也许", "老神仙"],
        ["", "男"],
        ["李四", "女", "蒙古族", "2999-01-01"],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    problems = problems_by_row(batch)
    columns = {p["column"] for p in problems[2]}
    assert columns == {"性别", "民族", "出生日期", "联系电话", "党员", "五老类别"}
    assert [p["column"] for p in problems[3]] == ["姓名"]
    assert [p["message"] for p in problems[4]] == ["This date lies in the future."]
    assert batch.total == 0
    text = messages_of(batch)
    # Each problem names the row, the person, the column and the value read.
    assert "Row 2 张三, column 性别 (“未知”): Write 男 (male) or 女 (female)." in text
    assert any(t.startswith("Row 2 张三, column 联系电话: Enter an 11-digit") for t in text)


@pytest.mark.django_db
def test_a_no_beside_details_is_a_row_error(cast):
    rows = [
        ["姓名", "党员", "入党时间", "关工委工作人员", "五老类别", "青少年", "学校"],
        ["甲", "否", "1980-07-01"],
        ["乙", "", "", "否", "老教师"],
        ["丙", "", "", "", "", "否", "第一中学"],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    problems = problems_by_row(batch)
    assert {r: [p["column"] for p in ps] for r, ps in problems.items()} == {
        2: ["党员"],
        3: ["关工委工作人员"],
        4: ["青少年"],
    }


@pytest.mark.django_db
def test_full_width_digits_are_normalised(cast, django_capture_on_commit_callbacks):
    id_number = make_id()
    wide = id_number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    rows = [HEADER, ["张三", "", "", "１９６０年５月１日", "１３９ １２３４ ５６７８", wide]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.errors == []
    batch = run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    person = Person.objects.get(name="张三")
    assert person.id_number == id_number
    assert person.phone == "13912345678"
    assert person.birth_date == dt.date(1960, 5, 1)


@pytest.mark.django_db
def test_traditional_characters_are_normalised(cast, django_capture_on_commit_callbacks):
    rows = [
        ["姓名", "單位", "性別", "民族", "五老類別", "備註"],
        ["陳巴爾", "一甲嘎查", "男", "蒙古族", "老幹部", "傳統"],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.errors == []
    run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    person = Person.objects.select_related("care").get(name="陈巴尔")
    assert person.unit == cast.village1a
    assert person.ethnicity == "02"
    assert person.care.elder_category == "cadre"
    assert person.is_retired  # a five elder is retired
    assert person.note == "傳統"  # free text is kept as written


@pytest.mark.django_db
def test_blank_lines_are_skipped_silently(cast):
    rows = [HEADER, [], ["张三"], [None, None, None], ["", " ", ""], ["李四"], []]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.errors == []
    assert [(r["row"], r["name"]) for r in batch.rows] == [(3, "张三"), (6, "李四")]


@pytest.mark.django_db
def test_title_row_and_merged_header_cells(cast):
    rows = [
        ["第一镇关工委人员花名册", None, None, None, None],
        ["填表日期：2024年5月"],
        ["姓名", "性别", "出生日期", "党员信息", None],
        [None, None, None, "入党时间", "流动党员"],
        ["张三", "男", "1960-05-01", "1985-07-01", "是"],
    ]
    upload = xlsx(rows, merges=("A1:E1", "A3:A4", "B3:B4", "C3:C4", "D3:E3"))
    batch = parse(cast.township1_secretary, cast.township1, upload)
    assert [p for p in batch.errors if not p.get("notice")] == []
    assert [p for p in batch.errors if p.get("notice")] == []
    [row] = batch.rows
    assert row["row"] == 5
    assert row["joined_on"] == "1985-07-01"
    assert row["is_mobile"] is True


@pytest.mark.django_db
def test_unknown_columns_are_ignored_and_named_in_the_preview(client, cast):
    rows = [["序号", "姓名", "籍贯", "性别", "姓名"], [1, "张三", "呼伦贝尔", "男", "重复"]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.total == 1
    assert batch.rows[0]["name"] == "张三"
    notices = [p["column"] for p in batch.errors if p.get("notice")]
    assert sorted(notices) == ["姓名", "序号", "籍贯"]
    client.force_login(cast.township1_secretary)
    page = client.get(reverse("people-import-batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    # Issue 11: an unknown column is kept as the person's other information.
    assert "Column 籍贯: Not a known column: kept as the person&#x27;s other information." in html
    assert batch.rows[0]["extra"] == {"籍贯": "呼伦贝尔"}
    assert "Column 序号" in html


@pytest.mark.django_db
def test_dates_as_excel_dates_or_text(cast):
    rows = [
        ["姓名", "出生日期"],
        ["甲", dt.datetime(1960, 5, 1)],  # noqa: DTZ001 - spreadsheet cells are naive
        ["乙", dt.date(1960, 5, 1)],
        ["丙", "1960-05-01"],
        ["丁", "1960/5/1"],
        ["戊", "1960年5月1日"],
        ["己", "19600501"],
        ["庚", 19600501],
        ["辛", "1960.5.1"],
        ["壬", "1960-05-01 00:00:00"],
        ["癸", 22037],  # an Excel date that lost its format
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.errors == []
    assert {r["birth_date"] for r in batch.rows} == {"1960-05-01"}
    assert batch.total == 10


@pytest.mark.django_db
def test_id_stored_as_a_number_that_lost_digits_is_explained(cast):
    rows = [HEADER, ["张三", "", "", "", "", 1.50799196005011e17]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    [problem] = problems_by_row(batch)[2]
    assert "stored as a number" in problem["message"]


@pytest.mark.django_db
def test_ambiguous_match_is_a_row_error(cast):
    PersonFactory(unit=cast.township1, name="张三")
    PersonFactory(unit=cast.township1, name="张三")
    batch = parse(cast.township1_secretary, cast.township1, xlsx([HEADER, ["张三"]]))
    [problem] = problems_by_row(batch)[2]
    assert problem["column"] == "姓名"
    assert "Several people" in problem["message"]


@pytest.mark.django_db
def test_a_row_that_breaks_between_preview_and_confirm_is_reported_the_rest_saved(
    cast, django_capture_on_commit_callbacks
):
    taken = make_id("19700101", "001")
    rows = [HEADER, ["张三", "", "", "", "", taken], ["李四"], ["王五"]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.total == 3
    PersonFactory(unit=cast.township2, name="别人", id_number=taken)  # meanwhile, elsewhere
    batch = run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.DONE
    assert batch.created_count == 2
    assert batch.processed == batch.total == 3
    assert list(problems_by_row(batch)) == [2]
    assert set(Person.objects.filter(unit=cast.township1).values_list("name", flat=True)) >= {
        "李四",
        "王五",
    }


# --------------------------------------------------------------------------- matching


@pytest.mark.django_db
def test_reimport_creates_no_duplicates(cast, django_capture_on_commit_callbacks):
    user = cast.township1_secretary
    rows = [
        [*HEADER, "党员", "五老类别", "青少年", "学校"],
        ["张三", "一甲嘎查", "男", "1960-05-01", "13912345678", make_id(), "是", "老教师"],
        ["李四", "一乙嘎查", "女", "1962-07-15", "13812345678", ""],
        ["王五", "", "", "", "", ""],  # a name only
        ["小明", "第一镇学校", "男", "2012-09-01", "", "", "", "", "是", "第一镇学校"],
    ]
    before = Person.objects.count()
    first = run(user, parse(user, cast.township1, xlsx(rows)), django_capture_on_commit_callbacks)
    assert (first.created_count, first.updated_count, first.unchanged_count) == (4, 0, 0)
    assert Person.objects.count() == before + 4
    second = parse(user, cast.township1, xlsx(rows))
    assert batch_report(batch=second).expected == {"created": 0, "updated": 0, "unchanged": 4}
    second = run(user, second, django_capture_on_commit_callbacks)
    assert second.errors == []
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 4)
    assert Person.objects.count() == before + 4
    # Changed cells: updates, through person_update (audited).
    rows[2][4] = "13800000000"  # matched by unit + name + birth date
    rows[4][-1] = "第一镇中学"
    third = run(user, parse(user, cast.township1, xlsx(rows)), django_capture_on_commit_callbacks)
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 2, 2)
    assert Person.objects.count() == before + 4
    li = Person.objects.get(name="李四")
    assert li.phone == "13800000000"
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="people.person", object_id=str(li.pk)
    ).exists()
    assert Person.objects.select_related("youth").get(name="小明").youth.school == "第一镇中学"


@pytest.mark.django_db
def test_blank_cells_keep_what_is_stored(cast, django_capture_on_commit_callbacks):
    from nutag.people.services import PartyInput, PersonInput, person_create

    person = person_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=PersonInput(
            name="张三", phone="13912345678", note="老支书", party=PartyInput(is_mobile=True)
        ),
    )
    rows = [
        ["姓名", "单位", "联系电话", "党员", "备注", "退休"],
        ["张三", "一甲嘎查", "13912345678", "", "", "是"],
    ]
    user = cast.township1_secretary
    batch = run(user, parse(user, cast.township1, xlsx(rows)), django_capture_on_commit_callbacks)
    assert batch.updated_count == 1
    person.refresh_from_db()
    assert person.note == "老支书"
    assert person.is_retired
    assert person.party.is_mobile


@pytest.mark.django_db
def test_match_by_id_updates_and_moves_within_reach(cast, django_capture_on_commit_callbacks):
    id_number = make_id()
    person = PersonFactory(unit=cast.village1a, name="张三", id_number=id_number)
    rows = [HEADER, ["张叁", "一乙嘎查", "", "", "", id_number]]
    user = cast.township1_secretary
    batch = run(user, parse(user, cast.township1, xlsx(rows)), django_capture_on_commit_callbacks)
    assert batch.updated_count == 1
    person.refresh_from_db()
    assert (person.name, person.unit) == ("张叁", cast.village1b)


# --------------------------------------------------------------------------- formats


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(cast, encoding, django_capture_on_commit_callbacks):
    rows = [
        ["姓名", "单位", "性别", "出生日期", "备注"],
        ["乌云其木格", "一甲嘎查", "女", "1965/3/8", "嘎查𠀾"],
    ]
    if encoding == "gb18030":
        rows[1][4] = "嘎查"
    batch = parse(cast.township1_secretary, cast.township1, csv_file(rows, encoding))
    assert batch.errors == []
    run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    person = Person.objects.get(name="乌云其木格")
    assert person.unit == cast.village1a
    assert person.birth_date == dt.date(1965, 3, 8)
    assert person.note == rows[1][4]


@pytest.mark.django_db
def test_semicolon_and_tab_separated_csv(cast):
    for sep in (";", "\t"):
        content = sep.join(["姓名", "性别"]) + "\r\n" + sep.join(["张三", "男"]) + "\r\n"
        batch = parse(
            cast.township1_secretary, cast.township1, SimpleUploadedFile("r.csv", content.encode())
        )
        assert batch.errors == []
        assert batch.rows[0]["gender"] == "m"


@pytest.mark.django_db
def test_legacy_xls_file(cast, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("roster.xls", (FILES / "roster.xls").read_bytes())
    batch = parse(cast.township1_secretary, cast.township1, upload)
    assert list(problems_by_row(batch)) == [6]  # the wrong check digit, after a blank line
    assert problems_by_row(batch)[6][0]["column"] == "身份证号"
    assert [r["name"] for r in batch.rows] == ["巴特尔", "陈其木格"]
    run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    bater = Person.objects.select_related("party").get(name="巴特尔")
    assert bater.birth_date == dt.date(1958, 3, 9)
    assert bater.unit == cast.village1a
    assert bater.party is not None
    other = Person.objects.get(name="陈其木格")
    assert (other.unit, other.birth_date, other.gender) == (
        cast.village1b,
        dt.date(1962, 7, 15),
        "f",
    )


@pytest.mark.django_db
def test_english_headers_are_understood(cast):
    rows = [
        ["Name", "Gender", "Birth date", "Phone"],
        ["Saran", "female", "1990-01-02", "13912345678"],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.errors == []
    assert batch.rows[0] == {
        "row": 2,
        "name": "Saran",
        "gender": "f",
        "birth_date": "1990-01-02",
        "phone": "13912345678",
        "expect": "created",
    }


# --------------------------------------------------------------------------- the flow


@pytest.mark.django_db
def test_upload_preview_confirm_result_through_the_pages(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.township1_secretary)
    url = reverse("people-import", args=[cast.township1.code])
    assert client.get(url).status_code == 200
    rows = [HEADER, ["张三", "一甲嘎查", "男"], ["李四", "不存在嘎查"], ["王五"]]
    response = client.post(url, {"file": xlsx(rows)}, HTTP_ACCEPT_LANGUAGE="en")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people-import-batch", args=[batch.pk])
    assert batch.created_by == cast.township1_secretary
    assert batch.unit == cast.township1

    preview = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 good rows are ready to import." in preview
    assert '<th>New people</th><td class="n">2</td>' in preview
    assert "1 row has problems" in preview
    # Issue 11: one card per refused row, headed by the row and the person's name.
    assert "<strong>Row 3 李四</strong>" in preview
    assert "单位 (“不存在嘎查”): Unknown unit" in preview
    assert reverse("people-import-confirm", args=[batch.pk]) in preview
    assert not Person.objects.filter(name__in=["张三", "王五"]).exists()  # nothing saved yet

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people-import-confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.processed == batch.total == 2
    assert batch.created_count == 2
    result = client.get(reverse("people-import-batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = result.content.decode()
    assert "Import result" in html
    assert 'http-equiv="refresh"' not in html
    assert "单位 (“不存在嘎查”): Unknown unit" in html

    # Confirming again changes nothing and says why.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people-import-confirm", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert Person.objects.filter(name="张三").count() == 1
    page = client.get(reverse("people-import-batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "already been confirmed" in page.content.decode()


@pytest.mark.django_db
def test_progress_page_refreshes_itself_while_running(client, cast):
    batch = parse(
        cast.township1_secretary, cast.township1, xlsx([HEADER, *[[f"人{i}"] for i in range(4)]])
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, processed=1)
    client.force_login(cast.township1_secretary)
    html = client.get(reverse("people-import-batch", args=[batch.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<div class="progress"' in html
    assert '<span style="width:25%"></span>' in html


@pytest.mark.django_db
def test_progress_reaches_the_total_with_inline_tasks(
    cast, settings, django_capture_on_commit_callbacks
):
    import nutag.people.importing as importing

    assert settings.NUTAG_TASK_MODE == "inline"
    step = importing.PROGRESS_STEP
    rows = [HEADER, *[[f"人{i}", "一甲嘎查"] for i in range(step * 2 + 3)]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    with CaptureQueriesContext(connection) as queries:
        batch = run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    progress = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "people_importbatch"') and '"processed" = ' in q["sql"]
    ]
    # confirm (0), then every PROGRESS_STEP rows, then the end
    expected = [0, step, step * 2, step * 2 + 3]
    assert len(progress) == len(expected)
    for sql, n in zip(progress, expected, strict=True):
        assert f'"processed" = {n}' in sql, sql
    assert batch.processed == batch.total == step * 2 + 3
    assert batch.created_count == batch.total
    assert batch.percent == 100
    assert batch.status == ImportStatus.DONE


@pytest.mark.django_db
def test_apply_import_ignores_a_batch_not_confirmed(cast):
    batch = parse(cast.township1_secretary, cast.township1, xlsx([HEADER, ["张三"]]))
    apply_import(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert not Person.objects.filter(name="张三").exists()


@pytest.mark.django_db
def test_apply_import_fails_cleanly_when_the_user_lost_the_right(cast):
    batch = parse(cast.township1_secretary, cast.township1, xlsx([HEADER, ["张三"]]))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING, created_by=cast.village2a_secretary
    )
    apply_import(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.failure
    assert not Person.objects.filter(name="张三").exists()


@pytest.mark.django_db
def test_template_download_imports_cleanly(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.village1a_secretary)
    response = client.get(reverse("people-import-template", args=[cast.village1a.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:2] == ["姓名", "单位"]
    upload = SimpleUploadedFile("template.xlsx", response.content)
    batch = parse(cast.village1a_secretary, cast.village1a, upload)
    assert batch.errors == []
    assert batch.total == 1
    run(cast.village1a_secretary, batch, django_capture_on_commit_callbacks)
    assert Person.objects.get(name="张三").unit == cast.village1a


@pytest.mark.django_db
def test_long_file_past_the_time_budget_is_checked_when_applied(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    import nutag.people.importing.services as importing_services

    monkeypatch.setattr(importing_services, "DRY_RUN_SECONDS", 0.0)
    # Issue 11: a birth date contradicting the ID number is now found while reading, so
    # the row that only the services refuse is one whose ID number is taken meanwhile.
    taken = make_id("19600501", "123")
    rows = [HEADER, ["张三", "", "", "1960-05", "", taken], ["李四"]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    assert batch.total == 2
    assert any("checked in full" in text for text in messages_of(batch))
    PersonFactory(unit=cast.township2, name="别人", id_number=taken)
    batch = run(cast.township1_secretary, batch, django_capture_on_commit_callbacks)
    assert batch.created_count == 1
    [problem] = problems_by_row(batch)[2]
    assert problem["column"] == "身份证号"
    assert Person.objects.filter(name="李四").exists()
    assert not Person.objects.filter(name="张三").exists()


@pytest.mark.django_db
def test_birth_date_contradicting_the_id_is_found_in_the_preview(cast):
    rows = [HEADER, ["张三", "", "", "1970-01-01", "", make_id("19600501", "123")]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    [problem] = problems_by_row(batch)[2]
    assert problem["column"] == "出生日期"
    assert "does not match" in problem["message"]


@pytest.mark.django_db
def test_too_long_text_is_a_row_error(cast):
    rows = [["姓名", "备注"], ["张" * 51, ""], ["李四", "长" * 201]]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    problems = problems_by_row(batch)
    assert [p["column"] for p in problems[2]] == ["姓名"]
    assert [p["column"] for p in problems[3]] == ["备注"]


@pytest.mark.django_db
def test_masked_numbers_of_a_new_person_are_a_row_error(cast):
    rows = [
        HEADER,
        ["新人", "", "", "", "139****5678", ""],
        ["另一个", "", "", "", "", "150799**********12"],
    ]
    batch = parse(cast.township1_secretary, cast.township1, xlsx(rows))
    problems = problems_by_row(batch)
    assert [p["column"] for p in problems[2]] == ["联系电话"]
    assert [p["column"] for p in problems[3]] == ["身份证号"]
    assert "masked" in problems[2][0]["message"]


@pytest.mark.django_db
def test_endless_empty_rows_stop_the_reading_with_a_notice(cast, settings):
    settings.NUTAG_IMPORT_MAX_ROWS = 5
    content = "姓名\n张三\n" + "\n" * 100_010 + "李四\n"
    upload = SimpleUploadedFile("roster.csv", content.encode())
    batch = parse(cast.township1_secretary, cast.township1, upload)
    assert [r["name"] for r in batch.rows] == ["张三"]
    assert any("Reading stopped" in text for text in messages_of(batch))


@pytest.mark.django_db
def test_details_added_later_complete_the_person_instead_of_adding_one(
    cast, django_capture_on_commit_callbacks
):
    user = cast.township1_secretary
    run(
        user,
        parse(user, cast.township1, xlsx([HEADER, ["张三"]])),
        django_capture_on_commit_callbacks,
    )
    rows = [HEADER, ["张三", "", "", "1960-05-01", "13912345678"]]
    batch = run(user, parse(user, cast.township1, xlsx(rows)), django_capture_on_commit_callbacks)
    assert (batch.created_count, batch.updated_count) == (0, 1)
    person = Person.objects.get(name="张三")
    assert (person.phone, person.birth_date) == ("13912345678", dt.date(1960, 5, 1))
    # A different phone and birth date: someone else of the same name.
    rows = [HEADER, ["张三", "", "", "1975-02-02", "13800000000"]]
    batch = run(user, parse(user, cast.township1, xlsx(rows)), django_capture_on_commit_callbacks)
    assert batch.created_count == 1
    assert Person.objects.filter(name="张三").count() == 2
