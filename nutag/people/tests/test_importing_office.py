"""Issue 11: a roster as an office really keeps it, in .xlsx, .xls and GBK .csv, imports
every good row, refuses each bad one with all its reasons, and imports again unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from nutag.people.importing import batch_report, import_confirm, import_parse
from nutag.people.models import ImportBatch, Person
from nutag.people.partial_dates import DatePrecision

from . import office_roster as office

FILES = Path(__file__).parent / "files"


def office_xlsx() -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in office.sheet_rows():
        sheet.append(row)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(office.HEADER))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("五老花名册.xlsx", out.getvalue())


def office_xls() -> SimpleUploadedFile:
    return SimpleUploadedFile("五老花名册.xls", (FILES / "office_roster.xls").read_bytes())


def office_csv() -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(office.sheet_rows())
    return SimpleUploadedFile("五老花名册.csv", text.getvalue().encode("gbk"))


FORMATS = {"xlsx": office_xlsx, "xls": office_xls, "csv-gbk": office_csv}


def parse(user, unit, upload, language: str = "en") -> ImportBatch:  # type: ignore[no-untyped-def]
    with translation.override(language):
        return import_parse(acting_user=user, unit=unit, uploaded_file=upload)


def run(user, batch, capture) -> ImportBatch:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        import_confirm(acting_user=user, batch=batch)
    batch.refresh_from_db()
    return batch


def problem_columns(batch: ImportBatch) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for problem in batch.errors:
        if not problem.get("notice"):
            out.setdefault(problem["row"], set()).add(problem["column"])
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(FORMATS))
def test_office_roster_imports_its_good_rows_refuses_the_bad_with_every_reason(
    cast, kind, django_capture_on_commit_callbacks
):
    user, unit = cast.township1_secretary, cast.township1
    batch = parse(user, unit, FORMATS[kind](), "zh-hans")
    assert problem_columns(batch) == office.REFUSED
    assert [r["name"] for r in batch.rows] == office.GOOD
    notices = {p["column"]: p["message"] for p in batch.errors if p.get("notice")}
    assert set(notices) == {"序号", "籍贯", "微信号", "备注2"}
    assert "其他信息" in notices["籍贯"]
    # Every problem names the person; the duplicate names the refused row it repeats.
    by_row = {p["row"]: p for p in batch.errors if p.get("row") == 12}
    assert by_row[12]["name"] == "王宝林"
    assert "第11行" in by_row[12]["message"]
    with translation.override("zh-hans"):
        report = batch_report(batch=batch)
    [card11] = [c for c in report.cards if c.row == 11]
    assert card11.heading == "第11行 王宝林"
    assert len(card11.lines) == 3
    assert "出生日期与身份证号不一致（身份证为1950年3月，表中为1950年5月）" in card11.lines

    batch = run(user, batch, django_capture_on_commit_callbacks)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (6, 0, 0)
    wang = Person.objects.select_related("party", "care").get(name="王宝山")
    # 1950.03 agrees with the ID number's 1950-03-17, which gives the full date.
    assert (wang.birth_date, wang.birth_date_precision) == (dt.date(1950, 3, 17), "day")
    assert wang.ethnicity == "02"
    assert (wang.party.joined_on, wang.party.joined_on_precision) == (dt.date(1975, 7, 1), "month")
    assert wang.care.elder_category == "cadre"
    assert wang.extra == {"籍贯": "呼伦贝尔", "微信号": "wbs1950"}
    wuyun = Person.objects.select_related("party").get(name="乌云其木格")
    assert (wuyun.birth_date, wuyun.birth_date_precision) == (dt.date(1958, 6, 1), "month")
    assert not hasattr(wuyun, "party") or wuyun.party is None
    assert wuyun.extra == {"籍贯": "陈巴尔虎旗", "备注2": "退休前在 旗一中"}
    zhang = Person.objects.select_related("party").get(name="张三")
    assert (zhang.gender, zhang.ethnicity) == ("m", "01")
    assert zhang.birth_date_precision == DatePrecision.MONTH
    assert zhang.party.joined_on_precision == DatePrecision.YEAR
    bater = Person.objects.get(name="巴特尔")
    assert (bater.ethnicity, bater.birth_date, bater.birth_date_precision) == (
        "31",
        dt.date(1955, 5, 1),
        "month",
    )
    li = Person.objects.get(name="李秀英")
    assert (li.birth_date, li.birth_date_precision, li.ethnicity) == (
        dt.date(1948, 1, 1),
        "year",
        "03",
    )
    aodeng = Person.objects.get(name="敖登")
    assert (aodeng.ethnicity, aodeng.phone, aodeng.birth_date_precision) == (
        "31",
        "13912340008",
        "day",
    )
    assert not Person.objects.filter(name__in=["王宝林", "萨仁"]).exists()

    # The same file again changes nothing, and says the same about the bad rows.
    again = parse(user, unit, FORMATS[kind]())
    assert batch_report(batch=again).expected == {"created": 0, "updated": 0, "unchanged": 6}
    assert problem_columns(again) == office.REFUSED
    again = run(user, again, django_capture_on_commit_callbacks)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 6)


@pytest.mark.django_db
def test_the_copy_with_a_problem_column_names_each_refused_row(client, cast):
    batch = parse(cast.township1_secretary, cast.township1, office_xlsx(), "zh-hans")
    url = reverse("people-import-problems", args=[batch.pk])
    for who in ("village2a_secretary", "village1a_secretary", "volunteer"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 404
    client.force_login(cast.township1_secretary)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [*office.HEADER, "问题"]
    by_name = {(r[0], r[1]): r[-1] for r in rows[1:]}
    assert by_name[("1", "王宝山")] is None
    assert "出生日期与身份证号不一致" in by_name[("6", "王宝林")]
    assert "五老类别" in by_name[("6", "王宝林")]
    assert "第11行" in by_name[("7", "王宝林")]
    # Corrected and imported again, the copy is read like the file (its 问题 column ignored).
    again = parse(
        cast.township1_secretary,
        cast.township1,
        SimpleUploadedFile("copy.xlsx", response.content),
    )
    # The copy has no title or blank rows: the original rows 11, 12 and 14 are 7, 8 and 10.
    assert problem_columns(again) == {7: office.REFUSED[11], 8: {"身份证号"}, 10: {"出生年月"}}
    assert [r["name"] for r in again.rows] == office.GOOD
    assert "问题" not in again.extra_columns


@pytest.mark.django_db
def test_unticked_extra_columns_are_not_kept(client, cast, django_capture_on_commit_callbacks):
    batch = parse(cast.township1_secretary, cast.township1, office_xlsx())
    assert batch.extra_columns == ["籍贯", "微信号", "备注2"]
    client.force_login(cast.township1_secretary)
    page = client.get(reverse("people-import-batch", args=[batch.pk])).content.decode()
    assert 'name="keep" value="微信号" checked' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("people-import-confirm", args=[batch.pk]),
            {"extra_columns_listed": "1", "keep": ["籍贯"]},
        )
    assert Person.objects.get(name="王宝山").extra == {"籍贯": "呼伦贝尔"}
    assert Person.objects.get(name="乌云其木格").extra == {"籍贯": "陈巴尔虎旗"}
