"""bench/notify: fan-out throughput of one worker against a plain loop of the same sends.

In one fresh database, with a fake Aliyun SMS server on 127.0.0.1 (the tests' fake:
signature checked, each message recorded), for N people with a phone (default 5,000):

  (a) the plain loop: ``AliyunSms().send(...)`` for each person, nothing written anywhere
      (what a script without any bookkeeping would do);
  (b) Nutag: ``notice_send(emergency=True)`` to the whole unit — writing N notifications and
      N deliveries, then one worker (this process, ``NUTAG_TASK_MODE=inline``) claiming them
      twenty at a time under a lease, sending each once and recording its state.

Two rounds, interleaved (a, b, a, b), each with its own notice; reported as messages per
second and the ratio b/a (the bookkeeping's price for "never twice, never lost"). Every
message must reach the fake server exactly once.

Usage (from the project root):

    .venv/bin/python bench/notify.py --db sqlite [--people 5000] [--write]
    DATABASE_URL=postgres://nutag:nutag@127.0.0.1:5432/nutag_bench \\
        .venv/bin/python bench/notify.py --db postgres --write
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402

NAME = "bench/notify"
INTRO = (
    "Fan-out of one emergency notice to N people by SMS, through a fake Aliyun SMS server on "
    "127.0.0.1: one Nutag worker (notifications and deliveries written, leased claims, each "
    "send recorded) against a plain loop of the same HTTP sends in the same run. "
    "Written by `bench/notify.py`."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    os.environ["NUTAG_TASK_MODE"] = "inline"
    with common.fresh_database(args.db) as vendor:
        common.migrate()
        lines = run(args.people, args.rounds)
        if args.write:
            command = f"bench/notify.py --db {args.db} --people {args.people}"
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


def run(people: int, rounds: int) -> list[str]:
    from django.conf import settings

    from nutag.core.actors import SYSTEM
    from nutag.notify import services
    from nutag.notify.channels import Message
    from nutag.notify.channels.sms import AliyunSms
    from nutag.notify.models import Delivery, DeliveryState
    from nutag.notify.tests.fake_aliyun import FakeAliyun, configure
    from nutag.orgs import services as org_services
    from nutag.orgs.models import UnitKind
    from nutag.people.models import Person

    fake = FakeAliyun()
    configure(settings, fake, timeout=10)
    settings.NUTAG_TASK_MODE = "inline"
    banner = org_services.unit_create(
        acting_user=None, parent=None, code="150797", kind=UnitKind.BANNER, name="基准旗"
    )
    Person.objects.bulk_create(
        [
            Person(
                unit=banner,
                unit_path=banner.path,
                name=f"牧民{i}",
                name_pinyin=f"mumin{i}",
                name_initials="mm",
                phone=f"139{i:08d}",
            )
            for i in range(people)
        ],
        batch_size=1000,
    )
    phones = list(Person.objects.values_list("phone", flat=True))
    plain: list[float] = []
    ours: list[float] = []
    for r in range(rounds):
        sender = AliyunSms()
        t0 = time.perf_counter()
        for i, phone in enumerate(phones):
            sender.send(Message(key=f"plain-{r}-{i}", text="暴雪预警：请转移牲畜", phone=phone))
        plain.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        services.notice_send(
            acting_user=SYSTEM, unit=banner, text=f"暴雪预警：请转移牲畜（{r}）", emergency=True
        )
        ours.append(time.perf_counter() - t0)
        print(f"  round {r + 1}: plain loop {plain[-1]:.1f} s, Nutag worker {ours[-1]:.1f} s")
    fake.stop()
    sent = Delivery.objects.filter(state=DeliveryState.SENT).count()
    assert sent == people * rounds, f"{sent} of {people * rounds} sent"
    assert set(fake.received.values()) == {1}, "a message was sent twice"
    assert len(fake.received) == 2 * people * rounds
    rate_plain = people / statistics.median(plain)
    rate_ours = people / statistics.median(ours)
    lines = [
        f"People: {people:,}, each with a phone; {rounds} interleaved rounds (medians below).",
        "",
        "| | messages/s | seconds for all |",
        "|---|---|---|",
        f"| plain loop of sends | **{rate_plain:,.0f}** | {statistics.median(plain):.1f} |",
        f"| one Nutag worker (notify + deliver) | **{rate_ours:,.0f}** | "
        f"{statistics.median(ours):.1f} |",
        "",
        f"- **ratio worker/plain = {rate_ours / rate_plain:.2f}**; every message reached the "
        "fake server exactly once",
        "- the worker's time includes writing the notifications and deliveries; workers scale "
        "out (each claims its own leases)",
    ]
    for line in lines:
        print(line.replace("**", ""))
    return lines


if __name__ == "__main__":
    main()
