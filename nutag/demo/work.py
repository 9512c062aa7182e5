"""The demo banner's work cycle: standards, two finished five-good rounds, one open task.

- The shipped default standards (五好, 四纳入, 四到位) installed at the banner.
- A finished five-good round for ``SEED_YEAR`` (the year of the seed's figures) in which
  exactly ``FIVE_GOOD_COMMITTEES`` (83) of the 118 grassroots committees pass — 70.3 %, the
  seed's 70 % — and one for the year before with ``FIVE_GOOD_BEFORE`` (76), so the dashboard
  has a change to show. Every committee fills in each item with a score and a written
  account of what it did, submits, and the banner reviews and accepts: a committee passes
  because its reviewed points reach the standard's pass mark, not because of a flag.
- One open task from the banner to every township, due in two weeks, reported by half of them
  (``TASK_REPORTED`` of 7; two of those reports already accepted).

Everything runs through the assess services with ``acting_user=SYSTEM`` (the system), so the
demo exercises the same workflow as the pages, audit rows included. Choices are drawn from a
seeded generator: every run plans the same scores. Idempotent: a round or the task that
exists already is left alone.

A round's self-assessment due date is set a month after the load day: the services refuse a
first submission after it, and the demo can be loaded on any day. Offices assess a year in
the first months of the next one, so a due date after the year's end is normal.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from nutag.assess.models import (
    Assessment,
    AssessmentItem,
    Round,
    Standard,
    StandardKind,
    Task,
    TaskReport,
)
from nutag.assess.services import assessments as assessment_services
from nutag.assess.services import reports as report_services
from nutag.assess.services import rounds as round_services
from nutag.assess.services import tasks as task_services
from nutag.assess.services.standards import standards_install_defaults
from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit, UnitKind

from .data import BANNER_CODE, SEED

SEED_YEAR = 2025
FIVE_GOOD_COMMITTEES = 83  # of the 118 grassroots committees: the seed's 70 %
FIVE_GOOD_BEFORE = 76  # the year before
TOWNSHIPS_PASSING = 5  # of 7 township committees (not part of the grassroots rate)
TASK_TITLE = "“关爱留守儿童 五老在行动”冬季走访"
TASK_REPORTED = 4  # of the 7 townships (half)
TASK_ACCEPTED = 2

NOTES = [
    "班子成员{n}人，分工明确，每季度召开一次工作会议，年初有计划、年末有总结。",
    "五老志愿者{n}人结对帮扶青少年，全年开展家访、宣讲和课业辅导。",
    "工作制度、学习制度和档案管理制度上墙，台账齐全，按制度落实。",
    "结合牧区实际开展“马背宣讲”“草原课堂”等特色活动，形成品牌。",
    "全年开展主题教育、关爱帮扶等活动{n}次，参与青少年人数逐年增加。",
]


def _scores(rng: random.Random, *, passing: bool, points: Sequence[int], mark: int) -> list[int]:
    """Item scores that land on the wanted side of the pass mark."""
    while True:
        scores = [
            rng.randint(round(p * 0.8), p) if passing else rng.randint(round(p * 0.5), p - 2)
            for p in points
        ]
        if (sum(scores) >= mark) == passing:
            return scores


def _assess(
    assessment: Assessment, scores: list[int], rng: random.Random, items: list[AssessmentItem]
) -> None:
    saved = assessment_services.assessment_save(
        acting_user=SYSTEM,
        assessment=assessment,
        summary=f"{assessment.unit.name}关工委{assessment.round.year}年度工作总结。",
        items={
            row.pk: (score, NOTES[i % len(NOTES)].format(n=rng.randint(3, 12)))
            for i, (row, score) in enumerate(zip(items, scores, strict=True))
        },
        version=assessment.version,
    )
    submitted = assessment_services.assessment_submit(
        acting_user=SYSTEM, assessment=saved, version=saved.version
    )
    assessment_services.assessment_review(
        acting_user=SYSTEM,
        assessment=submitted,
        scores={row.pk: (score, "") for row, score in zip(items, scores, strict=True)},
        comment="经审核，材料真实，予以确认。",
        decision="accept",
        version=submitted.version,
    )


def _round(banner: Unit, standard: Standard, year: int, passing: set[str]) -> bool:
    if Round.objects.filter(unit=banner, standard=standard, year=year).exists():
        return False
    round_ = round_services.round_open(
        acting_user=SYSTEM,
        unit=banner,
        standard=standard,
        year=year,
        title=f"{year}年度“五好”基层关工委评定",
        self_due=timezone.localdate() + dt.timedelta(days=30),
    )
    rng = random.Random(f"{SEED}-{year}")  # noqa: S311 (demo data, not security)
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("unit", "round")
        .order_by("unit__path")
    )
    rows = AssessmentItem.objects.filter(assessment__round=round_).select_related("item")
    items: dict[int, list[AssessmentItem]] = {}
    for row in rows.order_by("item__position", "item_id"):
        items.setdefault(row.assessment_id, []).append(row)
    for assessment in assessments:
        mine = items[assessment.pk]
        scores = _scores(
            rng,
            passing=assessment.unit.code in passing,
            points=[r.item.points for r in mine],
            mark=round_.pass_mark,
        )
        _assess(assessment, scores, rng, mine)
    round_services.round_finish(acting_user=SYSTEM, round=round_)
    return True


def _passing_sets(units: dict[str, Unit]) -> tuple[set[str], set[str]]:
    """Who passes in ``SEED_YEAR`` and in the year before (seeded, so always the same)."""
    grassroots = sorted(
        code for code, u in units.items() if u.kind not in (UnitKind.BANNER, UnitKind.TOWNSHIP)
    )
    townships = sorted(code for code, u in units.items() if u.kind == UnitKind.TOWNSHIP)
    rng = random.Random(f"{SEED}-five-good")  # noqa: S311 (demo data, not security)
    now = set(rng.sample(grassroots, FIVE_GOOD_COMMITTEES))
    # the year before: some of this year's fell short then, a few others passed then
    risers = rng.sample(sorted(now), FIVE_GOOD_COMMITTEES - FIVE_GOOD_BEFORE + 3)
    fallers = rng.sample(sorted(set(grassroots) - now), 3)
    before = (now - set(risers)) | set(fallers)
    town_now = set(rng.sample(townships, TOWNSHIPS_PASSING))
    town_before = set(rng.sample(townships, TOWNSHIPS_PASSING - 1))
    return now | town_now, before | town_before


def _task(banner: Unit, units: dict[str, Unit]) -> bool:
    if Task.objects.filter(unit=banner, title=TASK_TITLE).exists():
        return False
    townships = sorted(
        (u for u in units.values() if u.kind == UnitKind.TOWNSHIP), key=lambda u: u.code
    )
    task = task_services.task_issue(
        acting_user=SYSTEM,
        unit=banner,
        title=TASK_TITLE,
        requirements=(
            "各苏木镇关工委组织五老志愿者，对辖区留守儿童、困境青少年开展一次冬季走访，"
            "了解学习、生活和思想情况，帮助解决实际困难。\n"
            "走访结束后填报走访人数、参与五老人数和开展活动次数，并上传走访照片或总结材料。"
        ),
        due_on=timezone.localdate() + dt.timedelta(days=14),
        figures=[("走访留守儿童", "人"), ("参与五老", "人"), ("开展活动", "次")],
        targets=townships,
    )
    rng = random.Random(f"{SEED}-task")  # noqa: S311 (demo data, not security)
    figures = list(task.figures.order_by("position"))
    reports = {
        r.unit_id: r for r in TaskReport.objects.filter(task=task).select_related("task", "unit")
    }
    for i, township in enumerate(townships[:TASK_REPORTED]):
        report = report_services.report_save(
            acting_user=SYSTEM,
            report=reports[township.pk],
            text=f"{township.name}关工委组织五老志愿者分组入户走访，建立了走访台账。",
            figures={
                str(figures[0].pk): rng.randint(20, 60),
                str(figures[1].pk): rng.randint(5, 20),
                str(figures[2].pk): rng.randint(2, 8),
            },
            version=reports[township.pk].version,
        )
        report = report_services.report_submit(
            acting_user=SYSTEM, report=report, version=report.version
        )
        if i < TASK_ACCEPTED:
            report_services.report_inspect(
                acting_user=SYSTEM,
                report=report,
                decision="accept",
                comment="材料齐全，予以验收。",
                version=report.version,
            )
    return True


def ensure_work(units: dict[str, Unit]) -> int:
    """Standards, the two finished rounds and the open task, whatever is missing; how many
    of the three (rounds and task) were made."""
    banner = units[BANNER_CODE]
    standards = {s.kind: s for s in standards_install_defaults(acting_user=SYSTEM, unit=banner)}
    five_good = (
        standards.get(StandardKind.FIVE_GOOD)
        or Standard.objects.filter(unit=banner, kind=StandardKind.FIVE_GOOD).order_by("id").first()
    )
    if five_good is None:  # the banner deleted it: nothing to assess against
        return 0
    now, before = _passing_sets(units)
    made = 0
    made += _round(banner, five_good, SEED_YEAR - 1, before)
    made += _round(banner, five_good, SEED_YEAR, now)
    made += _task(banner, units)
    return made
