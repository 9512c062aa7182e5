from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from nutag.orgs.registry import tally_rebuilds


class Command(BaseCommand):
    help = (
        "Recount the per-unit tallies from their records: the care-work tallies (care "
        "workers) and every tally other apps register (e.g. the five-good tallies)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for name, rebuild in tally_rebuilds().items():
                n = rebuild()
                self.stdout.write(f"{name}: recounted {n} units.")
