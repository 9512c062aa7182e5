"""bench/profile_pages: where a cold page's time goes (issue 17, "cold pages").

Renders the demo's village home, a column page and an article in-process through Django's
test client with the page cache off (what every cache miss costs: each publish, each
expiry), against the bare view in the same process, and profiles them with cProfile:

- the median time of each page and its ratio to the bare view (in-process: no server, no
  network, so the ratios are of Django's own work only; ``bench/served.py`` gives the
  ratios as served);
- the number of queries of each page;
- the profile's functions by own time, and the time grouped by where it is spent (the
  database driver, the ORM building SQL and rows, the template engine, the rest).

- ``--after-publish``: what the first reader meets after a publish (the page cache on, as
  configured): an article is published at the village through the services (its commit runs
  the purge and, with ``NUTAG_PAGE_REFRESH`` > 0, the background re-render, here inline and
  timed apart), then the new article's page and each page are asked for once (``new``: the
  page nobody had asked for before); the same with re-rendering off, and after
  expiry (the entry past its freshness: served stale, rendered again). Ratios to the bare
  view in the same process.
- ``--steps``: each page's time by the steps its view takes (every function of
  ``nutag.sites.views.public``'s namespace the view calls, outermost calls only, and the
  template's frame rendered alone), against what the bar (0.3 × the bare view) leaves for the
  view's own work.
- ``--kinds``: each kind of page-cache miss since pages are made of kept shapes
  (``nutag.sites.shapes``): the shape kept (the page asked again; a logged-in reader), a
  column's ``?page=`` never asked, and the page's first render since its purge (see
  ``kinds_of_miss``).
- ``--lists``: the statements of the village's longest column alone (``selectors.rows``):
  its first page's rows, the rows skipped to its middle and to its last page (a page asked
  out of turn; the middle one also from page 10's end), and its count (asked again after
  every publish), each with its ratio to the first page's rows (see ``list_statements``).
- ``--gone N`` (with ``--after-publish``): first, N articles are published at the village,
  each read once (its page becomes one of the unit's recipes) and withdrawn through the
  services; what every later publish's background re-render then pays for pages that are
  gone (``nutag.sites.refresh``: rendered once more, then forgotten).

Usage (from the project root):

    .venv/bin/python bench/profile_pages.py --folder /tmp/demo            # the demo (100 articles)
    .venv/bin/python bench/profile_pages.py --folder /tmp/demo --articles 10000
    .venv/bin/python bench/profile_pages.py --folder /tmp/demo --memo-seconds 0  # after a purge

``--folder`` holds a demo made by ``bench.pages.prepare_demo`` (made there when missing).
Nothing is written to RESULTS.md: the figures go into it by hand, with their reading.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench._common import clock  # noqa: E402
from bench.pages import BARE_PATH, DEMO_VILLAGE, DemoSite, prepare_demo  # noqa: E402

GROUPS = [
    ("database driver", ("sqlite3", "psycopg", "backends/sqlite3", "backends/postgresql")),
    ("template engine", ("django/template", "templatetags", "django/utils/html")),
    ("ORM (SQL and rows)", ("django/db/models",)),
    ("translation", ("django/utils/translation", "gettext")),
]


def _group(filename: str) -> str:
    for name, needles in GROUPS:
        if any(n in filename for n in needles):
            return name
    if "/nutag/" in filename:
        return "nutag code"
    return "other (Django, middleware, Python)"


def setup(folder: Path, articles: int, memo_seconds: int = 300) -> None:
    if not (folder / "demo.sqlite3").exists():
        folder.mkdir(parents=True, exist_ok=True)
        prepare_demo(folder)
    os.environ.update(DemoSite(folder).env)
    os.environ["NUTAG_PAGE_CACHE_SECONDS"] = "0"
    os.environ["NUTAG_BENCH_BARE"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.conf import settings

    # The page cache is off (every request renders), but the answers the render keeps under
    # the unit's page generation (``sites.selectors.memo``) are kept as they are in
    # production: a miss after expiry, a new ``?page=``, a language first asked … finds them;
    # ``--memo-seconds 0``: a render right after a purge, which asks everything again.
    settings.NUTAG_SITE_MEMO_SECONDS = memo_seconds
    if articles:
        from nutag.sites.models import Placement

        have = Placement.objects.filter(unit__code=DEMO_VILLAGE).count()
        if have < articles:
            from bench.served import add_history

            add_history(DEMO_VILLAGE, articles)
            print(f"  added {articles:,} articles to {DEMO_VILLAGE}")


def paths() -> dict[str, str]:
    import re

    from django.test import Client

    client = Client()
    html = client.get(f"/u/{DEMO_VILLAGE}/").content.decode()
    article = re.search(rf'href="(/u/{DEMO_VILLAGE}/a/\d+/)"', html)
    column = re.search(rf'href="(/u/{DEMO_VILLAGE}/c/[\w-]+/)"', html)
    assert article and column, "no article or column link on the village home"
    return {
        "bare": BARE_PATH,
        "village": f"/u/{DEMO_VILLAGE}/",
        "column": column.group(1),
        "article": article.group(1),
    }


def time_pages(urls: dict[str, str], reps: int) -> dict[str, list[float]]:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    samples: dict[str, list[float]] = defaultdict(list)
    now = clock()  # NUTAG_BENCH_CPU=1: this process's CPU time (SQLite runs in it)
    for _ in range(3):  # warm-up: imports, templates loaded, connections
        for url in urls.values():
            client.get(url)
    for _ in range(reps):  # interleaved
        for key, url in urls.items():
            t0 = now()
            response = client.get(url)
            samples[key].append((now() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return samples


def queries_of(url: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx)


def profile(url: str, reps: int, top: int) -> str:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.get(url)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(reps):
        client.get(url)
    prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    by_group: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), value in stats.stats.items():  # type: ignore[attr-defined]
        by_group[_group(filename)] += value[2]
    out = io.StringIO()
    out.write(f"  own time by group ({reps} requests, profiled):\n")
    for name, seconds in sorted(by_group.items(), key=lambda kv: -kv[1]):
        out.write(f"    {100 * seconds / total:5.1f}%  {name}\n")
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(top)
    lines = [line for line in text.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    out.write("  top functions by own time:\n")
    for line in lines[start : start + top + 1]:
        out.write(f"    {line[:150]}\n")
    return out.getvalue()


def _publish_one(n: int) -> Any:
    """Publish one article at the demo village through the services; its commit runs the
    purge and (``NUTAG_TASK_MODE=inline``) the background re-render, in this thread."""
    from django.db import transaction

    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import Unit
    from nutag.sites import services

    unit = Unit.objects.get(code=DEMO_VILLAGE)
    with transaction.atomic():
        data = services.ArticleInput(title=f"测评文章{n}", column_key="news", body="<p>测评</p>")
        article = services.article_create(acting_user=SYSTEM, unit=unit, data=data)
        return services.article_publish(acting_user=SYSTEM, article=article)


def withdraw_read_articles(n: int) -> None:
    """``n`` articles published at the demo village, each read once, then withdrawn (their
    purges run the background re-render, inline)."""
    from django.test import Client, override_settings

    from nutag.core.actors import SYSTEM
    from nutag.sites import services

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    with override_settings(
        NUTAG_PAGE_CACHE_SECONDS=300, NUTAG_PAGE_REFRESH=12, NUTAG_TASK_MODE="inline"
    ):
        articles = [_publish_one(10_000 + i) for i in range(n)]
        for article in articles:
            assert client.get(f"/u/{DEMO_VILLAGE}/a/{article.pk}/").status_code == 200
        for article in articles:
            services.article_withdraw(acting_user=SYSTEM, article=article)


def after_publish(urls: dict[str, str], reps: int) -> str:
    """The first request of each page after a publish, re-rendering off then on, and after
    expiry; the median ms, the ratio to the bare view, what the cache answered."""
    import time as _time
    from collections import Counter
    from unittest import mock

    from django.test import Client, override_settings

    from nutag.core.tasks import run_named
    from nutag.sites.pagecache import page_cache

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    now = clock()
    pages = {k: v for k, v in urls.items() if k != "bare"}
    out = io.StringIO()
    out.write(f"first request after a change, median of {reps} (ms), ratio = bare / page:\n")
    bare: list[float] = []
    for label, refresh_pages, expire in (
        ("publish, re-render off", 0, False),
        ("publish, re-render on", 12, False),
        ("expiry, stale served", 12, True),
    ):
        samples: dict[str, list[float]] = defaultdict(list)
        answers: dict[str, Counter[str]] = defaultdict(Counter)
        background: list[float] = []
        with override_settings(
            NUTAG_PAGE_CACHE_SECONDS=300, NUTAG_PAGE_REFRESH=refresh_pages, NUTAG_TASK_MODE="inline"
        ):
            page_cache().clear()  # the shared tier too: else the last phase's pages are hits
            for url in pages.values():  # the recipes: pages readers asked for
                client.get(url)
            for i in range(reps):
                t0 = now()
                if expire:
                    later = _time.time() + 301 * (i + 1)  # every entry past its freshness
                    patch = mock.patch("nutag.sites.caching.time.time", lambda t=later: t)
                    patch.start()
                    asked = pages
                else:
                    article = _publish_one(i)
                    # the new article's page first: readers open it from the shared link
                    asked = {"new": f"/u/{DEMO_VILLAGE}/a/{article.pk}/", **pages}
                background.append((now() - t0) * 1000)
                for key, url in asked.items():
                    queued: list[tuple[str, dict[str, object]]] = []
                    with mock.patch(  # the stale hit's re-render: run after, timed apart
                        "nutag.sites.refresh.enqueue",
                        lambda p, q=queued, **kw: q.append((p, kw)),
                    ):
                        t0 = now()
                        response = client.get(url)
                        samples[key].append((now() - t0) * 1000)
                    answers[key][response.get("X-Nutag-Cache", "-")] += 1
                    t0 = now()
                    for path, kwargs in queued:
                        run_named(path, kwargs)
                    background[-1] += (now() - t0) * 1000
                    t0 = now()
                    client.get(BARE_PATH)
                    bare.append((now() - t0) * 1000)
                if expire:
                    patch.stop()
        b = statistics.median(bare)
        out.write(f"  {label} (publish + purge + background renders: ")
        out.write(f"{statistics.median(background):.1f} ms):\n")
        for key in samples:
            url = "(the article just published)" if key == "new" else pages[key]
            ms = statistics.median(samples[key])
            seen = ", ".join(f"{k} {v}" for k, v in sorted(answers[key].items()))
            out.write(f"    {key:8} {url:40} {ms:7.2f} ms  ratio {b / ms:5.3f}  ({seen})\n")
    out.write(f"  bare view: {statistics.median(bare):.2f} ms\n")
    return out.getvalue()


# the views' own entry points (called through the module by ``site_home`` and ``site_root``):
# wrapping them would make each page one step
_NOT_STEPS = frozenset({"_home"})


def steps(urls: dict[str, str], reps: int) -> str:
    """CPU ms per request of each step of each page's view (see the module docstring)."""
    import time

    from django.template import engines
    from django.test import Client

    import nutag.sites.views.public as views

    spent: dict[str, float] = defaultdict(float)
    depth = [0]
    captured: dict[str, Any] = {}

    def timed(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:
                return func(*args, **kwargs)
            depth[0] += 1
            t0 = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - t0
                depth[0] -= 1

        return wrapper

    def render(request: Any, template: str, context: dict[str, Any]) -> Any:
        captured.update(request=request, context=context)
        return real_render(request, template, context)

    real_render = views.render
    names = [
        name
        for name, value in vars(views).items()
        if callable(value)
        and not isinstance(value, type)
        and name not in _NOT_STEPS
        and (getattr(value, "__module__", "") or "").startswith("nutag.")
        and not getattr(value, "nutag_public_page", False)
    ]
    originals = {name: getattr(views, name) for name in [*names, "render"]}
    frame = engines["django"].from_string('{% extends "sites/public_base.html" %}')
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    out = io.StringIO()
    out.write(f"steps of each cold page, CPU ms per request (mean of {reps}):\n")
    try:
        for name in names:
            setattr(views, name, timed(name, originals[name]))
        views.render = timed("render (the template)", render)  # type: ignore[assignment]
        bare = _cpu_per_request(client, urls["bare"], reps)
        budget = bare / 0.3 - bare
        for key in ("village", "column", "article"):
            spent.clear()
            page = _cpu_per_request(client, urls[key], reps)
            captured.clear()
            frame_ms = (
                _cpu_per_call(lambda: frame.render(captured["context"], captured["request"]), reps)
                if "context" in captured  # rendered whole; a kept shape renders no template
                else 0.0
            )
            out.write(
                f"  {key} {urls[key]}: {page:.2f} ms, bare view {bare:.2f} ms; the view's own "
                f"work {page - bare:.2f} ms, where 0.3 × leaves {budget:.2f} ms\n"
            )
            for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
                if seconds * 1000 / reps >= 0.005:
                    out.write(f"    {name:28} {seconds * 1000 / reps:6.3f}\n")
            if frame_ms:  # a filled shape renders no template
                out.write(f"    {'(the frame alone)':28} {frame_ms:6.3f}\n")
    finally:
        for name, value in originals.items():
            setattr(views, name, value)
    return out.getvalue()


def kinds_of_miss(urls: dict[str, str], reps: int, publish: bool = True) -> str:
    """Each kind of page-cache miss (``nutag.sites.shapes``), CPU ms per request (median) and
    the ratio to the bare view measured in the same loop:

    - ``shape kept``: the page asked again without the page cache (an anonymous reader after
      the entry was dropped; what every logged-in reader meets): the shape filled;
    - ``logged in``: the same pages for the demo's resident (the bell, the comment form),
      against the bare view that reads who asks (``bench/bare_urls.py``: the session and the
      login, which any page for a logged-in reader reads);
    - ``next ?page=``: a column page never asked at this generation (the shape kept, its rows
      not), in the column with the most pages, right after the page before it (a reader
      paging on: it starts where that one ended, ``listed_rows(after=...)``): its pages 2–10,
      and the deeper ones; ``?page= out of turn``: the same for a page whose neighbours were
      not asked (a link to a deep page: its rows skipped to from page 1's end);
    - ``whole (shapes off)``: ``NUTAG_PAGE_SHAPES=0``, every miss rendered whole (as before);
    - ``after a publish``: an older article, the village home and the column's first page,
      each right after another article's publish at the village (through the services; the
      unit's pages purged): their shapes are kept by the unit's frame generation (and the
      article's own, ``caching.article_generations``, ``frame_generations``); the home's and
      the column's lists are made again. Their ratio is to the bare view asked right after a
      publish as well: whatever runs first after a publish takes longer (the publish's work
      has left the processor's caches cold), the bare view 0.3 ms more on this machine;
      the ratio to the bare view of the loop follows in brackets. ``then in Mongolian``:
      the village home asked in Mongolian right after (another shape: its lists are made
      again, from the news the Chinese reader's request kept, ``site_home_news``);
    - ``first render``: the page's first render since its purge (``shapes.forget()`` before
      each request; the unit's other answers kept, ``selectors.memo``): rendered whole, its
      shape made.
    """
    import time

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.bare_urls import BARE_USER_PATH
    from nutag.sites import shapes

    anonymous = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    mongolian = Client(HTTP_ACCEPT_LANGUAGE="mn-mong")
    resident = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    resident.force_login(get_user_model().objects.get(username="demo-resident"))
    from nutag.orgs.models import Unit
    from nutag.sites.selectors import site_column_articles, site_columns
    from nutag.sites.views.public import COLUMN_PAGE_SIZE

    unit = Unit.objects.get(code=DEMO_VILLAGE)
    pages = {
        f"/u/{DEMO_VILLAGE}/c/{c.key}/": -(
            -site_column_articles(unit=unit, keys=[c.key]).count() // COLUMN_PAGE_SIZE
        )
        for c in site_columns(unit=unit)
        if c.enabled
    }
    column = max(pages, key=lambda c: pages[c])
    numbers = list(range(2, pages[column] + 1)) or [1]

    def cpu(call: Any) -> float:  # this thread's CPU: SQLite runs in it, a reads flush not
        t0 = time.thread_time()
        call()
        return (time.thread_time() - t0) * 1000

    samples: dict[str, list[float]] = defaultdict(list)
    for i in range(reps):
        samples["bare"].append(cpu(lambda: anonymous.get(urls["bare"])))
        samples["bare · logged in"].append(cpu(lambda: resident.get(BARE_USER_PATH)))
        # set, not overridden: a setting_changed signal would drop what other parts keep
        settings.NUTAG_PAGE_SHAPES = False
        for key in ("village", "column", "article"):
            samples[f"whole (shapes off) · {key}"].append(cpu(lambda u=urls[key]: anonymous.get(u)))
        settings.NUTAG_PAGE_SHAPES = True
        for key in ("village", "column", "article"):
            shapes.forget()
            samples[f"first render · {key}"].append(cpu(lambda u=urls[key]: anonymous.get(u)))
        for key in ("village", "column", "article"):  # made again (the loop forgot them)
            anonymous.get(urls[key])
        mongolian.get(urls["village"])
        for key in ("village", "column", "article"):
            samples[f"shape kept · {key}"].append(cpu(lambda u=urls[key]: anonymous.get(u)))
            samples[f"logged in · {key}"].append(cpu(lambda u=urls[key]: resident.get(u)))
        anonymous.get(column)  # its shape (forgotten above), page 1's rows
        for label, shown in (("pages 2–10", numbers[:9]), ("deeper pages", numbers[9:])):
            if shown:
                n = shown[i % len(shown)]
                if n > 2:  # the page before it, shown: where it starts (a reader paging on)
                    anonymous.get(f"{column}?page={n - 1}")
                samples[f"next ?page= · {label}"].append(
                    cpu(lambda n=n: anonymous.get(f"{column}?page={n}"))
                )
                n = shown[(i + len(shown) // 2) % len(shown)]  # never asked, nor its neighbours
                samples[f"?page= out of turn · {label}"].append(
                    cpu(lambda n=n: anonymous.get(f"{column}?page={n}"))
                )
        if publish:  # another article published at the village: every page of it purged
            for n, key in enumerate(("bare", "article", "village", "column")):
                _publish_one(20_000 + 4 * i + n)  # each page (and the bare view) right after one
                samples[f"after a publish · {key}"].append(
                    cpu(lambda u=urls[key]: anonymous.get(u))
                )
                if key == "village":  # another reader's language: its news made already
                    samples["then in Mongolian · village"].append(
                        cpu(lambda: mongolian.get(urls["village"]))
                    )
    bare = statistics.median(samples.pop("bare"))
    bare_in = statistics.median(samples.pop("bare · logged in"))
    bare_after = statistics.median(samples.pop("after a publish · bare", [bare]))
    out = io.StringIO()
    out.write(
        f"kinds of miss (page cache off), this thread's CPU ms, median of {reps}; bare view"
        f" {bare:.2f} ms, reading who asks for a logged-in reader {bare_in:.2f} ms (the ratio"
        f" of a logged-in page is to it), the bare view right after a publish {bare_after:.2f}"
        f" ms (the ratio of a page after a publish is to it; to the bare view in the loop in"
        f" brackets); ?page= in {column} ({numbers[-1]} pages):\n"
    )
    for label, values in samples.items():
        ms = statistics.median(values)
        if label.startswith("after a publish"):
            # whatever runs right after a publish runs slower, the bare view too (the
            # publish's own work has left the processor's caches cold: bench/RESULTS.md,
            # "Issue 17, session 19"); the same moment for both
            out.write(
                f"  {label:28} {ms:6.2f} ms  ratio {bare_after / ms:5.3f} ({bare / ms:.3f})\n"
            )
            continue
        base = bare_in if label.startswith("logged in") else bare
        out.write(f"  {label:28} {ms:6.2f} ms  ratio {base / ms:5.3f}\n")
    return out.getvalue()


def list_statements(reps: int) -> str:
    """The statements of the village's column with the most articles, alone (no page): the
    rows of its first page, the rows a page asked out of turn skips to (its middle page, its
    last; the middle one also from the end of page 10, as when that page was shown), and its
    count; this thread's CPU ms, median of ``reps`` rounds (each round asks each once, in
    turn), and the ratio of each to the first page's rows (the same statement with nothing
    skipped)."""
    import time

    from nutag.orgs.models import Unit
    from nutag.sites.selectors import site_columns
    from nutag.sites.selectors.rows import listed_count, listed_rows
    from nutag.sites.views.public import COLUMN_PAGE_SIZE as size

    unit = Unit.objects.get(code=DEMO_VILLAGE)
    counts = {
        c.key: listed_count(unit=unit, column_keys=[c.key])
        for c in site_columns(unit=unit)
        if c.enabled
    }
    key = max(counts, key=lambda k: counts[k])
    last = (counts[key] - 1) // size * size
    end = listed_rows(unit=unit, column_keys=[key], offset=10 * size - 1, limit=1)[0].place
    calls = {
        "page 1's rows": lambda: listed_rows(unit=unit, column_keys=[key], limit=size),
        f"rows skipped to {last // 2:,}": lambda: listed_rows(
            unit=unit, column_keys=[key], offset=last // 2, limit=size
        ),
        f"rows skipped to {last:,}": lambda: listed_rows(
            unit=unit, column_keys=[key], offset=last, limit=size
        ),
        f"rows skipped to {last // 2:,} from page 10's end": lambda: listed_rows(
            unit=unit, column_keys=[key], offset=last // 2 - 10 * size, limit=size, after=end
        ),
        "the count": lambda: listed_count(unit=unit, column_keys=[key]),
    }
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(reps):
        for label, call in calls.items():
            t0 = time.thread_time()
            call()
            samples[label].append((time.thread_time() - t0) * 1000)
    first = statistics.median(samples["page 1's rows"])
    out = io.StringIO()
    out.write(
        f"the column {key!r} of {DEMO_VILLAGE} ({counts[key]:,} articles), its statements"
        f" alone, this thread's CPU ms, median of {reps} (ratio = page 1's rows / it):\n"
    )
    for label, values in samples.items():
        ms = statistics.median(values)
        out.write(f"  {label:40} {ms:6.3f} ms  ratio {first / ms:5.3f}\n")
    return out.getvalue()


def _cpu_per_request(client: Any, url: str, reps: int) -> float:
    for _ in range(10):
        client.get(url)
    return _cpu_per_call(lambda: client.get(url), reps, warm=0)


def _cpu_per_call(call: Any, reps: int, warm: int = 10) -> float:
    import time

    for _ in range(warm):
        call()
    t0 = time.process_time()
    for _ in range(reps):
        call()
    return (time.process_time() - t0) * 1000 / reps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=0)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--after-publish", action="store_true", help="see the docstring")
    parser.add_argument("--memo-seconds", type=int, default=300, help="see setup()")
    parser.add_argument("--gone", type=int, default=0, help="see the docstring")
    parser.add_argument("--steps", action="store_true", help="see the docstring")
    parser.add_argument("--kinds", action="store_true", help="see the docstring")
    parser.add_argument("--lists", action="store_true", help="see the docstring")
    args = parser.parse_args(argv)
    setup(args.folder, args.articles, args.memo_seconds)
    urls = paths()
    samples = time_pages(urls, args.reps)
    bare = statistics.median(samples["bare"])
    print(f"cold pages in-process, median of {args.reps} (ms), ratio = bare / page:")
    for key, url in urls.items():
        ms = statistics.median(samples[key])
        n = queries_of(url)
        print(f"  {key:8} {url:40} {ms:7.2f} ms  ratio {bare / ms:5.3f}  {n} queries")
    if args.lists:
        print(list_statements(args.reps * 5))
    if args.kinds:
        print(kinds_of_miss(urls, args.reps))
    if args.steps:
        print(steps(urls, args.reps))
    if args.after_publish:
        if args.gone:
            withdraw_read_articles(args.gone)
            print(f"  {args.gone} articles read, then withdrawn")
        print(after_publish(urls, args.reps))
    if not args.no_profile:
        for key in ("village", "column", "article"):
            print(f"\n{key} {urls[key]}")
            print(profile(urls[key], args.reps, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
