"""What the steps of a year of activity share: its sizes and texts, the ids and rows they
write (``copy_rows``: ``COPY`` on PostgreSQL), the units of the province."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction

from nutag.demo.province import BulkWriter

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
