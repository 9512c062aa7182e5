"""bench/served: the pages users feel, warm and cold, as ratios to a bare view (issue 17).

Serves the demo the way ``bench/pages.py`` does (production settings, granian with 2
workers, SQLite, no Redis: the embedded default) and measures with wrk, in one run and
against the same bare Django view served by the same processes:

- a village home, one of its column pages and an article (with a cover);
- the banner's dashboard ``/u/<banner>/figures/`` and its stats API
  ``/api/v1/units/<banner>/stats`` (anonymous);

once **warm** (the page cache as configured) and once **cold**, with the server started again
with ``NUTAG_PAGE_CACHE_SECONDS=0`` so that every request renders (what a cache miss costs:
each publish, each expiry). ``--articles N`` first adds N published articles to the village
(bulk, over several years), the "unit with a long history" case. ``--modes warm,cold,miss``
adds **miss**: every request renders as in cold, but with the page's kept answers
(``NUTAG_SITE_MEMO_SECONDS=300``), as after an expiry, a new ``?page=`` or a language first
asked (printed, not written).

Usage (from the project root; needs ``wrk``):

    .venv/bin/python bench/served.py                       # writes bench/RESULTS.md
    .venv/bin/python bench/served.py --articles 10000      # a village with 10,000 articles
    .venv/bin/python bench/served.py --duration 5 --no-write

``--memory N`` (with the warm server) then sends N requests for the village home, each
with a random query string (wrk with a Lua script), and reports each worker's resident
memory before and after: each unknown query string used to add a page-cache entry.

Exit status: 0 when every warm page is >= 0.7 (dashboard >= 0.3, stats API >= 0.5) and
every cold site page >= 0.3 of the bare view, 1 when not, 2 when the run failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench._common import machine_description, today, write_section  # noqa: E402
from bench.pages import (  # noqa: E402
    BARE_PATH,
    DEMO_VILLAGE,
    PHONE_HEADERS,
    BenchError,
    DemoSite,
    fetch,
    load_average,
    parse_wrk,
    prepare_demo,
    run_server,
    run_wrk,
    wrk_version,
)

DEMO_BANNER = "150725"
WARM_BAR = {"village": 0.7, "column": 0.7, "article": 0.7, "dashboard": 0.3, "stats": 0.5}
COLD_BAR = {"village": 0.3, "column": 0.3, "article": 0.3}


def add_history(code: str, count: int) -> None:
    """``count`` published articles at unit ``code``, spread over the last years, in bulk
    (the services would take minutes; a bench's data, not a record). Run inside Django."""
    import datetime as dt

    from django.utils import timezone

    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import Unit
    from nutag.sites.models import Article, ArticleStatus, Column, Placement, PlacementVia
    from nutag.sites.services import columns_ensure

    unit = Unit.objects.get(code=code)
    columns_ensure(acting_user=SYSTEM, unit=unit)
    column = Column.objects.filter(unit=unit, key="news").first()
    now = timezone.now()
    body = "<p>" + "嘎查牧民在五老志愿者的带领下开展活动。" * 60 + "</p>"
    articles = [
        Article(
            unit=unit,
            column=column,
            title=f"往期动态第{i}篇",
            summary="往期动态",
            body=body,
            status=ArticleStatus.PUBLISHED,
            published_at=now - dt.timedelta(hours=6 * (i + 10)),
        )
        for i in range(count)
    ]
    Article.objects.bulk_create(articles, batch_size=500)
    Placement.objects.bulk_create(  # bulk_create calls no save(): the list keys are set here
        [Placement(article=a, unit=unit, via=PlacementVia.OWN, **a.list_keys()) for a in articles],
        batch_size=500,
    )


class _Site(DemoSite):
    extra: dict[str, str] = {}

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env["NUTAG_GENERATIONS_FILE"] = str(self.folder / "generations")
        env.update(self.extra)
        return env


@dataclasses.dataclass
class Row:
    key: str
    path: str
    warm: float = 0.0
    cold: float = 0.0
    warm_p50: float | None = None
    cold_p50: float | None = None
    stack: float = 0.0
    stack_p50: float | None = None
    miss: float = 0.0
    miss_p50: float | None = None


def _paths(base_url: str, village: str) -> dict[str, str]:
    status, _, body = fetch(f"{base_url}/u/{village}/")
    if status != 200:
        raise BenchError(f"village home answered {status}")
    html = body.decode()
    article = re.search(rf'href="(/u/{village}/a/\d+/)"', html)
    column = re.search(rf'href="(/u/{village}/c/[\w-]+/)"', html)
    if not article or not column:
        raise BenchError("no article or column link on the village home")
    return {
        "village": f"/u/{village}/",
        "column": column.group(1),
        "article": article.group(1),
        "dashboard": f"/u/{DEMO_BANNER}/figures/",
        "stats": f"/api/v1/units/{DEMO_BANNER}/stats",
    }


def _measure(
    base_url: str, paths: dict[str, str], duration: int, warmup: int
) -> dict[str, tuple[float, float | None]]:
    out: dict[str, tuple[float, float | None]] = {}
    order = ["bare", *paths, "bare_again"]
    for key in order:
        path = BARE_PATH if key.startswith("bare") else paths[key]
        status, _, body = fetch(base_url + path, headers=PHONE_HEADERS, timeout=120)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}: {body[:300]!r}")
        run_wrk(base_url + path, duration=warmup, headers=PHONE_HEADERS)
        result = parse_wrk(
            run_wrk(base_url + path, duration=duration, headers=PHONE_HEADERS),
            label=key,
            path=path,
        )
        # a slow page (a cold dashboard) may outlast wrk's 2-s timeout on some requests:
        # those are counted as not served; any other socket error fails the run
        if result.non_2xx or re.search(r"(connect|read|write) [1-9]", result.errors):
            raise BenchError(f"wrk on {path}: {result.non_2xx} non-2xx, {result.errors}")
        if result.errors:
            print(f"  {key}: {result.errors}", flush=True)
        out[key] = (result.requests_per_second, result.latency_p50_ms)
        print(f"  {key}: {result.requests_per_second:,.0f} req/s", flush=True)
    return out


RANDOM_QUERY = """
math.randomseed(os.time())
request = function()
  return wrk.format(nil, wrk.path .. "?utm=" .. math.random(1, 1000000000) .. "&from=x")
end
"""


def _workers_rss(pid: int) -> dict[int, int]:
    """Resident memory (KB) of the server's worker processes (its children, by /proc)."""
    rss = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(pid) and "VmRSS" in fields:
            rss[int(entry.name)] = int(fields["VmRSS"].split()[0])
    return rss


def _memory(base_url: str, pid: int, path: str, count: int, folder: Path) -> list[str]:
    import subprocess

    script = folder / "random_query.lua"
    script.write_text(RANDOM_QUERY)
    before = _workers_rss(pid)
    sent = 0
    while sent < count:
        done = subprocess.run(  # noqa: S603
            ["wrk", "-t2", "-c16", "-d5s", "-s", str(script), base_url + path],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        total = re.search(r"(\d+) requests in", done.stdout)
        if done.returncode or not total or int(total.group(1)) == 0:
            raise BenchError(f"wrk with random query strings failed:\n{done.stdout}{done.stderr}")
        sent += int(total.group(1))
    after = _workers_rss(pid)
    rows = [
        f"| worker {i + 1} | {before[p] / 1024:.0f} MB | {after.get(p, 0) / 1024:.0f} MB |"
        for i, p in enumerate(sorted(before))
    ]
    return [
        "",
        f"Memory: {sent:,} requests for `{path}` with a random query string each "
        "(`?utm=<random>&from=x`), warm server:",
        "",
        "| process | resident before | resident after |",
        "|---|---|---|",
        *rows,
    ]


PUBLISH = """
from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.sites.services import ArticleInput, article_create, article_publish
unit = Unit.objects.get(code={code!r})
article = article_create(acting_user=SYSTEM, unit=unit, data=ArticleInput(title={title!r}))
article_publish(acting_user=SYSTEM, article=article)
"""


def _after_publish(site: _Site, village: str, count: int) -> list[str]:
    """What readers meet right after a publish made by another process (the village home),
    without and with the shared page tier: ``count`` requests one after the other, each on
    a new connection (granian spreads them over its 2 workers)."""
    import gzip
    import time

    rows = []
    for label, extra in (
        ("local memory only (before)", {"NUTAG_PAGE_CACHE_SHARED": ""}),
        ("with the shared tier (after)", {}),
    ):
        site.extra = {**extra, "NUTAG_TASK_MODE": "inline"}  # the publisher renders at once
        with run_server(site) as server:
            home = f"{server.base_url}/u/{village}/"
            for _ in range(40):  # every worker has the page
                fetch(home, headers=PHONE_HEADERS)
            title = f"刚刚发布的消息{time.time_ns()}"
            site.manage("shell", "-c", PUBLISH.format(code=village, title=title))
            states, times, seen = [], [], 0
            for _ in range(count):
                t0 = time.perf_counter()
                _, raw_headers, body = fetch(home, headers=PHONE_HEADERS, timeout=120)
                times.append((time.perf_counter() - t0) * 1000)
                headers = {k.lower(): v for k, v in raw_headers.items()}
                states.append(headers.get("x-nutag-cache", "-"))
                if headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                seen += title in body.decode()
        rendered = [t for t, st in zip(times, states, strict=True) if st == "miss"]
        served = [t for t, st in zip(times, states, strict=True) if st != "miss"]
        rows.append(
            f"| {label} | {states.count('miss')} of {count} | {seen} of {count} | "
            + (f"{statistics.median(rendered):.1f} ms" if rendered else "–")
            + " | "
            + (f"{statistics.median(served):.1f} ms" if served else "–")
            + " |"
        )
    return [
        "## bench/served --after-publish (issue 17, one cache for every worker)",
        "",
        f"Run {today()} with `bench/served.py --after-publish {count}`: granian, 2 workers, "
        "production settings, SQLite, no Redis. Each worker has the village home cached; an "
        "article is published there by another process (the services, `SYSTEM`, background "
        "renders inline), then the home is asked for "
        f"{count} times, one request after the other, each on a new connection. "
        f"Machine: {machine_description()}.",
        "",
        "| page cache | rendered on request (miss) | showed the new article | median, miss "
        "| median, hit |",
        "|---|---|---|---|---|",
        *rows,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--village", default=DEMO_VILLAGE)
    parser.add_argument("--articles", type=int, default=0, help="add N articles to the village")
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--memory", type=int, default=0, help="N random-query requests")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--modes",
        default="warm,cold",
        help="of warm, cold, stack (warm with the early path off: NUTAG_PAGE_CACHE_EARLY=0), "
        "miss (every request renders, the page's kept answers kept: a miss after expiry, "
        "a new ?page=, a language first asked)",
    )
    parser.add_argument("--folder", type=Path, help="reuse the demo in this folder")
    parser.add_argument(
        "--after-publish",
        type=int,
        default=0,
        help="N requests after a publish, with and without the shared page tier",
    )
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if shutil.which("wrk") is None:
        print("bench/served needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    own_folder = args.folder is None
    folder = args.folder or Path(tempfile.mkdtemp(prefix="nutag-bench-served-"))
    load_before = load_average()
    try:
        if own_folder or not (folder / "demo.sqlite3").exists():
            folder.mkdir(parents=True, exist_ok=True)
            prepare_demo(folder, picture_at=args.village)
        site = _Site(folder)
        if args.articles:
            code = (
                f"from bench.served import add_history; add_history({args.village!r}, "
                f"{args.articles})"
            )
            site.manage("shell", "-c", code, settings="config.settings.dev")
        rows: dict[str, Row] = {}
        memory: list[str] = []
        bare: dict[str, float] = {}
        if args.after_publish:
            publish = _after_publish(site, args.village, args.after_publish)
            print("\n".join(publish))
            if not args.no_write:
                write_section("bench/served-after-publish", publish)
            if not modes:
                return 0
        extras = {
            "warm": {},
            "cold": {"NUTAG_PAGE_CACHE_SECONDS": "0"},
            "stack": {"NUTAG_PAGE_CACHE_EARLY": "0"},
            "miss": {"NUTAG_PAGE_CACHE_SECONDS": "0", "NUTAG_SITE_MEMO_SECONDS": "300"},
        }
        for mode in modes:
            site.extra = extras[mode]
            with run_server(site) as server:
                print(f"{mode}: {server.version} on {server.base_url}", flush=True)
                paths = _paths(server.base_url, args.village)
                measured = _measure(server.base_url, paths, args.duration, args.warmup)
                if mode == "warm" and args.memory:
                    memory = _memory(
                        server.base_url, server.process.pid, paths["village"], args.memory, folder
                    )
            bare[mode] = statistics.mean([measured["bare"][0], measured["bare_again"][0]])
            for key, path in paths.items():
                row = rows.setdefault(key, Row(key, path))
                setattr(row, mode, measured[key][0])
                setattr(row, f"{mode}_p50", measured[key][1])
        if modes != ["warm", "cold"]:  # a partial run: printed, not written
            for key, row in rows.items():
                print(
                    f"  {key}: " + ", ".join(f"{m} {getattr(row, m) / bare[m]:.2f}" for m in modes)
                )
            return 0
        lines = _report(rows, bare, args, load_before) + memory
        print("\n".join(lines))
        if not args.no_write:
            name = "bench/served" + (f"-{args.articles}" if args.articles else "")
            write_section(name, lines)
        ok = all(rows[k].warm / bare["warm"] >= bar for k, bar in WARM_BAR.items()) and all(
            rows[k].cold / bare["cold"] >= bar for k, bar in COLD_BAR.items()
        )
        return 0 if ok else 1
    except BenchError as exc:
        print(f"bench/served FAILED: {exc}", file=sys.stderr)
        return 2
    finally:
        if own_folder:
            shutil.rmtree(folder, ignore_errors=True)


def _report(
    rows: dict[str, Row], bare: dict[str, float], args: argparse.Namespace, load: float
) -> list[str]:
    def ms(value: float | None) -> str:
        return f"{value:.1f} ms" if value is not None else "–"

    history = (
        f"the village has {args.articles:,} more published articles (bulk, over several years)"
        if args.articles
        else "the demo as loaded (plus one photo article at the village)"
    )
    table = [
        "| page | warm req/s | **warm ratio** | p50 | cold req/s | **cold ratio** | p50 |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows.values():
        table.append(
            f"| `{row.path}` | {row.warm:,.0f} | **{row.warm / bare['warm']:.2f}** | "
            f"{ms(row.warm_p50)} | {row.cold:,.0f} | **{row.cold / bare['cold']:.2f}** | "
            f"{ms(row.cold_p50)} |"
        )
    table.append(
        f"| bare view `{BARE_PATH}` | {bare['warm']:,.0f} | 1 | | {bare['cold']:,.0f} | 1 | |"
    )
    return [
        "## bench/served" + (f" ({args.articles:,} articles)" if args.articles else ""),
        "",
        "Pages as users feel them, as ratios to a bare Django view served by the same "
        "granian processes (2 workers, `config.settings.prod`, SQLite, no Redis: the shared "
        "generations file) in the same run. *Warm*: the page cache as configured; *cold*: the "
        "server started again with `NUTAG_PAGE_CACHE_SECONDS=0`, so every request renders "
        "(what a cache miss costs). Written by `bench/served.py`.",
        "",
        f"Run {today()} with `bench/served.py"
        + (f" --articles {args.articles}" if args.articles else "")
        + f"`; {wrk_version()}, `wrk -t2 -c32 -d{args.duration}s`, each URL warmed "
        f"{args.warmup} s; compressed as phones ask. Data: {history}. "
        f"Machine: {machine_description()}; 1-min load average at the start: {load:.1f} "
        "(the machine is shared: ratios, not absolute numbers, are what compare).",
        "",
        *table,
        "",
        "Bars (issue 17): warm >= 0.7 for the site pages, >= 0.3 for the dashboard, >= 0.5 for "
        "the stats API; cold >= 0.3 for the site pages.",
    ]


if __name__ == "__main__":
    sys.exit(main())
