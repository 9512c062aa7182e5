from typing import Any

from django.core.management.base import BaseCommand

from nutag.sites import counting


class Command(BaseCommand):
    help = (
        "Move pending read counts from the cache to the database (one transaction). "
        "Run it from cron at scale (Redis); the web processes also flush on their own."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        store = counting.get_store()
        result = counting.flush_reads()
        self.stdout.write(
            f"Flushed {result.reads} reads of {result.articles} articles and "
            f"{result.visits} visits of {result.sites} sites."
        )
        if not store.shared:
            self.stdout.write(
                "The cache is this process's memory (no REDIS_URL): each web process "
                "flushes its own counts; this command only sees its own (none)."
            )
