"""Party members, the sites' columns and articles, and the banners' tasks of a year."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from nutag.demo.province import BulkWriter
from nutag.demo.province_activity.common import (
    ARTICLE_COLUMNS,
    ARTICLES_PER_YEAR,
    BANNER_TASKS,
    BODY,
    PARTY_SHARE_PERCENT,
    TOPICS,
    ActivityInfo,
    _banners,
    _Ids,
    _moment,
    _Unit,
    copy_rows,
)


def _party(root: Any) -> int:
    """About PARTY_SHARE_PERCENT of the root's people become Party members (bulk SQL)."""
    from nutag.people.models import PartyMembership, Person

    member, person = PartyMembership._meta.db_table, Person._meta.db_table
    stamp = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {member} (unit_id, unit_path, person_id, joined_on, "  # noqa: S608
            "joined_on_precision, is_mobile, current_location, created_at, updated_at) "
            f"SELECT p.unit_id, p.unit_path, p.id, NULL, 'day', (p.id %% 10) = 0, '', %s, %s "
            f"FROM {person} p WHERE p.unit_path >= %s AND p.unit_path < %s "
            f"AND (p.id * 7919) %% 100 < %s "
            f"AND NOT EXISTS (SELECT 1 FROM {member} m WHERE m.person_id = p.id)",
            [stamp, stamp, root.path, root.path + "~", PARTY_SHARE_PERCENT],
        )
        return int(cursor.rowcount)


def _columns(writer: BulkWriter, ids: _Ids, units: Sequence[_Unit]) -> dict[tuple[int, str], int]:
    """The seed's default columns of every site (as ``columns_ensure`` saves them)."""
    from nutag.sites.columns import DEFAULT_COLUMNS
    from nutag.sites.models import Column

    existing = {(u, k): pk for u, k, pk in Column.objects.values_list("unit_id", "key", "id")}
    rows: list[dict[str, Any]] = []
    out = dict(existing)
    stamp = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for inside in (False, True):  # the groups first, then the columns inside them
            todo = [
                (u, c) for u in units for c in DEFAULT_COLUMNS
                if bool(c.parent) is inside and (u.id, c.key) not in out
            ]  # fmt: skip
            first = ids.take(Column, len(todo))
            rows = []
            for n, (unit, column) in enumerate(todo):
                out[(unit.id, column.key)] = first + n
                rows.append(
                    {"id": first + n, "unit_id": unit.id, "key": column.key,
                     "title": str(column.title)[:40], "position": DEFAULT_COLUMNS.index(column),
                     "enabled": True, "created_at": stamp, "updated_at": stamp,
                     "parent_id": out.get((unit.id, column.parent)) if column.parent else None}
                )  # fmt: skip
            copy_rows(writer, Column, rows)
    return out


def _articles(
    writer: BulkWriter, ids: _Ids, units: Sequence[_Unit], level: dict[int, str],
    rng: random.Random, now: dt.datetime, info: ActivityInfo,
) -> list[int]:  # fmt: skip
    from nutag.sites.models import Article, ArticleKind, ArticleStatus, Placement, PlacementVia

    columns = _columns(writer, ids, units)
    townships_of: dict[str, list[_Unit]] = defaultdict(list)
    for u in units:
        if level[u.id] == "township":
            townships_of[u.path[:-4]].append(u)
    articles: list[dict[str, Any]] = []
    placements: list[dict[str, Any]] = []
    for unit in units:
        mean = ARTICLES_PER_YEAR[level[unit.id]]
        count = int(mean * rng.lognormvariate(-0.2, 0.6) + rng.random())
        first = ids.take(Article, count)
        for n in range(count):
            kind = ArticleKind.NOTICE if rng.random() < 0.15 else ArticleKind.ARTICLE
            key = rng.choice(ARTICLE_COLUMNS)
            title = rng.choice(TOPICS)
            published = _moment(rng, now)
            pinned = rng.random() < 0.02
            articles.append(
                {"id": first + n, "unit_id": unit.id, "column_id": columns[(unit.id, key)],
                 "kind": kind, "title": title, "summary": title, "body": BODY.format(t=title),
                 "status": ArticleStatus.PUBLISHED, "published_at": published,
                 "pinned": pinned, "read_count": int(rng.lognormvariate(3, 1.2)),
                 "created_at": published, "updated_at": published}
            )  # fmt: skip
            keys = {"shown_from": published, "pinned": pinned, "kind": kind, "column_key": key}
            targets = [(unit.id, PlacementVia.OWN)]
            if kind == ArticleKind.NOTICE and level[unit.id] == "banner":
                targets += [(t.id, PlacementVia.PUSHED) for t in townships_of[unit.path]]
            for target, via in targets:
                placements.append(
                    {"article_id": first + n, "unit_id": target, "via": via, "accepted": True,
                     "created_at": published, **keys}
                )  # fmt: skip
    first_placement = ids.take(Placement, len(placements))
    for n, row in enumerate(placements):
        row["id"] = first_placement + n
    for start in range(0, len(articles), 20_000):
        copy_rows(writer, Article, articles[start : start + 20_000])
    copy_rows(writer, Placement, placements)
    info.articles, info.placements = len(articles), len(placements)
    return [a["id"] for a in articles]


def _tasks(
    writer: BulkWriter, ids: _Ids, units: Sequence[_Unit], level: dict[int, str],
    rng: random.Random, now: dt.datetime, info: ActivityInfo,
) -> None:  # fmt: skip
    from nutag.assess.models import ReportStatus, Task, TaskReport

    reports: list[dict[str, Any]] = []
    for banner in _banners(units, level):
        below = [u for u in units if u.path.startswith(banner.path) and u.id != banner.id]
        for n in range(BANNER_TASKS):
            due = timezone.localtime(now).date() - dt.timedelta(days=30 + 80 * n)
            task = Task.objects.create(
                unit_id=banner.id, title=f"旗委第{n + 1}号工作任务", requirements="按要求上报",
                due_on=due,
            )  # fmt: skip
            for unit in below:
                roll = rng.random()
                done = roll < 0.85
                at = dt.datetime.combine(due, dt.time(10), tzinfo=dt.UTC)
                reports.append(
                    {"task_id": task.pk, "unit_id": unit.id, "late": 0.75 <= roll < 0.85,
                     "status": ReportStatus.ACCEPTED if done else ReportStatus.PENDING,
                     "submitted_at": at if done else None, "created_at": at, "updated_at": at}
                )  # fmt: skip
    first = ids.take(TaskReport, len(reports))
    for n, row in enumerate(reports):
        row["id"] = first + n
    copy_rows(writer, TaskReport, reports)
    info.task_reports = len(reports)
