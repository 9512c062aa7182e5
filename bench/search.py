"""bench/search: is a site search answered in under a second on a demo-sized banner?

Builds, in a fresh database, a banner with 12 townships and 8 villages under each (109
units) and 2,000 published articles (plus 100 drafts) written from a vocabulary of the
domain: about 10% at the banner (pushed down to every unit), 20% at townships (a third of
them pushed to their villages), 70% at villages; bodies of 300–1,500 characters of HTML;
about 10% written in traditional characters and 15% with a Mongolian version; a rare word
in 5 articles. Rows are bulk-inserted (no signals), then the index is built with
``reindex_all()`` (timed), and these are timed — each the median of ``--reps`` runs after
warm-up — through ``nutag.sites.search.search_articles`` (ranked page of 20 with snippets,
three queries) and through the search page view (query, page of results, template):

    banner, a common word · two words · traditional characters · a rare word · Mongolian ·
    no hit · the second page; a township and a village, a common word.

Usage (from the project root):

    .venv/bin/python bench/search.py                 # SQLite, and PostgreSQL too when
                                                      # DATABASE_URL=postgres://… is set
    .venv/bin/python bench/search.py --db sqlite --no-write
    .venv/bin/python bench/search.py --articles 500  # a smaller set (not written)

The SQLite database is a temporary file. For PostgreSQL the script creates, then drops, a
database named ``<DATABASE_URL's name>_search_bench`` (never the named database itself).
Full-size runs write their figures into bench/RESULTS.md, section "bench/search". The exit
status is 1 when a timed search takes a second or more (the bar), else 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402

BAR_MS = 1000.0
FULL_ARTICLES = 2000
DRAFTS = 100
TOWNSHIPS = 12
VILLAGES_PER_TOWNSHIP = 8
RARE_WORD = "骆驼奶"

SUBJECTS = [
    "关工委",
    "五老志愿者",
    "党支部",
    "嘎查两委",
    "牧民群众",
    "青少年",
    "老党员",
    "驻村工作队",
    "苏木党委",
    "社区居民",
    "退役军人",
    "大学生村官",
    "合作社社员",
    "学校师生",
]
VERBS = ["开展", "组织", "举办", "参加", "推进", "落实", "召开", "走访", "宣讲", "学习", "部署"]
OBJECTS = [
    "关心下一代工作",
    "主题教育",
    "三会一课",
    "草原生态保护",
    "禁牧休牧",
    "接羔保育",
    "防灾减灾",
    "乡村振兴",
    "精准扶贫",
    "民族团结进步",
    "法治宣传",
    "理论学习",
    "红色教育",
    "家庭教育讲座",
    "政策宣讲",
    "义务植树",
    "冬季防火",
    "医疗义诊",
    "文艺汇演",
    "那达慕大会",
    "电商培训",
    "特色产品销售",
    "人居环境整治",
    "饮水安全",
    "暑期夏令营",
    "读书活动",
    "志愿服务",
]
PLACES = [
    "草原上",
    "嘎查文化室",
    "苏木会议室",
    "学校操场",
    "社区服务中心",
    "牧户家中",
    "党群服务中心",
    "新时代文明实践站",
]
CLOSERS = [
    "取得了良好效果。",
    "受到群众好评。",
    "进一步增强了凝聚力。",
    "为下一步工作打下基础。",
    "参与人数达到{n}人。",
    "大家纷纷表示收获很大。",
]
MONGOLIAN_WORDS = [
    "ᠮᠣᠩᠭᠣᠯ",
    "ᠪᠢᠴᠢᠭ",
    "ᠰᠤᠷᠭᠠᠭᠤᠯᠢ",
    "ᠮᠠᠯᠴᠢᠨ",
    "ᠬᠡᠦᠬᠡᠳ",
    "ᠠᠵᠢᠯ",
    "ᠨᠠᠭᠠᠳᠤᠮ",
    "ᠲᠠᠯ᠎ᠠ",
    "ᠭᠠᠴᠠᠭ᠎ᠠ",
    "ᠰᠤᠮᠤ",
    "ᠰᠤᠷᠤᠯᠴᠠᠭ᠎ᠠ",
    "ᠬᠤᠷᠠᠯ",
]


@dataclasses.dataclass
class Built:
    banner_code: str
    township_code: str
    village_code: str
    units: int
    articles: int
    drafts: int
    placements: int
    insert_s: float
    index_s: float
    jieba_load_s: float


@dataclasses.dataclass
class Timing:
    label: str
    where: str
    query: str
    hits: int
    ms: float
    page_ms: float | None = None


def _sentence(rng: random.Random) -> str:
    closer = rng.choice(CLOSERS).format(n=rng.randint(20, 300))
    return (
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{rng.choice(SUBJECTS)}在"
        f"{rng.choice(PLACES)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}活动，{closer}"
    )


def _body(rng: random.Random, *, rare: bool) -> str:
    paragraphs = []
    length = 0
    target = rng.randint(300, 1500)
    while length < target:
        text = "".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        if rare and not paragraphs:
            text += f"当地的{RARE_WORD}产品也受到欢迎。"
        paragraphs.append(f"<p>{text}</p>")
        length += len(text)
    return "".join(paragraphs)


def build(n_articles: int, *, seed: int = 20261201) -> Built:
    import opencc
    from django.db import transaction
    from django.utils import timezone

    from nutag.core.actors import SYSTEM
    from nutag.core.text import to_simplified
    from nutag.orgs.models import UnitKind
    from nutag.orgs.services import unit_create
    from nutag.sites import search
    from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia

    s2t = opencc.OpenCC("s2t").convert
    rng = random.Random(seed)
    t0 = time.perf_counter()
    banner = unit_create(
        acting_user=SYSTEM, parent=None, code="150799", kind=UnitKind.BANNER, name="基准测试旗"
    )
    townships, villages_of = [], {}
    for t in range(1, TOWNSHIPS + 1):
        township = unit_create(
            acting_user=SYSTEM,
            parent=banner,
            code=f"150799{t:03d}",
            kind=UnitKind.TOWNSHIP,
            name=f"第{t}苏木",
        )
        townships.append(township)
        villages_of[township.pk] = [
            unit_create(
                acting_user=SYSTEM,
                parent=township,
                code=f"150799{t:03d}{v:03d}",
                kind=UnitKind.VILLAGE,
                name=f"第{t}苏木{v}号嘎查",
            )
            for v in range(1, VILLAGES_PER_TOWNSHIP + 1)
        ]
    all_villages = [v for vs in villages_of.values() for v in vs]
    all_units = [banner, *townships, *all_villages]

    now = timezone.now()
    rare_at = set(rng.sample(range(n_articles), 5))
    rows: list[Article] = []
    owners: list[tuple[Any, str]] = []  # (unit, push: "" | "all" | "villages")
    for i in range(n_articles + DRAFTS):
        roll = rng.random()
        if roll < 0.10:
            unit, push = banner, "all"
        elif roll < 0.30:
            unit = rng.choice(townships)
            push = "villages" if rng.random() < 1 / 3 else ""
        else:
            unit, push = rng.choice(all_villages), ""
        verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
        title = rng.choice([f"{unit.name}{verb}{obj}", f"关于{verb}{obj}的通知", f"{obj}工作简报"])
        summary = _sentence(rng)
        body = _body(rng, rare=i in rare_at)
        if rng.random() < 0.10:
            title, summary, body = s2t(title), s2t(summary), s2t(body)
        mongolian = rng.random() < 0.15
        rows.append(
            Article(
                unit=unit,
                kind="notice" if rng.random() < 0.2 else "article",
                title=title[:120],
                summary=summary[:300],
                body=body,
                title_mn=" ".join(rng.sample(MONGOLIAN_WORDS, 3)) if mongolian else "",
                summary_mn=" ".join(rng.sample(MONGOLIAN_WORDS, 6)) if mongolian else "",
                body_mn=(
                    "<p>" + " ".join(rng.choices(MONGOLIAN_WORDS, k=60)) + "</p>"
                    if mongolian
                    else ""
                ),
                status=ArticleStatus.PUBLISHED if i < n_articles else ArticleStatus.DRAFT,
                published_at=now - dt.timedelta(minutes=rng.randint(1, 500_000))
                if i < n_articles
                else None,
            )
        )
        owners.append((unit, push if i < n_articles else ""))
    with transaction.atomic():
        Article.objects.bulk_create(rows, batch_size=500)
        placements: list[Placement] = []
        for article, (unit, push) in zip(rows, owners, strict=True):
            if article.status != ArticleStatus.PUBLISHED:
                continue
            placements.append(Placement(article=article, unit=unit, via=PlacementVia.OWN))
            targets = (
                all_units[1:]
                if push == "all"
                else villages_of.get(unit.pk, [])
                if push == "villages"
                else []
            )
            placements += [
                Placement(article=article, unit=u, via=PlacementVia.PUSHED) for u in targets
            ]
        Placement.objects.bulk_create(placements, batch_size=1000)
    insert_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    search.tokens("关心下一代")  # loads jieba's dictionary
    jieba_load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    indexed = search.reindex_all()
    index_s = time.perf_counter() - t0
    assert indexed == n_articles, (indexed, n_articles)
    assert to_simplified("關心") == "关心"
    return Built(
        banner_code=banner.code,
        township_code=townships[0].code,
        village_code=villages_of[townships[0].pk][0].code,
        units=len(all_units),
        articles=n_articles,
        drafts=DRAFTS,
        placements=len(placements),
        insert_s=insert_s,
        index_s=index_s,
        jieba_load_s=jieba_load_s,
    )


def _median_ms(fn: Callable[[], Any], *, reps: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(built: Built, *, reps: int) -> list[Timing]:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import include, path, set_urlconf

    from nutag.orgs.models import Unit
    from nutag.sites.search import search_articles
    from nutag.sites.views.search import site_search

    banner = Unit.objects.get(code=built.banner_code)
    township = Unit.objects.get(code=built.township_code)
    village = Unit.objects.get(code=built.village_code)
    factory = RequestFactory()
    # The search page's URL, whether or not config/urls.py mounts it yet.
    urls = types.ModuleType("bench_search_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("", include("nutag.sites.urls.search")),
        path("", include("config.urls")),
    ]
    set_urlconf(urls)

    cases = [
        ("common word", banner, "草原", 0, True),
        ("two words", banner, "关心 下一代", 0, False),
        ("traditional characters", banner, "關心下一代", 0, False),
        ("rare word", banner, RARE_WORD, 0, False),
        ("Mongolian word", banner, "ᠰᠤᠷᠭᠠᠭᠤᠯᠢ", 0, False),
        ("no hit", banner, "火星探测", 0, False),
        ("second page", banner, "草原", 20, True),
        ("common word, a township", township, "草原", 0, True),
        ("common word, a village", village, "草原", 0, True),
    ]
    timings = []
    for label, unit, query, offset, page in cases:
        hits = search_articles(unit=unit, query=query, offset=offset)
        ms = _median_ms(
            lambda u=unit, q=query, o=offset: search_articles(unit=u, query=q, offset=o),
            reps=reps,
        )
        page_ms = None
        if page:

            def get(u: Any = unit, q: str = query, o: int = offset) -> None:
                request = factory.get("/", {"q": q, "page": str(o // 20 + 1)})
                request.user = AnonymousUser()
                response = site_search(request, code=u.code)
                assert response.status_code == 200

            page_ms = _median_ms(get, reps=reps)
        timings.append(Timing(label, unit.name, query, len(hits), ms, page_ms))
    return timings


def query_plan(built: Built) -> str:
    """The plan of the ranked-ids query for the banner's common-word search."""
    from django.db import connection

    from nutag.orgs.models import Unit
    from nutag.sites import search

    banner = Unit.objects.get(code=built.banner_code)
    sql, params = search.ranked_sql(unit=banner, words=["草原"], limit=20, offset=0)
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(str(r[-1]) for r in rows)
    return "\n".join(str(r[0]) for r in rows)


def _lines(built: Built, timings: list[Timing], size: str) -> list[str]:
    worst = max(max(t.ms, t.page_ms or 0) for t in timings)
    verdict = "meets" if worst < BAR_MS else "FAILS"
    lines = [
        f"- data: {built.units} units, {built.articles:,} published articles (+{built.drafts} "
        f"drafts), {built.placements:,} placements; {size}; rows inserted in "
        f"{built.insert_s:.1f} s",
        f"- index built by `reindex_all()` in **{built.index_s:.1f} s** "
        f"({built.index_s / built.articles * 1000:.1f} ms an article); jieba's dictionary "
        f"loaded once per process in {built.jieba_load_s:.2f} s",
        "",
        "| search (page of 20) | unit | query | hits | `search_articles` ms | page view ms |",
        "|---|---|---|---|---|---|",
    ]
    for t in timings:
        page = f"{t.page_ms:.1f}" if t.page_ms is not None else "–"
        lines.append(f"| {t.label} | {t.where} | `{t.query}` | {t.hits} | {t.ms:.1f} | {page} |")
    lines += [
        "",
        f"- **slowest: {worst:.1f} ms** — {verdict} the bar (< {BAR_MS:.0f} ms)",
        "- medians of the timed runs after 3 warm-up runs; `search_articles` is the ranked "
        "page of ids, the articles and their placements (3 queries) and the snippets; the "
        "page view adds the unit and the template (no middleware)",
    ]
    return lines


def write_results(vendor: str, block_lines: list[str]) -> None:
    """Replace this database's block inside the "bench/search" section of RESULTS.md."""
    common.write_block(
        "bench/search",
        vendor,
        block_lines,
        intro="A site search (ranked page of 20 with highlighted snippets) over a demo-sized "
        f"banner; the bar is under {BAR_MS / 1000:g} s. Written by `bench/search.py`.",
    )


def _pg_admin(url: str, *, create: bool) -> str:
    """Drop (and re-create) ``<name>_search_bench``; returns its URL."""
    import dj_database_url

    name = f"{dj_database_url.parse(url)['NAME']}_search_bench"
    common.recreate_postgres(url, name, create=create)
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def run_one(db: str, *, n_articles: int, reps: int, write: bool) -> int:
    tmpdir = None
    pg_url = os.environ.get("DATABASE_URL", "")
    if db == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="nutag-search-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"] = _pg_admin(common.postgres_url(), create=True)
    common.setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"bench/search on {connection.vendor}: {n_articles:,} articles")
    try:
        call_command("migrate", verbosity=0)
        built = build(n_articles)
        print(f"  built in {built.insert_s:.1f} s, indexed in {built.index_s:.1f} s")
        timings = measure(built, reps=reps)
        plan = query_plan(built)
        size = "demo size" if n_articles == FULL_ARTICLES else "custom size"
        lines = _lines(built, timings, size)
        for line in lines:
            print(line.replace("**", ""))
        print("  plan:\n    " + plan.replace("\n", "\n    "))
        worst = max(max(t.ms, t.page_ms or 0) for t in timings)
        if write and n_articles == FULL_ARTICLES:
            title = "SQLite (FTS5)" if connection.vendor == "sqlite" else "PostgreSQL (tsvector)"
            block = common.run_block(
                title=title,
                command=f"bench/search.py --db {db}",
                lines=lines,
                plans_title="Plan of the ranked query (banner, a common word):",
                plans=[plan],
            )
            write_results(connection.vendor, block)
        return 0 if worst < BAR_MS else 1
    finally:
        connection.close()
        if tmpdir is not None:
            common.remove_folder(tmpdir)
        if db == "postgres":
            _pg_admin(pg_url, create=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], help="one database only")
    parser.add_argument("--articles", type=int, default=FULL_ARTICLES)
    parser.add_argument("--reps", type=int, default=21, help="timed repetitions (median)")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    if args.db:
        return run_one(args.db, n_articles=args.articles, reps=args.reps, write=not args.no_write)
    # Each database in its own process (Django is set up once per process).
    dbs = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        dbs.append("postgres")
    status = 0
    for db in dbs:
        command = [sys.executable, __file__, "--db", db, "--articles", str(args.articles)]
        command += ["--reps", str(args.reps)] + (["--no-write"] if args.no_write else [])
        status = max(status, subprocess.call(command))  # noqa: S603
    return status


if __name__ == "__main__":
    sys.exit(main())
