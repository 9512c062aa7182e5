"""bench/warm_profile: where a warm (cached) page's time goes, against the bare view (issue 17).

In-process, through Django's test client (the whole middleware stack, as served), with the
page cache on: the village home, a column page and an article are each asked for once (a
miss, stored), then timed as hits, interleaved with the bare view; then profiled with
cProfile. CPU time of this process (``time.process_time``): no server, no network, so the
ratio is of Django's own work only (``bench/served.py`` gives the ratios as served).

    .venv/bin/python bench/warm_profile.py --folder /tmp/demo [--reps 2000] [--profile]

``--folder`` holds a demo made by ``bench.pages.prepare_demo`` (made there when missing).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench.pages import DemoSite, prepare_demo  # noqa: E402

HEADERS = {
    "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
    "HTTP_ACCEPT_ENCODING": "gzip, deflate",
    "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 10) MicroMessenger/8.0",
}


def setup(folder: Path) -> None:
    if not (folder / "demo.sqlite3").exists():
        prepare_demo(folder)
    os.environ.update(DemoSite(folder).env)
    os.environ["NUTAG_GENERATIONS_FILE"] = str(folder / "generations")
    os.environ["NUTAG_BENCH_BARE"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    setup(args.folder)

    from django.test import Client, override_settings

    from bench.profile_pages import paths

    urls = paths()
    client = Client(**HEADERS)
    for _ in range(3):
        for url in urls.values():
            response = client.get(url)
    for key, url in urls.items():
        response = client.get(url)
        print(f"  {key}: {url} {response.status_code} {response.get('X-Nutag-Cache', '-')}")
    # each page twice: through the whole stack (early path off) and the early path (on)
    cases = {"bare": (urls["bare"], False)}
    for key, url in urls.items():
        if key != "bare":
            cases[f"{key} stack"] = (url, False)
            cases[f"{key} early"] = (url, True)
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.reps):
        for key, (url, early) in cases.items():
            with override_settings(NUTAG_PAGE_CACHE_EARLY=early):
                t0 = time.process_time_ns()
                response = client.get(url)
                samples[key].append((time.process_time_ns() - t0) / 1000)
            assert response.status_code == 200
    bare = statistics.mean(samples["bare"])
    print(f"  CPU per request, mean of {args.reps} (this process: Django's own work)")
    for key, values in samples.items():
        mean = statistics.mean(values)
        print(f"  {key:16} {mean:7.0f} µs   {bare / mean:4.2f} × bare")
    if args.profile:
        for key in ("bare", "village stack", "village early"):
            url, early = cases[key]
            with override_settings(NUTAG_PAGE_CACHE_EARLY=early):
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.reps):
                    client.get(url)
                profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
            print(f"--- {key}, by own time ---")
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
