"""Shared pieces of the task tests: issuing with defaults, moving the clock, extra people."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from nutag.assess.models import Task, TaskReport
from nutag.assess.services import reports as report_services
from nutag.assess.services import tasks as services
from nutag.factories import person_with_position
from nutag.orgs.models import PositionTitle, Unit

FIGURES = [("走访青少年", "人"), ("开展活动", "次")]


def today() -> dt.date:
    return services.local_today()


def issue(*, by: Any, unit: Unit, **kwargs: Any) -> Task:
    values: dict[str, Any] = {
        "title": "关爱留守儿童走访",
        "requirements": "走访辖区留守儿童，\n填报走访人数和活动次数。",
        "due_on": today() + dt.timedelta(days=7),
        "figures": FIGURES,
    }
    values.update(kwargs)
    return services.task_issue(acting_user=by, unit=unit, **values)


def report_of(task: Task, unit: Unit) -> TaskReport:
    return TaskReport.objects.select_related("task", "task__unit", "unit").get(task=task, unit=unit)


def figure_values(task: Task, *values: Any) -> dict[str, Any]:
    return {str(f.pk): v for f, v in zip(task.figures.order_by("position"), values, strict=False)}


def fill_and_submit(report: TaskReport, *, by: Any, values: tuple[Any, ...] = (5, 2)) -> TaskReport:
    report = report_services.report_save(
        acting_user=by,
        report=report,
        text="走访了五名留守儿童。",
        figures=figure_values(report.task, *values),
        version=report.version,
    )
    return report_services.report_submit(acting_user=by, report=report, version=report.version)


def local_moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute)).replace(
        tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def freeze(monkeypatch: Any, moment: dt.datetime) -> None:
    """Move ``timezone.now()`` (and so ``localdate()``) to ``moment``."""
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))


def secretary(unit: Unit, username: str) -> Any:
    """A branch secretary (every right) of ``unit``: the cast has none at the banner or at
    township2."""
    return person_with_position(
        unit=unit, title=PositionTitle.BRANCH_SECRETARY, username=username, name=f"{username}名"
    ).user
