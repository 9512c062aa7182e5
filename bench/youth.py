"""bench/youth: the banner's youth figures and opening one record, each against a bare read.

In one fresh database: a banner, 10 townships of 10 villages, N young people with records
(default 20,000), each with a circumstance, a pair and V visits (default 6), and a need;
ten activities a village, every young person signed up to one and checked in.

  (a) ``SELECT COUNT(*) FROM youth_youthrecord`` — the bare read of the figures;
  (b) ``youth_figures(unit=banner)`` — seven queries over the ``unit_path`` ranges;
  (c) a bare ``YouthRecord.objects.get(pk=…)`` — the bare read of an opening;
  (d) ``access_record(user=…, pk=…)`` + ``record_details`` — the opening as the page does
      it, with its audit row written, for a youth officer at the record's village.

Interleaved runs after a warm-up; medians; ratios b/a and d/c. The number of queries of (b)
and (d) is also counted on a small and on the full data set: it must not change.

Usage (from the project root):

    .venv/bin/python bench/youth.py --db sqlite [--young 20000] [--visits 6] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402

NAME = "bench/youth"
INTRO = (
    "The banner's youth figures against one `COUNT(*)` over the records, and opening a "
    "record (with its audit row) against a bare fetch of it, in the same run. The number of "
    "queries of both must not grow with the data. Written by `bench/youth.py`."
)


def build(young: int, visits: int) -> dict[str, object]:
    from nutag.core.actors import SYSTEM
    from nutag.orgs import services as org_services
    from nutag.orgs.models import Access, PositionTitle, UnitKind
    from nutag.people.models import CareWorker, Person, YoungPerson
    from nutag.youth.models import Circumstance, Need, Pairing, Visit, YouthRecord

    banner = org_services.unit_create(
        acting_user=SYSTEM, parent=None, code="150796", kind=UnitKind.BANNER, name="基准旗"
    )
    villages = []
    for t in range(10):
        town = org_services.unit_create(
            acting_user=SYSTEM,
            parent=banner,
            code=f"150796{t + 1:03d}",
            kind=UnitKind.TOWNSHIP,
            name=f"镇{t}",
        )
        for v in range(10):
            villages.append(
                org_services.unit_create(
                    acting_user=SYSTEM,
                    parent=town,
                    code=f"150796{t + 1:03d}{v + 201:03d}",
                    kind=UnitKind.VILLAGE,
                    name=f"村{t}{v}",
                )
            )
    circumstances = list(Circumstance.objects.all())
    elders = Person.objects.bulk_create(
        [
            Person(
                unit=u, unit_path=u.path, name=f"老人{i}", name_pinyin="laoren", name_initials="lr"
            )
            for i, u in enumerate(villages)
        ]
    )
    CareWorker.objects.bulk_create(
        [
            CareWorker(person=p, unit=p.unit, unit_path=p.unit_path, elder_category="teacher")
            for p in elders
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                unit=villages[i % len(villages)],
                unit_path=villages[i % len(villages)].path,
                name=f"少年{i}",
                name_pinyin=f"shaonian{i}",
                name_initials="sn",
                birth_date=dt.date(2012 + i % 6, 1 + i % 12, 1),
            )
            for i in range(young)
        ],
        batch_size=2000,
    )
    youths = YoungPerson.objects.bulk_create(
        [YoungPerson(person=p, unit_id=p.unit_id, unit_path=p.unit_path) for p in people],
        batch_size=2000,
    )
    records = YouthRecord.objects.bulk_create(
        [YouthRecord(young=y, unit_id=y.unit_id, unit_path=y.unit_path) for y in youths],
        batch_size=2000,
    )
    through = YouthRecord.circumstances.through
    through.objects.bulk_create(
        [
            through(youthrecord_id=r.pk, circumstance_id=circumstances[i % len(circumstances)].pk)
            for i, r in enumerate(records)
        ],
        batch_size=2000,
    )
    start = dt.date(2026, 1, 5)
    pairs = Pairing.objects.bulk_create(
        [
            Pairing(record=r, unit_id=r.unit_id, unit_path=r.unit_path, started_on=start)
            for r in records
        ],
        batch_size=2000,
    )
    by_village = {e.unit_id: e for e in elders}
    Pairing.elders.through.objects.bulk_create(
        [
            Pairing.elders.through(pairing_id=p.pk, person_id=by_village[p.unit_id].pk)
            for p in pairs
        ],
        batch_size=2000,
    )
    Visit.objects.bulk_create(
        [
            Visit(
                pairing=p,
                unit_id=p.unit_id,
                unit_path=p.unit_path,
                visited_on=start + dt.timedelta(days=30 * k + i % 28),
                kind="home",
                mood="开朗",
            )
            for i, p in enumerate(pairs)
            for k in range(visits)
        ],
        batch_size=5000,
    )
    Need.objects.bulk_create(
        [
            Need(
                record=r,
                unit_id=r.unit_id,
                unit_path=r.unit_path,
                need="冬衣",
                resolved_on=start if i % 2 else None,
            )
            for i, r in enumerate(records)
        ],
        batch_size=2000,
    )
    # Activities: ten a village this year, every young person of the village signed up to
    # one of them and checked in.
    from nutag.youth.models import Activity, SignUp

    activities = Activity.objects.bulk_create(
        [
            Activity(
                unit=u,
                unit_path=u.path,
                kind="camp",
                title=f"活动{k}",
                held_on=start + dt.timedelta(days=10 * k),
                place="活动室",
                capacity=1000,
            )
            for u in villages
            for k in range(10)
        ],
        batch_size=2000,
    )
    by_unit: dict[int, list[Activity]] = {}
    for a in activities:
        by_unit.setdefault(a.unit_id, []).append(a)
    checked = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
    SignUp.objects.bulk_create(
        [
            SignUp(
                activity=by_unit[y.unit_id][i % 10],
                young=y,
                unit_path=y.unit_path,
                checked_in_at=checked,
            )
            for i, y in enumerate(youths)
        ],
        batch_size=5000,
    )
    village = villages[0]
    from nutag.factories import person_with_position

    officer = person_with_position(
        unit=village,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="bench-youth",
        name="青年专干",
    ).user
    record = YouthRecord.objects.filter(unit=village).first()
    return {"banner": banner, "officer": officer, "record": record}


def queries(fn) -> int:  # type: ignore[no-untyped-def]
    return len(captured(fn))


def captured(fn) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return list(ctx.captured_queries)


def run(young: int, visits: int, reps: int) -> list[str]:
    from nutag.youth.models import YouthRecord
    from nutag.youth.selectors import access_record, record_details, youth_figures

    data = build(young, visits)
    banner, officer, record = data["banner"], data["officer"], data["record"]
    pk = record.pk  # type: ignore[attr-defined]

    def bare_count() -> None:
        YouthRecord.objects.count()

    def figures() -> None:
        youth_figures(unit=banner)  # type: ignore[arg-type]

    def bare_get() -> None:
        YouthRecord.objects.get(pk=pk)

    def opening() -> None:
        r = access_record(user=officer, pk=pk)  # type: ignore[arg-type]
        record_details(record=r)
        list(r.young.person.name)

    n_figures, n_open = queries(figures), queries(opening)
    samples = common.interleaved(
        {"count": bare_count, "figures": figures, "get": bare_get, "open": opening}, reps, 2
    )
    med = {k: statistics.median(v) for k, v in samples.items()}
    lines = [
        f"- data: 101 units, {young:,} young people with records, {young * visits:,} visits, "
        f"{young:,} pairs and needs",
        f"- (a) `SELECT COUNT(*) FROM youth_youthrecord`: **{med['count']:.1f} ms**",
        f"- (b) `youth_figures(unit=banner)`: **{med['figures']:.1f} ms**, {n_figures} queries",
        f"- **ratio b/a = {med['figures'] / med['count']:.2f}**",
        f"- (c) bare `YouthRecord.objects.get(pk=…)`: **{med['get']:.2f} ms**",
        f"- (d) `access_record` + `record_details` (audit row written): **{med['open']:.2f} ms**, "
        f"{n_open} queries",
        f"- **ratio d/c = {med['open'] / med['get']:.2f}**",
        f"- medians of {reps} interleaved runs (a, b, c, d, a…) after 2 warm-up rounds",
    ]
    figures()  # warm
    slowest = sorted(captured(figures), key=lambda q: -float(q["time"]))
    lines.append("- the figures' queries, slowest first (ms, one run):")
    lines += [f"  - {1000 * float(q['time']):.1f}: `{q['sql'][:110]}…`" for q in slowest]
    for line in lines:
        print(line.replace("**", ""))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--young", type=int, default=20000)
    parser.add_argument("--visits", type=int, default=6)
    parser.add_argument("--reps", type=int, default=11)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    with common.fresh_database(args.db) as vendor:
        common.migrate()
        lines = run(args.young, args.visits, args.reps)
        if args.write:
            command = f"bench/youth.py --db {args.db} --young {args.young} --visits {args.visits}"
            body = common.run_block(
                title=common.vendor_title(vendor),
                command=command,
                lines=lines,
                plans_title="",
                plans=[],
            )
            body = body[: body.index("```")]
            while body and not body[-1]:
                body.pop()
            common.write_block(NAME, vendor, body, intro=INTRO)


if __name__ == "__main__":
    main()
