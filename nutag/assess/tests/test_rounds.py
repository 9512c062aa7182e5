"""Rounds and assessments through the services and selectors.

Negatives first: the wrong user, the wrong unit (a sibling never sees, fills or reviews; a
village never reviews itself), bad input (scores outside the points, missing evidence, the
wrong kind or size of evidence, after the due date, a finished round, a stale version, two
reviewers at once) — each refused with nothing already entered lost. Then the work cycle,
the history, and the query count of opening a round.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    AutoSource,
    Round,
    StandardKind,
)
from nutag.assess.selectors import rounds as sel
from nutag.assess.services import assessments as assessment_services
from nutag.assess.services import rounds as services
from nutag.assess.services import standards as standard_services
from nutag.assess.services.evidence import evidence_add
from nutag.assess.tests.rounds_helpers import (
    assessment_of,
    banner_secretary,
    defaults,
    fill,
    five_good,
    items_of,
    open_round,
    review,
    submitted,
    this_year,
)
from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.core.tests.uploads import (
    media_root,  # noqa: F401  (fixture)
    photo,
    upload,
)
from nutag.factories import PersonFactory, make_care_worker, make_unit, person_with_position
from nutag.orgs import services as org_services
from nutag.orgs.models import PositionTitle, UnitKind

pytestmark = pytest.mark.django_db
PEOPLE_BELOW_BANNER = 6  # 2 townships, 3 villages, 1 school


def scores_of(assessment: Assessment) -> list[int | None]:
    return [row.self_score for row in items_of(assessment)]


# --- opening a round: wrong user, wrong unit, bad input ---------------------------------------


def test_only_a_secretary_at_the_unit_opens_a_round(cast):
    standard = five_good(cast.banner)
    for user in (
        cast.banner_officer,  # an officer has no MANAGE_STANDARDS
        cast.township1_secretary,  # below the banner
        cast.village1a_secretary,
        cast.volunteer,
        cast.resident,
    ):
        with pytest.raises(NotFound):
            open_round(cast.banner, standard, user=user)
    with pytest.raises(NotFound):  # a sibling township
        open_round(cast.township2, five_good(cast.township2), user=cast.township1_secretary)
    assert not Round.objects.exists() and not Assessment.objects.exists()


def test_a_standard_of_another_subtree_or_without_items_is_refused(cast):
    t2_standard = five_good(cast.township2)
    with pytest.raises(ValidationError) as exc:
        open_round(cast.township1, t2_standard, user=cast.township1_secretary)
    assert "standard" in exc.value.message_dict
    empty = standard_services.standard_create(
        acting_user=SYSTEM, unit=cast.banner, name="六有", pass_mark=0
    )
    with pytest.raises(ValidationError) as exc:
        open_round(cast.banner, empty)
    assert "standard" in exc.value.message_dict
    standard_services.standard_item_add(
        acting_user=SYSTEM, standard=empty, title="有组织", points=10
    )
    empty.pass_mark = 60
    empty.save()
    with pytest.raises(ValidationError) as exc:  # pass mark above the points
        open_round(cast.banner, empty)
    assert "60" in exc.value.message_dict["standard"][0]
    assert not Round.objects.exists()


def test_one_round_per_unit_standard_and_year(cast):
    standard = five_good(cast.banner)
    open_round(cast.banner, standard, year=2024)
    with pytest.raises(ValidationError) as exc:
        open_round(cast.banner, standard, year=2024)
    assert "2024" in exc.value.message_dict["year"][0]
    assert Round.objects.count() == 1
    open_round(cast.banner, standard, year=2025)  # another year is fine
    open_round(cast.township1, standard, year=2024)  # and another unit below
    assert Round.objects.count() == 3


# --- who sees and fills what ------------------------------------------------------------------


def test_siblings_and_people_without_a_position_never_see_an_assessment(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    for user in (
        cast.village2a_secretary,
        cast.volunteer,
        cast.resident,
    ):
        with pytest.raises(NotFound):
            sel.access_assessment(user=user, pk=mine.pk)
    with pytest.raises(NotFound):  # a sibling village in the same township
        sel.access_assessment(
            user=cast.village2a_secretary, pk=assessment_of(round_, cast.village1b).pk
        )
    with pytest.raises(NotFound):
        sel.access_assessment(user=cast.admin, pk=10**9)
    for user in (cast.village1a_officer, cast.township1_officer, cast.banner_officer, cast.admin):
        assert sel.access_assessment(user=user, pk=mine.pk) == mine
    # a village sees the round, and only its own line of it
    assert sel.access_round(user=cast.village2a_secretary, pk=round_.pk) == round_
    lines = sel.round_results(round=round_, user=cast.village2a_secretary)
    assert [a.unit for a in lines] == [cast.village2a]
    township = sel.round_results(round=round_, user=cast.township1_officer)
    assert {a.unit for a in township} == {
        cast.township1,
        cast.village1a,
        cast.village1b,
        cast.school1,
    }
    assert sel.round_results(round=round_, user=cast.volunteer).count() == 0


def test_a_round_of_a_township_is_not_visible_to_the_other_township(cast):
    round_ = open_round(cast.township1, user=cast.township1_secretary)
    for user in (cast.village2a_secretary, cast.volunteer, cast.resident):
        with pytest.raises(NotFound):
            sel.access_round(user=user, pk=round_.pk)
    assert sel.access_round(user=cast.banner_officer, pk=round_.pk) == round_
    assert sel.access_round(user=cast.village1a_officer, pk=round_.pk) == round_
    with pytest.raises(NotFound):
        sel.access_round(user=cast.admin, pk="nope")


def test_a_sibling_cannot_fill_or_submit(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    before = scores_of(mine)
    for user in (cast.village2a_secretary, cast.volunteer, cast.resident):
        with pytest.raises(NotFound):
            fill(mine, user=user, score=lambda item: 1)
        with pytest.raises(NotFound):
            assessment_services.assessment_submit(
                acting_user=user, assessment=mine, version=mine.version
            )
        with pytest.raises(NotFound):
            assessment_services.assessment_refresh_known(
                acting_user=user, assessment=mine, version=mine.version
            )
    mine.refresh_from_db()
    assert scores_of(mine) == before and mine.version == 0


# --- bad input while filling in ---------------------------------------------------------------


def test_a_score_outside_the_points_saves_nothing_and_names_the_item(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    rows = items_of(mine)
    before = scores_of(mine)
    items = {row.pk: (10, "写了很多") for row in rows}
    items[rows[0].pk] = (21, "超过了")
    items[rows[1].pk] = (-1, "负数")
    with pytest.raises(ValidationError) as exc:
        assessment_services.assessment_save(
            acting_user=cast.village1a_officer,
            assessment=mine,
            summary="总结",
            items=items,
            version=mine.version,
        )
    errors = exc.value.message_dict
    assert set(errors) == {f"score_{rows[0].pk}", f"score_{rows[1].pk}"}
    assert "领导班子好" in errors[f"score_{rows[0].pk}"][0]
    assert "20" in errors[f"score_{rows[0].pk}"][0]
    mine.refresh_from_db()
    assert mine.summary == "" and mine.version == 0 and scores_of(mine) == before
    assert not AssessmentItem.objects.filter(note__gt="").exists()
    with pytest.raises(ValidationError):  # an item of another assessment
        assessment_services.assessment_save(
            acting_user=SYSTEM,
            assessment=mine,
            summary="",
            items={items_of(assessment_of(round_, cast.village2a))[0].pk: (1, "")},
            version=mine.version,
        )


def test_submitting_needs_every_score_and_evidence_where_asked(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1b)  # known values all 0: suggested 0 points
    rows = items_of(mine)
    assert [r.self_score for r in rows] == [0, 0, None, None, 0]
    assessment_services.assessment_save(
        acting_user=SYSTEM,
        assessment=mine,
        summary="",
        items={rows[0].pk: (15, "")},
        version=mine.version,
    )
    with pytest.raises(ValidationError) as exc:
        assessment_services.assessment_submit(
            acting_user=cast.township1_secretary, assessment=mine, version=mine.version
        )
    errors = exc.value.message_dict
    assert {f"score_{r.pk}" for r in rows if r.self_score is None} <= set(errors)
    assert f"score_{rows[0].pk}" not in errors
    assert f"note_{rows[0].pk}" in errors  # asks for evidence, none given, nothing known
    assert "领导班子好" in errors[f"note_{rows[0].pk}"][0]
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.DRAFT and scores_of(mine)[0] == 15


@pytest.mark.usefixtures("media_root")
def test_evidence_of_the_wrong_kind_or_too_large_is_refused(cast, settings):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    rules = next(r for r in items_of(mine) if r.item.title == "制度健全落实好")  # text, files
    with pytest.raises(ValidationError) as exc:
        evidence_add(acting_user=cast.village1a_officer, owner=rules, kind="photo", upload=photo())
    assert "制度健全落实好" in exc.value.message_dict["kind"][0]
    elders = next(r for r in items_of(mine) if r.item.title == "五老作用发挥好")  # photos
    settings.NUTAG_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError):
        evidence_add(acting_user=cast.village1a_officer, owner=elders, kind="photo", upload=photo())
    with pytest.raises(ValidationError):
        evidence_add(
            acting_user=cast.village1a_officer,
            owner=rules,
            kind="file",
            upload=upload("病毒.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert not rules.evidence.exists() and not elders.evidence.exists()
    stored = Path(settings.MEDIA_ROOT)
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]


def test_a_first_submission_after_the_due_date_is_refused_and_the_draft_kept(cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    round_ = open_round(cast.banner, due=yesterday)
    mine = assessment_of(round_, cast.village1a)
    fill(mine, user=cast.village1a_officer)  # saving a draft is still possible
    with pytest.raises(ValidationError) as exc:
        assessment_services.assessment_submit(
            acting_user=cast.village1a_officer, assessment=mine, version=mine.version
        )
    assert yesterday.isoformat() in exc.value.messages[0]
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.DRAFT
    assert scores_of(mine) == [20, 20, 20, 20, 20] and mine.summary == "全年工作总结"


def test_nothing_changes_once_the_round_is_finished(cast):
    round_ = open_round(cast.banner)
    draft = assessment_of(round_, cast.village1a)
    waiting = submitted(assessment_of(round_, cast.village1b))
    with pytest.raises(NotFound):
        services.round_finish(acting_user=cast.township1_secretary, round=round_)
    services.round_finish(acting_user=SYSTEM, round=round_)
    with pytest.raises(ValidationError):
        services.round_finish(acting_user=SYSTEM, round=round_)
    with pytest.raises(ValidationError) as exc:
        fill(draft)
    assert round_.title in exc.value.messages[0]
    with pytest.raises(ValidationError):
        review(waiting, user=cast.township1_secretary)
    draft.refresh_from_db()
    waiting.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT  # still-open ones stay as they are
    assert waiting.status == AssessmentStatus.SUBMITTED and waiting.passed is None
    assert sel.round_progress(round=round_, unit=cast.banner).accepted == 0


# --- reviewing: wrong reviewer, bad input -----------------------------------------------------


def test_only_a_reviewer_above_the_committee_may_review(cast):
    round_ = open_round(cast.banner)
    mine = submitted(assessment_of(round_, cast.village1a))
    for user in (
        cast.village1a_secretary,  # never its own
        cast.village1a_officer,
        cast.village2a_secretary,  # a sibling
        cast.township1_officer,  # above, but without REVIEW
        cast.banner_officer,
        cast.volunteer,
        cast.resident,
    ):
        with pytest.raises(NotFound):
            review(mine, user=user)
    t2_secretary = person_with_position(
        unit=cast.township2, title=PositionTitle.CHAIR, username="t2-chair", name="二苏木主任"
    ).user
    with pytest.raises(NotFound):
        review(mine, user=t2_secretary)
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.SUBMITTED and mine.score is None
    # a township's own assessment is reviewed by the banner, not by itself
    township = submitted(assessment_of(round_, cast.township1))
    with pytest.raises(NotFound):
        review(township, user=cast.township1_secretary)


def test_bad_reviews_are_refused_and_nothing_is_kept(cast):
    round_ = open_round(cast.banner)
    draft = assessment_of(round_, cast.village1b)
    with pytest.raises(ValidationError):  # not submitted yet
        review(draft, user=cast.township1_secretary)
    mine = submitted(assessment_of(round_, cast.village1a))
    rows = items_of(mine)
    with pytest.raises(ValidationError) as exc:
        review(mine, user=cast.township1_secretary, score=lambda item: item.points + 1)
    assert set(exc.value.message_dict) == {f"review_score_{r.pk}" for r in rows}
    with pytest.raises(ValidationError) as exc:
        review(mine, user=cast.township1_secretary, decision="return", comment="  ")
    assert "comment" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        review(mine, user=cast.township1_secretary, decision="maybe")
    assert "decision" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # accepting needs every item scored
        assessment_services.assessment_review(
            acting_user=cast.township1_secretary,
            assessment=mine,
            scores={rows[0].pk: (10, "")},
            comment="",
            decision="accept",
            version=mine.version,
        )
    assert f"review_score_{rows[1].pk}" in exc.value.message_dict
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.SUBMITTED and mine.score is None
    assert all(r.review_score is None for r in items_of(mine))


# --- concurrency ------------------------------------------------------------------------------


def test_a_stale_version_is_refused_saying_who_changed_it(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    stale = assessment_of(round_, cast.village1a)
    fill(mine, user=cast.village1a_officer, note="先保存的")
    with pytest.raises(ValidationError) as exc:
        fill(stale, user=cast.village1a_secretary, note="后保存的")
    message = exc.value.messages[0]
    assert "v1a-officer名" in message
    assert timezone.localtime().strftime("%Y-%m-%d") in message
    assert {r.note for r in items_of(mine)} == {"先保存的"}


def test_two_reviewers_accepting_with_the_same_version_end_in_one_result(cast):
    round_ = open_round(cast.banner)
    mine = submitted(assessment_of(round_, cast.village1a))
    seen_by_township = assessment_of(round_, cast.village1a)
    seen_by_banner = assessment_of(round_, cast.village1a)
    review(seen_by_township, user=cast.township1_secretary, score=lambda item: 18)
    with pytest.raises(ValidationError) as exc:
        review(seen_by_banner, user=banner_secretary(cast), score=lambda item: 10)
    assert "t1-secretary名" in exc.value.messages[0]
    mine.refresh_from_db()
    assert (mine.status, mine.score, mine.passed) == (AssessmentStatus.ACCEPTED, 90, True)
    assert {r.review_score for r in items_of(mine)} == {18}


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_in_two_threads_end_in_one_consistent_result(cast):
    """Each reviewer in its own thread and database connection: both load the assessment,
    then both accept. SQLite's shared in-memory test database cannot hold two writers at
    once, so there the second accept starts when the first has committed; on PostgreSQL
    both run together and the row lock decides."""
    round_ = open_round(cast.banner)
    submitted(assessment_of(round_, cast.village1a))
    reviewers = {"township": cast.township1_secretary, "banner": banner_secretary(cast)}
    together = connection.vendor != "sqlite"
    loaded = threading.Barrier(2)
    first_done = threading.Event()
    outcome: dict[str, str] = {}

    def accept(name: str, points: int) -> None:
        try:
            seen = assessment_of(round_, cast.village1a)
            loaded.wait(timeout=10)
            if not together and name == "banner":
                first_done.wait(timeout=10)
            try:
                review(seen, user=reviewers[name], score=lambda item: points)
                outcome[name] = "accepted"
            except ValidationError as exc:
                outcome[name] = exc.messages[0]
        finally:
            first_done.set()
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=("township", 18)),
        threading.Thread(target=accept, args=("banner", 10)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcome.values()).count("accepted") == 1, outcome
    loser = next(v for v in outcome.values() if v != "accepted")
    assert "被别人修改过" in loser  # "changed by someone else meanwhile", in Chinese
    final = assessment_of(round_, cast.village1a)
    winner = next(k for k, v in outcome.items() if v == "accepted")
    expected = {"township": 90, "banner": 50}[winner]
    assert (final.status, final.score, final.version) == (AssessmentStatus.ACCEPTED, expected, 3)
    assert {r.review_score for r in items_of(final)} == {expected // 5}
    accepted_rows = AuditEntry.objects.filter(
        object_type="assess.assessment", object_id=str(final.pk), changes__status__1="accepted"
    )
    assert accepted_rows.count() == 1


# --- the work cycle ---------------------------------------------------------------------------


def test_opening_a_round_gives_every_active_unit_below_an_assessment(cast):
    closed = make_unit(parent=cast.township2, kind=UnitKind.VILLAGE, name="撤销的嘎查")
    org_services.unit_close(acting_user=SYSTEM, unit=closed)
    user = banner_secretary(cast)
    standard = five_good(cast.banner)
    round_ = open_round(cast.banner, standard, user=user, year=this_year())
    assert round_.pass_mark == 80 and round_.opened_by == user
    assert round_.title == f"{this_year()}年度五好关工委评定"  # the default language
    units = {a.unit for a in round_.assessments.all()}
    assert units == {
        cast.township1,
        cast.township2,
        cast.village1a,
        cast.village1b,
        cast.village2a,
        cast.school1,
    }
    # each carries its unit's path (the dashboard counts by it)
    assert all(a.unit_path == a.unit.path for a in round_.assessments.select_related("unit"))
    assert AssessmentItem.objects.filter(assessment__round=round_).count() == 6 * 5
    mine = assessment_of(round_, cast.village1a)
    rows = {r.item.auto_source: r for r in items_of(mine)}
    # village1a: branch secretary + officer of 4 key posts; one five elder of 5
    assert (rows[AutoSource.POSITIONS].auto_value, rows[AutoSource.POSITIONS].self_score) == (
        2,
        10,
    )
    assert (rows[AutoSource.FIVE_ELDERS].auto_value, rows[AutoSource.FIVE_ELDERS].self_score) == (
        1,
        4,
    )
    assert rows[AutoSource.POSITIONS].auto_note  # the source, in the default language
    assert rows[""].self_score is None and rows[""].auto_value is None
    assert mine.status == AssessmentStatus.DRAFT and mine.self_total == 0
    assert AuditEntry.objects.filter(object_type="assess.round", object_id=str(round_.pk))
    # a township's round covers its own subtree only
    t1_round = open_round(cast.township1, standard, user=cast.township1_secretary)
    assert {a.unit for a in t1_round.assessments.all()} == {
        cast.village1a,
        cast.village1b,
        cast.school1,
    }


@pytest.mark.usefixtures("media_root")
def test_self_assess_submit_review_accept(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    rows = items_of(mine)
    elders = next(r for r in rows if r.item.title == "五老作用发挥好")
    evidence_add(acting_user=cast.village1a_officer, owner=elders, kind="photo", upload=photo())
    evidence_add(
        acting_user=cast.village1a_officer,
        owner=elders,
        kind="link",
        url=f"/u/{cast.village1a.code}/",
        name="本村网站",
    )
    assessment_services.assessment_save(
        acting_user=cast.village1a_officer,
        assessment=mine,
        summary="今年开展了很多活动",
        items={r.pk: (r.item.points - 2, "" if r == elders else "有记录") for r in rows},
        version=mine.version,
    )
    assert mine.self_total == 90 and mine.version == 1
    assessment_services.assessment_submit(
        acting_user=cast.village1a_secretary, assessment=mine, version=mine.version
    )
    mine.refresh_from_db()
    assert (
        mine.status == AssessmentStatus.SUBMITTED and mine.submitted_by.username == "v1a-secretary"
    )
    with pytest.raises(ValidationError):  # submitted: no more changes by the committee
        fill(mine, user=cast.village1a_officer)
    review(mine, user=cast.township1_secretary, score=lambda item: 15, comment="很好")
    mine.refresh_from_db()
    assert (mine.status, mine.score, mine.passed) == (AssessmentStatus.ACCEPTED, 75, False)
    assert mine.reviewed_by.username == "t1-secretary" and mine.review_comment == "很好"
    progress = sel.round_progress(round=round_, unit=cast.township1)
    assert (progress.total, progress.accepted, progress.passed) == (4, 1, 0)
    assert progress.by_status[AssessmentStatus.DRAFT] == 3
    audits = AuditEntry.objects.filter(object_type="assess.assessment", object_id=str(mine.pk))
    assert audits.count() == 3  # save, submit, accept
    assert AuditEntry.objects.filter(object_type="assess.assessmentitem").count() == 2


def test_returned_with_comments_then_sent_again_after_the_due_date(cast, monkeypatch):
    round_ = open_round(cast.banner)
    mine = submitted(assessment_of(round_, cast.village1a))
    review(
        mine,
        user=cast.township1_secretary,
        decision="return",
        score=lambda item: 12,
        comment="请补充照片",
    )
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.RETURNED and mine.review_comment == "请补充照片"
    assert {r.review_score for r in items_of(mine)} == {12}  # kept for the next look
    later = round_.self_due + dt.timedelta(days=5)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    fill(mine, score=lambda item: item.points - 1)
    assessment_services.assessment_submit(acting_user=SYSTEM, assessment=mine, version=mine.version)
    assert mine.status == AssessmentStatus.SUBMITTED and mine.self_total == 95


def test_an_acceptance_can_be_reopened_by_a_reviewer(cast):
    round_ = open_round(cast.banner)
    mine = submitted(assessment_of(round_, cast.village1a))
    review(mine, user=cast.township1_secretary)
    with pytest.raises(NotFound):
        assessment_services.assessment_reopen(
            acting_user=cast.village1a_secretary,
            assessment=mine,
            comment="自己改",
            version=mine.version,
        )
    with pytest.raises(ValidationError):
        assessment_services.assessment_reopen(
            acting_user=cast.township1_secretary, assessment=mine, comment="", version=mine.version
        )
    assessment_services.assessment_reopen(
        acting_user=cast.township1_secretary,
        assessment=mine,
        comment="分数加错了",
        version=mine.version,
    )
    mine.refresh_from_db()
    assert (mine.status, mine.score, mine.passed) == (AssessmentStatus.RETURNED, None, None)


def test_refreshing_known_values_keeps_what_the_committee_changed(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    rows = {r.item.auto_source: r for r in items_of(mine)}
    positions = rows[AutoSource.POSITIONS]
    assessment_services.assessment_save(
        acting_user=SYSTEM,
        assessment=mine,
        summary="",
        items={positions.pk: (20, "四个岗位都有人")},  # changed by the committee
        version=mine.version,
    )
    for name in ("老战士", "老专家"):
        make_care_worker(
            person=PersonFactory(unit=cast.village1a, name=name),
            unit=cast.village1a,
            elder_category="veteran",
        )
    assessment_services.assessment_refresh_known(
        acting_user=cast.village1a_officer, assessment=mine, version=mine.version
    )
    rows = {r.item.auto_source: r for r in items_of(mine)}
    assert (rows[AutoSource.FIVE_ELDERS].auto_value, rows[AutoSource.FIVE_ELDERS].self_score) == (
        3,
        12,
    )
    assert rows[AutoSource.POSITIONS].self_score == 20
    mine.refresh_from_db()
    assert mine.self_total == 32 and mine.version == 2


def test_history_shows_rise_and_fall(cast):
    standards = defaults(cast.banner)
    five = standards[StandardKind.FIVE_GOOD]
    for year, points in ((2022, 18), (2023, 12), (2024, 16)):
        round_ = open_round(cast.banner, five, year=year)
        review(
            submitted(assessment_of(round_, cast.village1a)),
            user=cast.township1_secretary,
            score=lambda item, p=points: p,
        )
    open_round(cast.banner, standards[StandardKind.FOUR_IN_PLACE], year=2024)
    rows = sel.assessment_history(unit=cast.village1a)
    assert [(r.round.year, r.assessment.score, r.change) for r in rows] == [
        (2024, None, ""),  # four in place: not assessed yet
        (2024, 80, "rise"),
        (2023, 60, "fall"),
        (2022, 90, ""),
    ]
    assert [r.assessment.passed for r in rows[1:]] == [True, False, True]
    listed = list(sel.rounds_for_unit(unit=cast.village1a))
    assert [r.year for r in listed] == [2024, 2024, 2023, 2022]
    assert listed[1].my_status == AssessmentStatus.ACCEPTED and listed[1].my_score == 80


def test_results_rows_for_the_export_have_chinese_labels(cast):
    round_ = open_round(cast.banner)
    review(submitted(assessment_of(round_, cast.village1a)), user=cast.township1_secretary)
    results = sel.round_results(round=round_, user=cast.admin, status="accepted")
    rows = sel.round_results_rows(round=round_, assessments=results)
    assert len(rows) == 1
    assert rows[0][:8] == [
        "一甲嘎查",
        "150799100201",
        "嘎查（村）",
        "第一镇",
        rows[0][4],
        100,
        100,
        "是",
    ]
    assert len(rows[0]) == len(sel.RESULT_HEADERS)


# --- a fixed number of queries ----------------------------------------------------------------


def _villages(parent, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        unit = make_unit(parent=parent, kind=UnitKind.VILLAGE, name=f"嘎查{i}")
        make_care_worker(person=PersonFactory(unit=unit), unit=unit, elder_category="teacher")


def test_opening_a_round_costs_the_same_for_3_and_30_units(cast):
    standard = five_good(cast.banner)
    small = make_unit(parent=cast.banner, kind=UnitKind.TOWNSHIP, name="小镇")
    large = make_unit(parent=cast.banner, kind=UnitKind.TOWNSHIP, name="大镇")
    _villages(small, 3)
    _villages(large, 30)
    counts = []
    for unit in (small, large):
        with CaptureQueriesContext(connection) as queries:
            round_ = open_round(unit, standard, user=cast.admin)
        counts.append(len(queries))
        assert round_.assessments.count() in (3, 30)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 21, counts  # 20, and the round's subtree tally built (assess/tallies.py)
    rows = AssessmentItem.objects.filter(
        assessment__round__unit=large, item__auto_source=AutoSource.FIVE_ELDERS
    )
    assert {r.auto_value for r in rows} == {1} and rows.count() == 30
