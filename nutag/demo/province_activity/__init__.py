"""A year of activity on a generated province: ``generate_province`` (after the people) or
``generate_province --activity-only`` (on a database generated before).

Over the 365 days up to ``today``, under the root of ``nutag/demo/province.py``:

- **Party members**: about 6% of the people (one ``INSERT … SELECT``, the person's unit and
  path copied);
- **articles**: every unit publishes (log-normal: a few busy villages, many quiet ones;
  banners and townships more), each with its own placement; every banner's notices are
  pushed down to its townships; read counts; the default columns of every site; all of it
  indexed for search (``index_article_ids``, the index the services keep);
- **tasks**: four a year from every banner to every unit below it, with their reports;
- **concerns**: raised at villages and communities (about 8 a year per thousand people),
  each taken as far as its state (received … closed with a rating) with its steps, its
  tracking number from the unit's yearly counter (``ConcernCounter`` equals the last number
  given), the limit of its category;
- **study**: two Party courses of three lessons from every banner, the lessons a share of its
  members completed (``LessonProgress``) and the points they earned under the service's
  unique keys and daily cap; 三会一课 held by every branch, some branches behind.

The few configuration rows (courses, lessons, categories, tasks) go through the services or
the ORM; the people-sized rows are bulk-written (``COPY`` on PostgreSQL, ``executemany`` on
SQLite) with every column a save would write: path copies equal their unit's path, the
placements carry their article's list keys (``Article.list_keys``). Then what the services
keep in step is recounted or announced once: every registered tally (``tally_rebuilds``),
the search index, the figure generations (``figures_changed_everywhere``) and the public
pages' cache (``purge_everything``). ``nutag/demo/tests/test_province.py`` checks these
against recounts.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from nutag.demo.province import BulkWriter, ProvinceRefusedError
from nutag.demo.province_activity.common import (
    ActivityInfo,
    _Ids,
    _levels,
    _load_units,
    copy_rows,
)
from nutag.demo.province_activity.sites_tasks import _articles, _party, _tasks
from nutag.demo.province_activity.voice_study import _concerns, _study

__all__ = ["ActivityInfo", "add_activity", "copy_rows", "describe_activity"]


def add_activity(
    *,
    root_code: str,
    seed: int = 20260101,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> ActivityInfo:
    """Write a year of activity under the generated root ``root_code`` (once)."""
    from django.db.models import Count

    from nutag.orgs.figures import figures_changed_everywhere
    from nutag.orgs.models import Unit
    from nutag.orgs.paths import subtree_q
    from nutag.orgs.registry import tally_rebuilds
    from nutag.people.models import Person
    from nutag.sites.caching import purge_everything
    from nutag.sites.models import Article
    from nutag.sites.search import PG_TABLE, index_article_ids

    if settings.NUTAG_IS_PRODUCTION:
        raise ProvinceRefusedError("Refusing to write synthetic activity in production.")
    root = Unit.objects.filter(code=root_code).first()
    if root is None:
        raise ProvinceRefusedError(f"No unit {root_code}: generate the province first.")
    if Article.objects.filter(subtree_q(root.path, "unit__path")).exists():
        raise ProvinceRefusedError(f"The units below {root_code} have activity already.")
    say = progress or (lambda _msg: None)
    now = now or timezone.now()
    rng = random.Random(seed + 1)  # noqa: S311 (synthetic data, reproducible by seed)
    writer, info = BulkWriter(), ActivityInfo()
    ids = _Ids(writer)
    units = _load_units(root)
    level = _levels(units)
    people = dict(
        Person.objects.filter(subtree_q(root.path, "unit_path"))
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "n")
    )

    def timed(name: str, step: Callable[[], Any]) -> None:
        mark = time.perf_counter()
        step()
        info.timings[name] = time.perf_counter() - mark
        say(f"  activity: {name} in {info.timings[name]:.1f} s")

    def party() -> None:
        info.party_members = _party(root)

    article_ids: list[int] = []
    timed("party members", party)
    timed("articles", lambda: article_ids.extend(
        _articles(writer, ids, units, level, rng, now, info)))  # fmt: skip
    timed("tasks", lambda: _tasks(writer, ids, units, level, rng, now, info))
    timed("concerns", lambda: _concerns(writer, ids, root, units, people, rng, now, info))
    timed("study", lambda: _study(writer, ids, root, units, level, rng, now, info))
    writer.reset_sequences(ids.tables)
    timed("search index", lambda: index_article_ids(article_ids))

    def recount() -> None:
        for rebuild in tally_rebuilds().values():
            rebuild()
        figures_changed_everywhere()
        purge_everything()

    timed("tallies", recount)

    def analyze() -> None:  # the tables written, not a VACUUM of the whole database
        from nutag.assess.models import Task
        from nutag.people.models import PartyMembership
        from nutag.voice.models import ConcernCounter

        tables = [*ids.tables, PartyMembership._meta.db_table, Task._meta.db_table,
                  ConcernCounter._meta.db_table]  # fmt: skip
        if writer.postgres:
            tables.append(PG_TABLE)  # the search index
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")

    timed("analyze", analyze)
    return info


def describe_activity(info: ActivityInfo) -> str:
    return (
        f"{info.party_members:,} Party members, {info.articles:,} articles "
        f"({info.placements:,} placements), {info.task_reports:,} task reports, "
        f"{info.concerns:,} concerns ({info.concern_steps:,} steps), {info.courses:,} courses, "
        f"{info.lesson_progress:,} lessons studied, {info.points:,} point entries, "
        f"{info.meetings:,} meetings"
    )
