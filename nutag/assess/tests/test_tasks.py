"""Tasks deployed down the tree (四统一): services and selectors. Negatives first — wrong
user, wrong unit, bad input, stale versions and concurrent inspection — then the whole cycle
(issue → report → return → report again → accept → commend) and the query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from nutag.assess.models import (
    Evidence,
    EvidenceKind,
    ReportStatus,
    Task,
    TaskFigure,
    TaskReport,
    TaskStatus,
)
from nutag.assess.selectors.tasks import (
    access_report,
    access_task,
    report_rows,
    reports_visible,
    task_board,
    tasks_issued,
    tasks_received,
)
from nutag.assess.services import reports as report_services
from nutag.assess.services import tasks as services
from nutag.assess.services.evidence import evidence_add
from nutag.assess.tests.taskdata import (
    FIGURES,
    figure_values,
    fill_and_submit,
    freeze,
    issue,
    local_moment,
    report_of,
    secretary,
    today,
)
from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.core.tests.uploads import (
    PDF,
    media_root,  # noqa: F401  (fixture)
    photo,
    upload,
)
from nutag.factories import make_unit
from nutag.orgs import services as org_services
from nutag.orgs.models import UnitKind
from nutag.orgs.permissions import forget_grants
from nutag.sites.models import ArticleStatus
from nutag.sites.selectors import site_articles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Messages are checked by their English text, whatever catalogues are compiled."""
    with translation.override("en"):
        yield


def nothing_issued() -> bool:
    return not Task.objects.exists() and not TaskReport.objects.exists()


# --- issuing: who, where, what ------------------------------------------------------------


def test_people_without_a_position_cannot_issue(cast):
    for user in (cast.volunteer, cast.resident):
        with pytest.raises(NotFound):
            issue(by=user, unit=cast.village1a)
        with pytest.raises(NotFound):
            issue(by=user, unit=cast.township1)
    assert nothing_issued()


def test_a_unit_below_cannot_issue_at_the_unit_above(cast):
    with pytest.raises(NotFound):
        issue(by=cast.village1a_secretary, unit=cast.township1)
    with pytest.raises(NotFound):
        issue(by=cast.township1_officer, unit=cast.banner)
    with pytest.raises(NotFound):  # a sibling township
        issue(by=cast.township1_secretary, unit=cast.township2)
    assert nothing_issued()


def test_a_village_cannot_issue_to_its_township(cast):
    with pytest.raises(NotFound):
        issue(by=cast.village1a_secretary, unit=cast.village1a, targets=[cast.township1])
    with pytest.raises(NotFound):  # nor to a sibling
        issue(by=cast.village1a_secretary, unit=cast.village1a, targets=[cast.village1b])
    with pytest.raises(ValidationError) as exc:  # and it has nobody below it
        issue(by=cast.village1a_secretary, unit=cast.village1a)
    assert "targets" in exc.value.message_dict
    assert nothing_issued()


def test_chosen_targets_must_lie_strictly_below(cast):
    for targets in (
        [cast.village1a, cast.village2a],  # one in another township
        [cast.township1],  # the issuer itself
        [cast.banner],  # the unit above
        [cast.village1a.pk, "x"],  # not even an id
        [999999],  # missing
    ):
        with pytest.raises(NotFound):
            issue(by=cast.township1_officer, unit=cast.township1, targets=targets)
    org_services.unit_close(acting_user=SYSTEM, unit=cast.village1b)
    with pytest.raises(NotFound):  # closed units get no tasks
        issue(by=cast.township1_officer, unit=cast.township1, targets=[cast.village1b])
    with pytest.raises(ValidationError):
        issue(by=cast.township1_officer, unit=cast.township1, targets=[])
    assert nothing_issued()


def test_bad_task_input_is_refused_field_by_field(cast):
    with pytest.raises(ValidationError) as exc:
        issue(
            by=cast.township1_officer,
            unit=cast.township1,
            title="  ",
            requirements="",
            due_on=today() - dt.timedelta(days=1),
            figures=[("", "人"), ("走访", "非常长的计量单位名称啊啊")],
        )
    errors = exc.value.message_dict
    assert {"title", "requirements", "due_on", "figure_0_label", "figure_1_measure"} <= set(errors)
    with pytest.raises(ValidationError) as exc:
        issue(by=cast.township1_officer, unit=cast.township1, figures=[("走访", ""), ("走访", "")])
    assert "figure_1_label" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        issue(by=cast.township1_officer, unit=cast.township1, scope="everyone")
    assert "scope" in exc.value.message_dict
    assert nothing_issued()


def test_a_closed_unit_cannot_issue(cast):
    org_services.unit_close(acting_user=SYSTEM, unit=cast.village1b)
    with pytest.raises(ValidationError):
        issue(by=cast.township1_secretary, unit=cast.village1b)


def test_issue_to_children_subtree_or_chosen_units(cast):
    children = issue(by=cast.banner_officer, unit=cast.banner)
    units = {r.unit for r in children.reports.all()}
    assert units == {cast.township1, cast.township2}
    assert all(r.status == ReportStatus.PENDING for r in children.reports.all())
    assert [(f.label, f.measure) for f in children.figures.all()] == FIGURES
    assert children.issued_by == cast.banner_officer

    subtree = issue(by=cast.banner_officer, unit=cast.banner, scope="subtree")
    assert subtree.reports.count() == 6  # two townships, three units of township1, one village

    chosen = issue(
        by=cast.banner_officer, unit=cast.banner, targets=[cast.village1a, cast.village2a]
    )
    assert {r.unit for r in chosen.reports.all()} == {cast.village1a, cast.village2a}
    entry = AuditEntry.objects.get(object_type="assess.task", object_id=str(chosen.pk))
    assert entry.actor == cast.banner_officer and entry.unit == cast.banner
    assert "2" in entry.note


def test_issue_runs_a_fixed_number_of_queries(cast):
    small = make_unit(parent=cast.banner, kind=UnitKind.TOWNSHIP, name="小镇")
    large = make_unit(parent=cast.banner, kind=UnitKind.TOWNSHIP, name="大镇")
    for i in range(3):
        make_unit(parent=small, kind=UnitKind.VILLAGE, name=f"小{i}")
    for i in range(30):
        make_unit(parent=large, kind=UnitKind.VILLAGE, name=f"大{i}")
    user = cast.banner_officer
    forget_grants(user)
    issue(by=user, unit=cast.banner)  # reads the user's grants once
    counts = []
    for unit in (small, large):
        with CaptureQueriesContext(connection) as queries:
            task = issue(by=user, unit=unit)
        counts.append(len(queries))
        assert task.reports.count() == (3 if unit == small else 30)
    # Issuing takes 8; telling the units' officers (nutag.notify) a few more, as many for 30
    # units as for 3.
    assert counts[0] == counts[1] <= 14, counts


# --- seeing tasks and reports ---------------------------------------------------------------


def test_a_sibling_cannot_open_another_units_report(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    other = report_of(task, cast.village1b)
    with pytest.raises(NotFound):
        access_report(user=cast.village1a_secretary, pk=other.pk)
    with pytest.raises(NotFound):
        access_report(user=cast.village2a_secretary, pk=other.pk)
    with pytest.raises(NotFound):
        access_report(user=cast.volunteer, pk=other.pk)
    with pytest.raises(NotFound):
        access_report(user=cast.village1a_secretary, pk="nope")
    with pytest.raises(NotFound):
        access_task(user=cast.village2a_secretary, pk=task.pk)  # not a target, not above
    with pytest.raises(NotFound):
        access_task(user=cast.resident, pk=task.pk)
    with pytest.raises(NotFound):
        access_task(user=cast.township1_officer, pk=999999)


def test_a_target_sees_the_task_but_only_its_own_report(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    assert access_task(user=cast.village1a_officer, pk=task.pk) == task
    assert [r.unit for r in reports_visible(user=cast.village1a_officer, task=task)] == [
        cast.village1a
    ]
    mine = report_of(task, cast.village1a)
    assert access_report(user=cast.village1a_officer, pk=mine.pk) == mine
    # the issuer and the units above it see everything
    assert reports_visible(user=cast.township1_officer, task=task).count() == 3
    assert reports_visible(user=cast.banner_officer, task=task).count() == 3
    assert access_report(user=cast.banner_officer, pk=mine.pk) == mine
    # a township sees a banner task through its villages' reports, and only theirs
    banner_task = issue(by=cast.banner_officer, unit=cast.banner, scope="subtree")
    seen = {r.unit for r in reports_visible(user=cast.township1_secretary, task=banner_task)}
    assert seen == {cast.township1, cast.village1a, cast.village1b, cast.school1}


# --- reporting: bad input keeps what was there ---------------------------------------------


def test_only_the_units_own_people_can_report(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1b)
    for user in (cast.village1a_secretary, cast.village2a_secretary, cast.volunteer):
        with pytest.raises(NotFound):
            report_services.report_save(
                acting_user=user, report=report, text="越权", figures={}, version=0
            )
        with pytest.raises(NotFound):
            report_services.report_submit(acting_user=user, report=report, version=0)
    assert report_of(task, cast.village1b).text == ""


@pytest.mark.parametrize(
    ("bad", "message"),
    [(-1, "negative"), ("-3", "negative"), ("三", "whole number"), ("2.5", "whole number"),
     ("12a", "whole number"), (True, "whole number"), (10**12, "too large")],
)  # fmt: skip
def test_figures_must_be_whole_numbers_not_below_zero(cast, bad, message):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    report_services.report_save(
        acting_user=cast.village1a_officer,
        report=report,
        text="第一稿",
        figures=figure_values(task, 3, 1),
        version=0,
    )
    first, second = task.figures.order_by("position")
    with pytest.raises(ValidationError) as exc:
        report_services.report_save(
            acting_user=cast.village1a_officer,
            report=report,
            text="第二稿",
            figures={str(first.pk): 4, str(second.pk): bad},
            version=report.version,
        )
    errors = exc.value.message_dict
    assert list(errors) == [f"figure_{second.pk}"]
    assert message in errors[f"figure_{second.pk}"][0]
    stored = report_of(task, cast.village1a)
    assert stored.text == "第一稿" and stored.figures == {str(first.pk): 3, str(second.pk): 1}
    assert stored.version == 1


def test_figures_take_phone_input(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    first, second = task.figures.order_by("position")
    report_services.report_save(
        acting_user=cast.village1a_officer,
        report=report,
        text="",
        figures={f"figure_{first.pk}": "１２", second: " 1,200 "},
        version=0,
    )
    assert report_of(task, cast.village1a).figures == {str(first.pk): 12, str(second.pk): 1200}
    other = issue(by=cast.township1_officer, unit=cast.township1, title="另一项")
    with pytest.raises(ValidationError) as exc:  # a figure of another task
        report_services.report_save(
            acting_user=cast.village1a_officer,
            report=report,
            text="",
            figures={other.figures.first().pk: 1},  # type: ignore[union-attr]
            version=1,
        )
    assert "figures" in exc.value.message_dict


def test_submit_needs_every_figure_and_an_account(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    first, second = task.figures.order_by("position")
    report_services.report_save(
        acting_user=cast.village1a_officer,
        report=report,
        text="",
        figures={first.pk: 0},
        version=0,
    )
    with pytest.raises(ValidationError) as exc:
        report_services.report_submit(acting_user=cast.village1a_officer, report=report, version=1)
    assert set(exc.value.message_dict) == {f"figure_{second.pk}", "text"}
    assert report_of(task, cast.village1a).status == ReportStatus.PENDING


def test_a_report_after_the_deadline_is_refused_and_the_draft_kept(cast, monkeypatch):
    due = today() + dt.timedelta(days=1)
    task = issue(by=cast.township1_officer, unit=cast.township1, due_on=due)
    report = report_of(task, cast.village1a)
    freeze(monkeypatch, local_moment(due, 23, 59))  # the last minute of the due date: on time
    on_time = fill_and_submit(report_of(task, cast.village1b), by=cast.township1_secretary)
    assert on_time.status == ReportStatus.SUBMITTED and not on_time.late

    freeze(monkeypatch, local_moment(due + dt.timedelta(days=1), 0, 1))
    report_services.report_save(
        acting_user=cast.village1a_officer,
        report=report,
        text="迟到的报告",
        figures=figure_values(task, 1, 1),
        version=0,
    )
    with pytest.raises(ValidationError) as exc:
        report_services.report_submit(acting_user=cast.village1a_officer, report=report, version=1)
    assert exc.value.code == "deadline"
    assert "draft is kept" in exc.value.messages[0]
    stored = report_of(task, cast.village1a)
    assert stored.status == ReportStatus.PENDING and stored.text == "迟到的报告"

    services.task_update(acting_user=cast.township1_officer, task=task, accepts_late=True)
    late = report_services.report_submit(
        acting_user=cast.village1a_officer, report=report, version=1
    )
    assert late.status == ReportStatus.SUBMITTED and late.late
    assert report_of(task, cast.village1a).late


def test_a_returned_report_may_be_sent_again_after_the_due_date(cast, monkeypatch):
    due = today()
    task = issue(by=cast.township1_officer, unit=cast.township1, due_on=due)
    report = fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    freeze(monkeypatch, local_moment(due + dt.timedelta(days=3), 9))
    report_services.report_inspect(
        acting_user=cast.township1_officer,
        report=report,
        decision="return",
        comment="补充照片",
        version=report.version,
    )
    again = report_services.report_submit(
        acting_user=cast.village1a_officer, report=report, version=report.version
    )
    assert again.status == ReportStatus.SUBMITTED and not again.late


def test_a_closed_task_takes_no_more_reports(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    waiting = fill_and_submit(report_of(task, cast.village1b), by=cast.township1_secretary)
    report = report_of(task, cast.village1a)
    with pytest.raises(NotFound):  # closing needs the issuer's right
        services.task_close(acting_user=cast.village1a_secretary, task=task)
    services.task_close(acting_user=cast.township1_officer, task=task)
    with pytest.raises(ValidationError):
        services.task_close(acting_user=cast.township1_officer, task=task)
    with pytest.raises(ValidationError):
        report_services.report_save(
            acting_user=cast.village1a_officer, report=report, text="x", figures={}, version=0
        )
    with pytest.raises(ValidationError):
        report_services.report_submit(acting_user=cast.village1a_officer, report=report, version=0)
    with pytest.raises(ValidationError):  # it could not come back
        report_services.report_inspect(
            acting_user=cast.township1_officer,
            report=waiting,
            decision="return",
            comment="再改",
            version=waiting.version,
        )
    accepted = report_services.report_inspect(
        acting_user=cast.township1_officer, report=waiting, decision="accept", version=2
    )
    assert accepted.status == ReportStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.task_update(acting_user=cast.township1_officer, task=task, title="改")


def test_evidence_of_the_wrong_type_or_too_big_is_refused(cast, media_root):  # noqa: F811
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    with pytest.raises(ValidationError):
        evidence_add(acting_user=cast.village1a_officer, owner=report, kind=EvidenceKind.TEXT)
    with pytest.raises(ValidationError):  # a PDF is not a photo
        evidence_add(
            acting_user=cast.village1a_officer,
            owner=report,
            kind=EvidenceKind.PHOTO,
            upload=upload("照片.jpg", PDF),
        )
    with pytest.raises(ValidationError):  # a picture is not a PDF
        evidence_add(
            acting_user=cast.village1a_officer,
            owner=report,
            kind=EvidenceKind.FILE,
            upload=photo("总结.pdf"),
        )
    with pytest.raises(ValidationError):  # a link leaving the platform
        evidence_add(
            acting_user=cast.village1a_officer,
            owner=report,
            kind=EvidenceKind.LINK,
            url="https://example.com/",
        )
    with override_settings(NUTAG_IMAGE_MAX_BYTES=1000), pytest.raises(ValidationError) as exc:
        evidence_add(
            acting_user=cast.village1a_officer,
            owner=report,
            kind=EvidenceKind.PHOTO,
            upload=photo(),
        )
    assert "limit" in exc.value.messages[0]
    with pytest.raises(NotFound):  # a sibling cannot attach to it
        evidence_add(
            acting_user=cast.village2a_secretary,
            owner=report,
            kind=EvidenceKind.PHOTO,
            upload=photo(),
        )
    assert not Evidence.objects.exists()
    assert not (media_root.exists() and list(media_root.rglob("*.*")))  # no file left behind
    evidence_add(
        acting_user=cast.village1a_officer, owner=report, kind=EvidenceKind.PHOTO, upload=photo()
    )
    assert Evidence.objects.filter(report=report, kind=EvidenceKind.PHOTO).count() == 1


# --- inspection: who, and one result when two act at once ----------------------------------


def test_only_the_issuer_inspects(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    township2_secretary = secretary(cast.township2, "t2-secretary")
    for user in (
        township2_secretary,  # another township
        cast.village1a_secretary,  # the unit itself
        cast.village2a_secretary,
        cast.volunteer,
    ):
        with pytest.raises(NotFound):
            report_services.report_inspect(
                acting_user=user, report=report, decision="accept", version=report.version
            )
    assert report_of(task, cast.village1a).status == ReportStatus.SUBMITTED


def test_a_township_cannot_inspect_its_own_report_on_a_banner_task(cast):
    task = issue(by=cast.banner_officer, unit=cast.banner)
    report = fill_and_submit(report_of(task, cast.township1), by=cast.township1_officer)
    with pytest.raises(NotFound):
        report_services.report_inspect(
            acting_user=cast.township1_secretary,
            report=report,
            decision="accept",
            version=report.version,
        )
    assert report_of(task, cast.township1).status == ReportStatus.SUBMITTED


def test_returning_needs_a_comment_and_a_submitted_report(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    pending = report_of(task, cast.village1b)
    with pytest.raises(ValidationError):
        report_services.report_inspect(
            acting_user=cast.township1_officer, report=pending, decision="accept", version=0
        )
    report = fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    with pytest.raises(ValidationError) as exc:
        report_services.report_inspect(
            acting_user=cast.township1_officer,
            report=report,
            decision="return",
            comment="  ",
            version=report.version,
        )
    assert "comment" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        report_services.report_inspect(
            acting_user=cast.township1_officer,
            report=report,
            decision="maybe",  # type: ignore[arg-type]
            version=report.version,
        )
    assert "decision" in exc.value.message_dict
    assert report_of(task, cast.village1a).status == ReportStatus.SUBMITTED


def test_a_stale_version_is_refused(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = report_of(task, cast.village1a)
    report_services.report_save(
        acting_user=cast.village1a_officer, report=report, text="甲", figures={}, version=0
    )
    with pytest.raises(ValidationError) as exc:  # a second phone with the old page
        report_services.report_save(
            acting_user=cast.village1a_secretary, report=report, text="乙", figures={}, version=0
        )
    assert exc.value.code == "stale"
    with pytest.raises(ValidationError):
        report_services.report_save(
            acting_user=cast.village1a_secretary, report=report, text="乙", figures={}, version="x"
        )
    assert report_of(task, cast.village1a).text == "甲"


def test_two_inspectors_accepting_at_once_end_in_one_result(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    seen_by_one = report_of(task, cast.village1a)  # both pages show the same version
    seen_by_two = report_of(task, cast.village1a)
    version = seen_by_one.version
    report_services.report_inspect(
        acting_user=cast.township1_officer, report=seen_by_one, decision="accept", version=version
    )
    with pytest.raises(ValidationError) as exc:
        report_services.report_inspect(
            acting_user=cast.township1_secretary,
            report=seen_by_two,
            decision="accept",
            version=version,
        )
    assert exc.value.code == "stale"
    with pytest.raises(ValidationError) as exc:  # nor can a return undo the acceptance
        report_services.report_inspect(
            acting_user=cast.township1_secretary,
            report=seen_by_two,
            decision="return",
            comment="重写",
            version=version,
        )
    assert exc.value.code == "stale"
    final = report_of(task, cast.village1a)
    assert final.status == ReportStatus.ACCEPTED
    assert final.reviewed_by == cast.township1_officer
    assert final.version == version + 1
    inspections = AuditEntry.objects.filter(
        object_type="assess.taskreport", object_id=str(final.pk), actor__isnull=False
    ).filter(changes__has_key="review_comment")
    assert inspections.count() == 1


def test_the_compare_and_set_itself_changes_one_row_once(cast):
    """The update behind every change: two writers holding the same version, and only the
    first changes the row (what the database does when they really run at once)."""
    task = issue(by=cast.township1_officer, unit=cast.township1)
    report = fill_and_submit(report_of(task, cast.village1a), by=cast.village1a_officer)
    v = report.version
    rows = [
        TaskReport.objects.filter(pk=report.pk, version=v, status=ReportStatus.SUBMITTED).update(
            status=status, version=v + 1
        )
        for status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
    ]
    assert rows == [1, 0]
    assert report_of(task, cast.village1a).status == ReportStatus.ACCEPTED


# --- changing a task ------------------------------------------------------------------------


def test_a_due_date_can_only_be_extended(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    with pytest.raises(NotFound):
        services.task_update(acting_user=cast.village1a_secretary, task=task, title="越权")
    with pytest.raises(ValidationError) as exc:
        services.task_update(
            acting_user=cast.township1_officer, task=task, due_on=task.due_on - dt.timedelta(1)
        )
    assert "due_on" in exc.value.message_dict
    later = task.due_on + dt.timedelta(days=5)
    updated = services.task_update(
        acting_user=cast.township1_officer, task=task, due_on=later, title="  新标题 "
    )
    assert updated.due_on == later and updated.title == "新标题"
    entry = AuditEntry.objects.filter(object_type="assess.task", action="update").get()
    assert set(entry.changes) == {"due_on", "title"}


# --- the board and the table ----------------------------------------------------------------


def test_board_lists_who_lags(cast, monkeypatch):
    due = today()
    task = issue(by=cast.township1_officer, unit=cast.township1, due_on=due, accepts_late=True)
    on_time = fill_and_submit(
        report_of(task, cast.village1a), by=cast.village1a_officer, values=(5, 2)
    )
    report_services.report_inspect(
        acting_user=cast.township1_officer, report=on_time, decision="accept", version=2
    )
    board = task_board(task=task)
    assert not board.overdue
    assert [r.unit for r in board.missing] == [cast.village1b, cast.school1]
    freeze(monkeypatch, local_moment(due + dt.timedelta(days=1), 8))
    fill_and_submit(report_of(task, cast.village1b), by=cast.township1_secretary, values=(3, 4))
    board = task_board(task=task)
    assert board.overdue
    assert [r.unit for r in board.late] == [cast.village1b]
    assert [r.unit for r in board.waiting] == [cast.village1b]
    assert [r.unit for r in board.accepted] == [cast.village1a]
    assert [r.unit for r in board.missing] == [cast.school1]
    assert board.counts == {
        "total": 3, "accepted": 1, "waiting": 1, "returned": 0, "missing": 1, "late": 1,
        "reported": 2,
    }  # fmt: skip
    assert board.accepted_percent == 33

    table = report_rows(task=task)
    assert [f.label for f in table.figures] == ["走访青少年", "开展活动"]
    assert [(r.unit, r.values, r.late) for r in table.rows] == [
        (cast.village1a, [5, 2], False),
        (cast.village1b, [3, 4], True),
        (cast.school1, [None, None], False),
    ]
    assert table.totals_reported == [8, 6]
    assert table.totals_accepted == [5, 2]

    issued = tasks_issued(unit=cast.township1).get()
    assert (issued.n_reports, issued.n_accepted, issued.n_waiting, issued.n_pending) == (3, 1, 1, 1)
    received = list(tasks_received(unit=cast.village1b))
    assert [(t.pk, t.report_status, t.report_late) for t in received] == [
        (task.pk, ReportStatus.SUBMITTED, True)
    ]
    assert list(tasks_received(unit=cast.village2a)) == []


def test_board_and_table_cost_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    task = issue(by=cast.banner_officer, unit=cast.banner, scope="subtree")
    with django_assert_max_num_queries(1):
        task_board(task=task)
    with django_assert_max_num_queries(2):
        report_rows(task=task)


# --- the whole cycle ------------------------------------------------------------------------


def test_issue_report_return_report_accept_commend(cast, media_root):  # noqa: F811
    banner_secretary = secretary(cast.banner, "banner-secretary")
    task = issue(
        by=cast.banner_officer,
        unit=cast.banner,
        targets=[cast.village1a, cast.village2a],
        title="暑期关爱行动",
    )
    report = report_of(task, cast.village1a)

    report_services.report_save(
        acting_user=cast.village1a_officer,
        report=report,
        text="组织了夏令营。",
        figures=figure_values(task, 20, 3),
        version=report.version,
    )
    evidence_add(
        acting_user=cast.village1a_officer, owner=report, kind=EvidenceKind.PHOTO, upload=photo()
    )
    report_services.report_submit(
        acting_user=cast.village1a_officer, report=report, version=report.version
    )
    with pytest.raises(ValidationError):  # submitted: frozen until inspected
        report_services.report_save(
            acting_user=cast.village1a_officer,
            report=report,
            text="改",
            figures={},
            version=report.version,
        )
    returned = report_services.report_inspect(
        acting_user=cast.banner_officer,
        report=report,
        decision="return",
        comment="请补充活动次数的说明",
        version=report.version,
    )
    assert returned.status == ReportStatus.RETURNED
    assert returned.review_comment == "请补充活动次数的说明"

    report_services.report_save(
        acting_user=cast.village1a_officer,
        report=report,
        text="组织了夏令营三次。",
        figures=figure_values(task, 20, 3),
        version=report.version,
    )
    report_services.report_submit(
        acting_user=cast.village1a_officer, report=report, version=report.version
    )
    accepted = report_services.report_inspect(
        acting_user=cast.banner_officer,
        report=report,
        decision="accept",
        comment="很好",
        version=report.version,
    )
    assert accepted.status == ReportStatus.ACCEPTED

    pending = report_of(task, cast.village2a)
    with pytest.raises(NotFound):  # an officer cannot publish
        services.task_commend(
            acting_user=cast.banner_officer, task=task, reports=[report], text="表扬"
        )
    with pytest.raises(ValidationError) as exc:  # only accepted reports
        services.task_commend(
            acting_user=banner_secretary, task=task, reports=[report, pending], text="表扬"
        )
    assert "reports" in exc.value.message_dict
    other = issue(by=cast.township1_officer, unit=cast.township1)
    with pytest.raises(NotFound):  # a report of another task
        services.task_commend(
            acting_user=banner_secretary,
            task=task,
            reports=[report_of(other, cast.village1a)],
            text="表扬",
        )
    with pytest.raises(ValidationError) as exc:
        services.task_commend(acting_user=banner_secretary, task=task, reports=[report], text="")
    assert "text" in exc.value.message_dict
    assert not TaskReport.objects.filter(commended=True).exists()

    article = services.task_commend(
        acting_user=banner_secretary,
        task=task,
        reports=[report],
        text="一甲嘎查暑期关爱行动组织有力，予以表扬。",
    )
    assert article.status == ArticleStatus.PUBLISHED
    assert article.unit == cast.banner
    assert "一甲嘎查" in article.body
    assert article in site_articles(unit=cast.banner)
    assert article in site_articles(unit=cast.village1a)
    assert article not in site_articles(unit=cast.village2a)
    task.refresh_from_db()
    assert task.commendation == article
    assert report_of(task, cast.village1a).commended
    with pytest.raises(ValidationError):  # one commendation per task
        services.task_commend(
            acting_user=banner_secretary, task=task, reports=[report], text="再表扬"
        )

    # every step left an audit row
    report_changes = AuditEntry.objects.filter(
        object_type="assess.taskreport", object_id=str(report.pk)
    )
    assert report_changes.count() >= 8
    assert AuditEntry.objects.filter(object_type="assess.task", object_id=str(task.pk)).count() == 2


def test_figures_are_fixed_once_issued(cast):
    task = issue(by=cast.township1_officer, unit=cast.township1)
    assert TaskFigure.objects.filter(task=task).count() == 2
    services.task_update(acting_user=cast.township1_officer, task=task, requirements="新要求")
    assert TaskFigure.objects.filter(task=task).count() == 2
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN
