from typing import Any

from django.core.management.base import BaseCommand

from nutag.core.actors import SYSTEM
from nutag.people.importing import import_previews_expire
from nutag.people.models import IMPORT_PREVIEW_HOURS


class Command(BaseCommand):
    help = (
        f"Delete roster-import previews never confirmed within {IMPORT_PREVIEW_HOURS} hours. "
        "Confirmed imports are never touched. Run it daily (cron or a systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        n = import_previews_expire(acting_user=SYSTEM)
        self.stdout.write(f"Deleted {n} expired import previews.")
