"""The service worker that keeps unit homes and recently read pages for offline reading.

Served at ``/sw.js`` (not under ``/static/``) so that its scope can be the whole site.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "sites" / "sw.js"


@functools.cache
def _cached_source() -> bytes:
    return SERVICE_WORKER.read_bytes()


def service_worker_source() -> bytes:
    """The worker's code; re-read on every request while DEBUG is on."""
    return SERVICE_WORKER.read_bytes() if settings.DEBUG else _cached_source()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(service_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at most daily anyway; never keep a stale one longer.
    response["Cache-Control"] = "no-cache"
    return response
