"""The preview (issue 11): who is added and who changes, every problem of a row in one
card, the import linked from the people list, previews expiring after a day."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction, AuditEntry
from nutag.factories import PersonFactory
from nutag.people.importing import (
    batch_report,
    import_batches_of_unit,
    import_confirm,
    import_parse,
    import_previews_expire,
)
from nutag.people.models import ImportBatch, ImportStatus


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("roster.xlsx", out.getvalue())


def parse(user, unit, rows) -> ImportBatch:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return import_parse(acting_user=user, unit=unit, uploaded_file=xlsx(rows))


def age(batch: ImportBatch, hours: float) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=hours)
    )


# --------------------------------------------------------------------------- expiry


@pytest.mark.django_db
def test_only_the_system_expires_previews(cast):
    for user in (cast.township1_secretary, cast.banner_officer, cast.admin):
        with pytest.raises(NotFound):
            import_previews_expire(acting_user=user)


@pytest.mark.django_db
def test_previews_never_confirmed_expire_after_a_day_confirmed_batches_never(
    cast, django_capture_on_commit_callbacks
):
    user, unit = cast.township1_secretary, cast.township1
    fresh = parse(user, unit, [["姓名"], ["甲"]])
    stale = parse(user, unit, [["姓名"], ["乙"]])
    done = parse(user, unit, [["姓名"], ["丙"]])
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(acting_user=user, batch=done)
    for batch in (stale, done):
        age(batch, 25)
    age(fresh, 23)
    # Hidden from the recent imports at once, before any cleanup ran.
    listed = {b.pk for b in import_batches_of_unit(user=user, unit=unit)}
    assert listed == {fresh.pk, done.pk}
    stale.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        import_confirm(acting_user=user, batch=stale)
    assert info.value.code == "expired"
    call_command("expire_import_previews", stdout=io.StringIO())
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {fresh.pk, done.pk}
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_type="people.importbatch", object_id=str(stale.pk)
    ).exists()
    assert ImportBatch.objects.get(pk=done.pk).status == ImportStatus.DONE


@pytest.mark.django_db
def test_a_new_import_clears_expired_previews_lazily(cast):
    user, unit = cast.township1_secretary, cast.township1
    stale = parse(user, unit, [["姓名"], ["乙"]])
    age(stale, 30)
    parse(user, unit, [["姓名"], ["甲"]])
    assert not ImportBatch.objects.filter(pk=stale.pk).exists()
    assert import_previews_expire(acting_user=SYSTEM) == 0


@pytest.mark.django_db
def test_an_expired_preview_offers_no_confirm_button(client, cast):
    batch = parse(cast.township1_secretary, cast.township1, [["姓名"], ["甲"]])
    age(batch, 25)
    client.force_login(cast.township1_secretary)
    html = client.get(
        reverse("people-import-batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "more than a day old" in html
    assert reverse("people-import-confirm", args=[batch.pk]) not in html


# --------------------------------------------------------------------------- the preview


@pytest.mark.django_db
def test_every_problem_of_a_row_is_in_one_card_with_the_name(cast):
    PersonFactory(unit=cast.township1, name="赵六")
    PersonFactory(unit=cast.township1, name="赵六")
    rows = [
        ["姓名", "性别", "民族", "联系电话", "出生日期"],
        ["新人", "未知", "火星族", "139****5678", "1950-13"],  # bad cells and a masked phone
        ["赵六", "男", "蒙", "", "1960-13-01"],  # a bad date, and two people it could be
    ]
    batch = parse(cast.township1_secretary, cast.township1, rows)
    with translation.override("en"):
        report = batch_report(batch=batch)
    first, second = report.cards
    assert first.heading == "Row 2 新人"
    assert len(first.lines) == 4
    assert any("masked" in line for line in first.lines)
    assert any(line.startswith("性别 (“未知”)") for line in first.lines)
    assert second.heading == "Row 3 赵六"
    assert any("Several people" in line for line in second.lines)
    assert "139****5678" not in str(batch.errors)


@pytest.mark.django_db
def test_the_preview_lists_who_is_added_and_who_changes(client, cast):
    PersonFactory(unit=cast.village1a, name="张三", phone="13912345678")
    rows = [
        ["姓名", "单位", "联系电话", "籍贯"],
        ["张三", "一甲嘎查", "13912345678", "呼伦贝尔"],
        ["李四", "一乙嘎查", "", ""],
    ]
    batch = parse(cast.township1_secretary, cast.township1, rows)
    with translation.override("en"):
        report = batch_report(batch=batch)
    assert [(r.name, r.unit) for r in report.added] == [("李四", "一乙嘎查")]
    [changed] = report.changed
    assert (changed.name, changed.changes) == ("张三", ["Other information"])
    client.force_login(cast.township1_secretary)
    html = client.get(
        reverse("people-import-batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<details class="wide-open card"><summary>Who will be added (1)</summary>' in html
    assert "Who changes (1)" in html


@pytest.mark.django_db
def test_the_people_list_links_to_the_import_beside_add_and_export(client, cast):
    url = reverse("desk-people", args=[cast.township1.code])
    client.force_login(cast.township1_secretary)
    html = client.get(url).content.decode()
    add = html.index(reverse("desk-person-add", args=[cast.township1.code]))
    assert add < html.index(reverse("people-import", args=[cast.township1.code]))
    assert html.index(reverse("people-import", args=[cast.township1.code])) < html.index(
        reverse("people-export", args=[cast.township1.code])
    )
