from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from nutag.people.tallies import care_tally_rebuild


class Command(BaseCommand):
    help = "Recount the per-unit care-work tallies from the care-worker records."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            n = care_tally_rebuild()
        self.stdout.write(f"Recounted {n} units.")
