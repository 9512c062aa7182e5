"""bench/shared_folder: what storing a page in the shared tier costs (issue 17, session 9).

In the embedded default every rendered page (and every recipe and lock of the background
re-render) is written to the folder every worker shares (``nutag.sites.pagecache``). Django's
``FileBasedCache`` lists the whole folder before each write, to see whether it must cull;
``SharedFolderCache`` counts the files once every ``MAX_ENTRIES // 20`` writes of a process.

For folders holding 300 and 3,000 pages (the default bound), the median time of one write of
a 12 KB page entry (and the mean, which includes the counting every so many writes),
interleaved, with:

- the baseline: the same entry written to a new file and renamed into place (what any store
  of a page in a folder must do, and what both caches do besides counting);
- Django's ``FileBasedCache``;
- ``SharedFolderCache``.

Ratios are to the baseline of the same run. Nothing is written to RESULTS.md.

Usage (from the project root): ``.venv/bin/python bench/shared_folder.py [--reps 400]``
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))


def _time_writes(
    made: dict[str, Any], plain: Path, entry: dict[str, Any], reps: int
) -> dict[str, list[float]]:
    """Interleaved writes of ``entry``: the baseline, then each cache in ``made``."""
    plain.mkdir()

    def baseline() -> None:
        fd, tmp = tempfile.mkstemp(dir=plain)
        with open(fd, "wb") as f:
            f.write(pickle.dumps(time.time() + 300))
            f.write(zlib.compress(pickle.dumps(entry)))
        os.replace(tmp, plain / "page.djcache")

    fns = {
        "baseline (write, rename)": baseline,
        "Django FileBasedCache": lambda: made["django"].set("pc:x", entry, timeout=300),
        "SharedFolderCache": lambda: made["counted"].set("pc:x", entry, timeout=300),
    }
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(20):
        for fn in fns.values():
            fn()
    for _ in range(reps):
        for key, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            samples[key].append((time.perf_counter() - t0) * 1000)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=400)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.cache.backends.filebased import FileBasedCache

    from nutag.sites.pagecache import (
        CULL_CHECK_SHARE,
        DEFAULT_SHARED_ENTRIES,
        SharedFolderCache,
    )

    entry = {"v": 2, "fresh": time.time() + 300, "content": os.urandom(6000).hex().encode()}
    size = len(pickle.dumps(entry)) // 1024
    print(f"one write of a {size} KB page entry, median of {args.reps}")
    for fill in (300, DEFAULT_SHARED_ENTRIES):
        with tempfile.TemporaryDirectory() as top:
            made = {}
            for name, cls in (("django", FileBasedCache), ("counted", SharedFolderCache)):
                folder = Path(top) / name
                # a bound above the fill, so that no write culls: the cost measured is the count
                cache = cls(str(folder), {"OPTIONS": {"MAX_ENTRIES": fill * 10}})
                for i in range(fill):
                    cache.set(f"pc:fill:{i}", entry, timeout=3600)
                if isinstance(cache, SharedFolderCache):  # counted as with the default bound
                    cache.check_every = DEFAULT_SHARED_ENTRIES // CULL_CHECK_SHARE
                made[name] = cache
            samples = _time_writes(made, Path(top) / "plain", entry, args.reps)
            base = statistics.median(samples["baseline (write, rename)"])
            print(f"  folder of {fill:,} pages:")
            for key, values in samples.items():
                ms = statistics.median(values)
                mean = statistics.fmean(values)  # with the counting every so many writes
                print(
                    f"    {key:26} median {ms:6.3f} ms  {ms / base:5.2f} x the baseline"
                    f"  (mean {mean:6.3f} ms)"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
