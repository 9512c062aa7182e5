"""Read counts: once per visitor per day, without a database write blocking a page view.

Placeholder interface (to be implemented).
"""

from __future__ import annotations

from django.http import HttpRequest

from nutag.orgs.models import Unit
from nutag.sites.models import Article


def count_read(request: HttpRequest, *, unit: Unit, article: Article | None = None) -> None:
    """Record that this visitor read ``unit``'s site (and ``article``) today."""
    return None
