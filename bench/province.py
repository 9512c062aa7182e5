"""bench/province: what each level of a generated province costs (issue 20, item 4).

Run against a database that ``manage.py generate_province`` filled (it does not build one:
at province scale that takes far longer than a measurement), e.g.:

    DATABASE_URL=postgres://nutag@127.0.0.1:55490/nutag_1m \\
        .venv/bin/python bench/province.py --write

For the root (the province), its largest league and that league's largest banner, and a
township, it times through Django's test client (in process, no HTTP server):

- ``dash``: the dashboard page ``/u/<code>/figures/`` (anonymous, public figures);
- ``stats``: ``GET /api/v1/units/<code>/stats`` (anonymous);
- ``list``: the first page of the people list ``/desk/u/<code>/people/`` (a platform admin);
- ``search``: that list searched by a common name (``?q=王``) and by pinyin initials;
- with the year of activity (``generate_province`` writes it; ``--activity-only`` adds it):
  ``site home`` (the public ``/u/<code>/``), ``site search`` (``/u/<code>/search/?q=草原``,
  the articles of the subtree), ``concerns`` (the officers' list) and ``meetings`` (the
  branches' 三会一课 list in the workbench);

each **cold** (the whole cache cleared before each request: what the first visitor after a
change pays) and **warm** (the same request again), the median of ``--reps``, next to
``SELECT COUNT(*)`` of the person table in the same run. The figures are written to the
"bench/province" section of bench/RESULTS.md with ``--write``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402


def _ms(fn: Callable[[], object], reps: int, *, cold: bool) -> float:
    from django.core.cache import cache

    samples = []
    for _ in range(reps):
        if cold:
            cache.clear()
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def levels(root_code: str) -> list[tuple[str, object]]:
    """The root, its largest child (a league), that one's largest child (a banner), and the
    banner's largest township."""
    from django.db.models import Count

    from nutag.orgs.models import Unit
    from nutag.people.models import Person

    out = []
    unit = Unit.objects.get(code=root_code)
    for label in ("province", "league", "banner", "township"):
        out.append((label, unit))
        children = list(Unit.objects.filter(depth=unit.depth + 1, path__startswith=unit.path))
        if not children:
            break
        sizes = dict(
            Person.objects.filter(unit_path__startswith=unit.path)
            .extra(select={"head": f"substr(unit_path, 1, {len(unit.path) + 4})"})  # noqa: S610
            .values_list("head")
            .annotate(n=Count("id"))
            .order_by()
        )
        unit = max(children, key=lambda c: sizes.get(c.path, 0))
    return out


def _activity() -> str:
    from nutag.sites.models import Article
    from nutag.study.models import LessonProgress, Meeting
    from nutag.voice.models import Concern

    return ", ".join(
        f"{model.objects.count():,} {label}"
        for model, label in (
            (Article, "articles"),
            (Concern, "concerns"),
            (LessonProgress, "lesson progress rows"),
            (Meeting, "meetings"),
        )
    )


def measure(
    root_code: str, reps: int, only: frozenset[str] = frozenset()
) -> tuple[list[str], dict[str, int]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from nutag.people.models import Person

    anonymous = Client()
    admin = Client()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-province-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    admin.force_login(user)
    count_ms = _ms(common.count_people, reps, cold=False)
    lines = [
        f"- `SELECT COUNT(*) FROM people_person` ({common.count_people():,} rows): "
        f"**{count_ms:.0f} ms**",
        f"- activity in the database: {_activity()}",
        "",
        "| level | people below | request | cold ms | warm ms | cold / COUNT(*) |",
        "|---|---:|---|---:|---:|---:|",
    ]
    sizes = {}
    for label, unit in levels(root_code):
        below = Person.objects.filter(unit_path__startswith=unit.path).count()
        sizes[label] = below
        requests = {
            "dashboard": (anonymous, f"/u/{unit.code}/figures/"),
            "stats API": (anonymous, f"/api/v1/units/{unit.code}/stats"),
            "people list": (admin, f"/desk/u/{unit.code}/people/"),
            "search 王": (admin, f"/desk/u/{unit.code}/people/?q=%E7%8E%8B"),
            "search wl": (admin, f"/desk/u/{unit.code}/people/?q=wl"),
            "site home": (anonymous, f"/u/{unit.code}/"),
            "site search": (anonymous, f"/u/{unit.code}/search/?q=%E8%8D%89%E5%8E%9F"),
            "concerns": (admin, f"/u/{unit.code}/concerns/"),
            "meetings": (admin, f"/desk/u/{unit.code}/study/meetings/"),
        }
        for name, (client, url) in requests.items():
            if only and name not in only:
                continue
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            cold = _ms(lambda c=client, u=url: c.get(u), reps, cold=True)
            warm = _ms(lambda c=client, u=url: c.get(u), reps, cold=False)
            lines.append(
                f"| {label} `{unit.code}` | {below:,} | {name} | {cold:.0f} | {warm:.0f} | "
                f"{cold / count_ms:.2f} |"
            )
            print(lines[-1], flush=True)
    return lines, sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default="990000", help="the generated root's code")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--only", default="", help='comma-separated requests, e.g. "dashboard,stats API"'
    )
    args = parser.parse_args(argv)
    common.setup_django()
    from django.conf import settings
    from django.test.utils import override_settings

    # Pages name their static files; with DEBUG off and no collectstatic, a plain storage.
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}},
        NUTAG_OTP_REQUIRED=False,  # the admin client has no second factor
    ).enable()
    started = time.perf_counter()
    only = frozenset(n.strip() for n in args.only.split(",") if n.strip())
    lines, _sizes = measure(args.root, args.reps, only)
    body = [
        "## bench/province",
        "",
        f"Run {common.today()} with `bench/province.py` on a database filled by "
        "`manage.py generate_province --scale province` (see docs/scaling.md).",
        f"Machine: {common.machine_description()}.",
        f"Database: {common.database_description()}.",
        f"Medians of {args.reps}; cold = the whole cache cleared before each request. "
        f"Measured in {time.perf_counter() - started:.0f} s.",
        "",
        *lines,
    ]
    print("\n".join(body))
    if args.write:
        common.write_section("bench/province", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
