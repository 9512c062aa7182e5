"""``manage.py load_demo``: the demo banner 陈巴尔虎旗 with synthetic people and demo logins.

Idempotent (a second run changes nothing) and refused on a production database.
The demo logins share one password, from ``NUTAG_DEMO_PASSWORD`` (default
``nutag-demo-2026``); see ``nutag/demo/`` for what is built.
The summary it prints is counted in the database, not taken from the plan.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nutag.demo.build import DemoRefusedError, build_demo
from nutag.demo.data import PASSWORD_ENV
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import CareWorker, Person
from nutag.stats.selectors import five_good


class Command(BaseCommand):
    help = (
        "Load the demo banner 陈巴尔虎旗 (126 units, synthetic people) and its demo logins. "
        f"Safe to run twice. The password comes from {PASSWORD_ENV}. Refused in production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = build_demo()
        except DemoRefusedError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        banner = result.banner
        units = Unit.objects.filter(subtree_q(banner.path)).count()
        people = Person.objects.filter(subtree_q(banner.path, "unit_path")).count()
        care = CareWorker.objects.filter(subtree_q(banner.path, "unit_path"))
        care_workers = care.count()
        five_elders = care.exclude(elder_category="").count()
        if result.units_created or result.people_created or result.users_created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo banner {banner.name} ({banner.code}) loaded in {elapsed:.1f} s: "
                    f"{result.units_created} units, {result.people_created} people and "
                    f"{result.users_created} logins added."
                )
            )
        elif result.passwords_changed:
            self.stdout.write(
                f"Demo banner {banner.name} ({banner.code}) was already complete; the demo "
                f"password changed, so {result.passwords_changed} logins got the new one."
            )
        else:
            self.stdout.write(
                f"Demo banner {banner.name} ({banner.code}) was already complete: nothing changed."
            )
        self.stdout.write(
            f"{units} units, {people} people; {care_workers} in care work, "
            f"{five_elders} of them five elders."
        )
        fg = five_good(unit=banner)
        self.stdout.write(
            f"Five-good committees ({fg.year}): {fg.count} of {fg.base} grassroots "
            f"committees ({fg.rate:.1%})."
        )
        self.stdout.write("")
        self.stdout.write("Demo logins (all with the same password):")
        width = max(len(login.username) for login in result.logins)
        for login in result.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role} — {login.unit}")
        self.stdout.write(f"Password: {result.password}")
