"""``manage.py reindex_search``: rebuild the full-text index of published articles."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from nutag.sites.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of published articles (SQLite FTS5 or PostgreSQL)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = reindex_all()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} published articles in {seconds:.1f} s.")
