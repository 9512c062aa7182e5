"""Delete one young person's record with its pairs, visits and needs, at a guardian's
request (docs/privacy.md). Acts as the system; the audit log keeps that it was deleted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nutag.core.actors import SYSTEM
from nutag.youth.models import YouthRecord
from nutag.youth.services import record_delete


class Command(BaseCommand):
    help = "Delete a young person's record (its pairs, visits and needs) at a guardian's request."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("record_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        record = YouthRecord.objects.filter(pk=options["record_id"]).first()
        if record is None:
            raise CommandError(f"No youth record {options['record_id']}.")
        record_delete(acting_user=SYSTEM, record=record)
        self.stdout.write(f"Deleted youth record {options['record_id']}.")
