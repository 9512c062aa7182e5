"""bench/market: 100 buyers at once for 10 items in stock (issue 19, "Speed").

On a fresh database (``--db sqlite``: a temporary file; ``--db postgres``: the database named
in ``DATABASE_URL``, whose name must contain "bench", dropped and re-created), migrated, with a
banner, a village, a seller and 100 buyers with logins, one product with 10 in stock. Then
100 order requests of one item each are sent at once through ``market.services
.order_request`` from ``--threads`` threads (each its own database connection), released
together by a barrier, and the seller confirms every order that was taken.

It checks: exactly 10 orders taken and confirmed, 90 refused with the "sold out" message,
the stock at 0, never below; and reports the wall time of the 100 requests and their
latency (median, worst). On SQLite writers queue for the lock (one at a time), on PostgreSQL
the product row is locked (``select_for_update``) and the conditional ``UPDATE`` decides.

Usage (from the project root):

    .venv/bin/python bench/market.py                      # SQLite, writes bench/RESULTS.md
    DATABASE_URL=postgres://u:p@127.0.0.1:5432/nutag_bench .venv/bin/python bench/market.py \\
        --db postgres

Exit status: 0 when exactly the stock was sold, 1 otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench._common import (  # noqa: E402
    database_description,
    fresh_database,
    machine_description,
    migrate,
    today,
    vendor_title,
    write_section,
)


def run(*, buyers: int, stock: int, threads: int) -> tuple[bool, list[str]]:
    from django.contrib.auth.models import User
    from django.core.exceptions import ValidationError
    from django.db import connections

    from nutag.core.actors import SYSTEM
    from nutag.market import services
    from nutag.market.models import Order, OrderState, Product
    from nutag.orgs.models import UnitKind
    from nutag.orgs.services import unit_create
    from nutag.people.models import Person

    banner = unit_create(
        acting_user=SYSTEM, parent=None, code="150725", kind=UnitKind.BANNER, name="陈巴尔虎旗"
    )
    village = unit_create(
        acting_user=SYSTEM, parent=banner, code="150725100201", kind=UnitKind.VILLAGE, name="嘎查"
    )
    seller = User.objects.create(username="seller")
    Person.objects.create(unit=village, unit_path=village.path, name="卖家", user=seller)
    item = services.product_create(
        acting_user=seller,
        unit=village,
        title="手把肉",
        category="meat",
        price="45",
        sale_unit="jin",
        stock=stock,
    )
    users = User.objects.bulk_create([User(username=f"buyer{i}") for i in range(buyers)])
    taken: list[int] = []
    refused: list[str] = []
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)

    def work(mine: list[User]) -> None:
        try:
            start.wait(timeout=60)
            for user in mine:
                t0 = time.perf_counter()
                try:
                    done = services.order_request(acting_user=user, product=item, quantity=1)
                except ValidationError as exc:
                    with lock:
                        refused.append(exc.message_dict["quantity"][0])
                else:
                    with lock:
                        taken.append(done.order.pk)
                with lock:
                    latencies.append(time.perf_counter() - t0)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    share = [users[i::threads] for i in range(threads)]
    pool = [threading.Thread(target=work, args=(mine,)) for mine in share]
    for t in pool:
        t.start()
    start.wait(timeout=60)
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    for order in Order.objects.filter(product=item):
        services.order_move(acting_user=SYSTEM, order=order, to=OrderState.CONFIRMED)
    confirmed = Order.objects.filter(product=item, state=OrderState.CONFIRMED).count()
    left = Product.objects.get(pk=item.pk).stock
    ok = not errors and len(taken) == stock and confirmed == stock and left == 0
    ok = ok and len(refused) == buyers - stock
    lines = [
        f"- {buyers} order requests of one item, at once from {threads} threads (own "
        f"connections), for {stock} in stock: **{len(taken)} taken, {confirmed} confirmed, "
        f"{len(refused)} refused** (“{refused[0] if refused else ''}”), stock left {left}; "
        f"errors: {len(errors)} — {'exactly the stock sold, none oversold' if ok else 'FAILED'}",
        f"- wall time of the {buyers} requests {wall * 1000:.0f} ms "
        f"({buyers / wall:,.0f} requests/s); latency median "
        f"{statistics.median(latencies) * 1000:.1f} ms, worst {max(latencies) * 1000:.1f} ms",
    ]
    return ok, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--buyers", type=int, default=100)
    parser.add_argument("--stock", type=int, default=10)
    parser.add_argument("--threads", type=int, default=25)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with fresh_database(args.db) as vendor:
        migrate()
        ok, lines = run(buyers=args.buyers, stock=args.stock, threads=args.threads)
        body = [
            f"### {vendor_title(vendor)}",
            "",
            f"Run {today()} with `bench/market.py --db {args.db}`.",
            f"Machine: {machine_description()}. Database: {database_description()}.",
            "",
            *lines,
        ]
    print("\n".join(body))
    if not args.no_write:
        write_section(f"bench/market-{args.db}", ["## bench/market", "", *body])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
