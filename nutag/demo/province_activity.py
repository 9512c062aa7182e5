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

import dataclasses
import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone, translation

from nutag.demo.province import BulkWriter, ProvinceRefusedError

PARTY_SHARE_PERCENT = 6
CONCERNS_PER_PERSON = 0.008
STUDY_SHARE = 0.3
ARTICLES_PER_YEAR = {"grassroots": 8.0, "township": 20.0, "banner": 36.0}
BANNER_TASKS = 4
ARTICLE_COLUMNS = ["news", "news", "news", "thematic_education", "online_study",
                   "next_generation", "public_affairs", "governance", "revitalisation"]  # fmt: skip
TOPICS = [
    "召开党员大会学习传达会议精神", "五老志愿者为留守儿童辅导作业", "草原防火宣传进牧户",
    "开展春季接羔保育技术培训", "关工委组织暑期青少年夏令营", "嘎查村务公开",
    "冬季转场安全提示", "人居环境整治见成效", "那达慕大会筹备工作", "牧民合作社分红大会",
    "主题党日活动", "农牧业保险理赔指南", "饮水安全工程竣工", "优秀五老表彰",
    "家庭教育讲座走进社区", "乡村振兴产业项目落地",
]  # fmt: skip
BODY = "<p>{t}。嘎查党支部和关工委组织党员、五老志愿者和牧民群众参加，大家积极发言。</p>"
CONCERN_TEXTS = [
    "砂石路被雨水冲断了一段，拉草的车过不去。", "机井水泵坏了，牲畜饮水要赶到十公里外。",
    "邻旗的牛群越界进了打草场。", "寄宿学校冬天宿舍暖气不热。", "卫生室的医生调走了。",
    "养老保险缴费记录少了一年。", "留守孩子的作业没人辅导。", "村务公开栏很久没更新了。",
]  # fmt: skip
ANSWER = "已协调解决，请您查看，有问题随时反映。"


@dataclasses.dataclass
class ActivityInfo:
    party_members: int = 0
    articles: int = 0
    placements: int = 0
    concerns: int = 0
    concern_steps: int = 0
    courses: int = 0
    lesson_progress: int = 0
    points: int = 0
    meetings: int = 0
    task_reports: int = 0
    timings: dict[str, float] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class _Unit:
    id: int
    path: str
    depth: int
    code: str
    kind: str


def copy_rows(
    writer: BulkWriter, model: type[models.Model], rows: Sequence[dict[str, Any]]
) -> None:
    """Bulk-write ``rows`` (attribute name → value, ids included) with every concrete column,
    the model's defaults for those not given, prepared as a save would prepare them."""
    if not rows:
        return
    fields = list(model._meta.concrete_fields)
    table, cols = model._meta.db_table, [f'"{f.column}"' for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    prepared = [
        tuple(
            f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection) for f in fields
        )
        for row in rows
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if writer.postgres:
            sql = f"COPY {table} ({', '.join(cols)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for values in prepared:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(cols))
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, prepared)


class _Ids:
    """Explicit ids for bulk rows, continuing each table's sequence (reset at the end)."""

    def __init__(self, writer: BulkWriter) -> None:
        self.writer = writer
        self.next: dict[str, int] = {}
        self.tables: list[str] = []

    def take(self, model: type[models.Model], n: int) -> int:
        table = model._meta.db_table
        if table not in self.next:
            self.next[table] = self.writer.next_id(table)
            self.tables.append(table)
        first = self.next[table]
        self.next[table] += n
        return int(first)


class _Sink:
    """Rows of one model, written in chunks with ids from ``_Ids`` (bounded memory)."""

    def __init__(self, writer: BulkWriter, ids: _Ids, model: type[models.Model]) -> None:
        self.writer, self.ids, self.model = writer, ids, model
        self.rows: list[dict[str, Any]] = []
        self.written = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= 50_000:
            self.flush()

    def flush(self) -> int:
        first = self.ids.take(self.model, len(self.rows))
        for n, row in enumerate(self.rows):
            row["id"] = first + n
        copy_rows(self.writer, self.model, self.rows)
        self.written += len(self.rows)
        self.rows = []
        return self.written


def _moment(rng: random.Random, now: dt.datetime, *, within_days: float = 365) -> dt.datetime:
    return now - dt.timedelta(seconds=rng.uniform(0, within_days * 86400))


def _load_units(root: Any) -> list[_Unit]:
    from nutag.orgs.models import Unit
    from nutag.orgs.paths import subtree_q

    return [
        _Unit(*row)
        for row in Unit.objects.filter(subtree_q(root.path))
        .order_by("path")
        .values_list("id", "path", "depth", "code", "kind")
    ]


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


def _concerns(
    writer: BulkWriter, ids: _Ids, root: Any, units: Sequence[_Unit], people: dict[int, int],
    rng: random.Random, now: dt.datetime, info: ActivityInfo,
) -> None:  # fmt: skip
    from nutag.core.actors import SYSTEM
    from nutag.voice.models import Concern, ConcernCounter, ConcernState, ConcernStep, StepKind
    from nutag.voice.services import categories_ensure

    categories = categories_ensure(acting_user=SYSTEM, banner=root)
    concerns: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    counters: Counter[tuple[int, int]] = Counter()
    order = [ConcernState.RECEIVED, ConcernState.ACCEPTED, ConcernState.IN_PROGRESS,
             ConcernState.ANSWERED, ConcernState.CLOSED]  # fmt: skip
    for unit in units:
        if unit.kind not in ("village", "community"):
            continue
        count = int(people.get(unit.id, 0) * CONCERNS_PER_PERSON * rng.uniform(0.5, 1.5))
        moments = sorted(_moment(rng, now) for _ in range(count))
        first = ids.take(Concern, count)
        for n, created in enumerate(moments):
            year = timezone.localtime(created).year
            counters[(unit.id, year)] += 1
            category = rng.choice(categories)
            limit = created + dt.timedelta(days=category.days_limit)
            age_days = (now - created).days
            roll = rng.random()
            if age_days > 30:
                state = ConcernState.CLOSED if roll < 0.6 else ConcernState.ANSWERED
                state = ConcernState.IN_PROGRESS if roll > 0.97 else state
            else:  # the last month's: in every state
                state = order[min(4, int(roll * 5))]
            reached = order.index(state)
            at, trail = created, []
            for step_no, kind in enumerate(
                [StepKind.RECEIVED, StepKind.ACCEPTED, StepKind.IN_PROGRESS, StepKind.ANSWERED,
                 StepKind.CLOSED][: reached + 1]
            ):  # fmt: skip
                if step_no:
                    at = min(now, at + dt.timedelta(hours=rng.lognormvariate(3, 1)))
                trail.append((kind, at))
            answered_at = trail[3][1] if reached >= 3 else None
            closed_at = trail[4][1] if reached >= 4 else None
            pk = first + n
            concerns.append(
                {"id": pk, "number": f"{unit.code}-{year}-{counters[(unit.id, year)]:05d}",
                 "unit_id": unit.id, "unit_path": unit.path, "origin_id": unit.id,
                 "category_id": category.pk, "text": rng.choice(CONCERN_TEXTS),
                 "on_behalf": True, "state": state, "limit_at": limit, "due_at": limit,
                 "answer": ANSWER if answered_at else "", "answered_at": answered_at,
                 "rating": rng.choice([3, 4, 5, 5, 5]) if closed_at else None,
                 "closed_at": closed_at, "version": len(trail),
                 "created_at": created, "updated_at": trail[-1][1]}
            )  # fmt: skip
            for kind, when in trail:
                steps.append({"concern_id": pk, "kind": kind, "at": when, "unit_id": unit.id})
    first_step = ids.take(ConcernStep, len(steps))
    for n, row in enumerate(steps):
        row["id"] = first_step + n
    copy_rows(writer, Concern, concerns)
    copy_rows(writer, ConcernStep, steps)
    ConcernCounter.objects.bulk_create(  # the last number given at each unit in each year
        [ConcernCounter(unit_id=u, year=y, last=last) for (u, y), last in counters.items()],
        batch_size=5_000,
    )
    info.concerns, info.concern_steps = len(concerns), len(steps)


def _study(
    writer: BulkWriter, ids: _Ids, root: Any, units: Sequence[_Unit], level: dict[int, str],
    rng: random.Random, now: dt.datetime, info: ActivityInfo,
) -> None:  # fmt: skip
    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import GRASSROOTS_KINDS, Unit
    from nutag.orgs.paths import subtree_q
    from nutag.people.models import PartyMembership
    from nutag.study import services
    from nutag.study.models import (
        DEFAULT_POINTS,
        RHYTHM,
        Act,
        Audience,
        CourseColumn,
        LessonProgress,
        Meeting,
        MeetingKind,
        PointEntry,
    )

    banners = _banners(units, level)
    lessons_of: dict[str, list[tuple[int, int]]] = {}  # banner path → (course id, lesson id)
    for banner in banners:
        banner_unit = Unit.objects.get(pk=banner.id)
        lessons_of[banner.path] = []
        for title, column in (("学习贯彻党的二十大精神", CourseColumn.THEMATIC),
                              ("基层党支部工作实务", CourseColumn.ONLINE_STUDY)):  # fmt: skip
            course = services.course_create(
                acting_user=SYSTEM, unit=banner_unit, title=title, audience=Audience.PARTY,
                summary="旗委部署，党员在线学习。", column=column, is_public=True,
            )  # fmt: skip
            info.courses += 1
            for n in range(3):
                lesson = services.lesson_add(
                    acting_user=SYSTEM, course=course, title=f"第{n + 1}讲", body="学习内容。",
                    minutes=15,
                )  # fmt: skip
                lessons_of[banner.path].append((course.pk, lesson.pk))
    depth = len(banners[0].path) if banners else 0
    progress, points = _Sink(writer, ids, LessonProgress), _Sink(writer, ids, PointEntry)
    per, _cap = DEFAULT_POINTS[Act.LESSON_COMPLETED]
    members = PartyMembership.objects.filter(subtree_q(root.path, "unit_path")).order_by("pk")
    for person_id, unit_id, path in members.values_list("person_id", "unit_id", "unit_path"):
        lessons = lessons_of.get(path[:depth])
        if not lessons or rng.random() >= STUDY_SHARE:
            continue
        start = now - dt.timedelta(days=rng.uniform(7, 300))  # a lesson a day from there
        for n, (course_id, lesson_id) in enumerate(lessons[: rng.randint(1, len(lessons))]):
            when = min(now, start + dt.timedelta(days=n, minutes=rng.randint(0, 600)))
            progress.add(
                {"person_id": person_id, "lesson_id": lesson_id, "course_id": course_id,
                 "unit_id": unit_id, "unit_path": path, "opened_at": when, "last_seen_at": when,
                 "seconds": 15 * 60, "reached_end": True, "completed_at": when}
            )  # fmt: skip
            # one lesson a day: always under the daily cap of the lesson act
            points.add(
                {"person_id": person_id, "unit_id": unit_id, "unit_path": path,
                 "act": Act.LESSON_COMPLETED, "key": f"lesson:{person_id}:{lesson_id}",
                 "points": per, "day": timezone.localtime(when).date(), "created_at": when}
            )  # fmt: skip
    info.lesson_progress, info.points = progress.flush(), points.flush()

    meetings = _Sink(writer, ids, Meeting)
    today = timezone.localtime(now).date()
    months = [(today.year - (today.month - m <= 0), (today.month - m - 1) % 12 + 1)
              for m in range(12)]  # fmt: skip
    for unit in units:
        if unit.kind not in GRASSROOTS_KINDS:
            continue
        skip = 0.3 if rng.random() < 0.25 else 0.0  # a quarter of the branches fall behind
        for year, month in months:
            for kind in MeetingKind.values:
                if RHYTHM[kind] == 3 and month % 3 != 1:
                    continue
                day = dt.date(year, month, rng.randint(1, 28))
                if day > today or rng.random() < skip:
                    continue
                stamp = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
                meetings.add(
                    {"unit_id": unit.id, "unit_path": unit.path, "kind": kind, "held_on": day,
                     "topic": f"{year}年{month}月{MeetingKind(kind).label}", "place": "党员活动室",
                     "created_at": stamp, "updated_at": stamp}
                )  # fmt: skip
    info.meetings = meetings.flush()


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


def _banners(units: Sequence[_Unit], level: dict[int, str]) -> list[_Unit]:
    """The banners proper: the units right above the townships."""
    paths = {u.path[:-4] for u in units if level[u.id] == "township"}
    return [u for u in units if u.path in paths]


def _levels(units: Sequence[_Unit]) -> dict[int, str]:
    """grassroots / township / banner (everything above the townships) for each unit."""
    from nutag.orgs.models import GRASSROOTS_KINDS

    out = {}
    for u in units:
        if u.kind in GRASSROOTS_KINDS:
            out[u.id] = "grassroots"
        elif u.kind in ("township", "subdistrict"):
            out[u.id] = "township"
        else:
            out[u.id] = "banner"
    return out


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
