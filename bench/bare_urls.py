"""``config.urls`` plus a bare Django view, for ``bench/pages`` (selected by
``bench.settings_bench`` when ``NUTAG_BENCH_BARE=1``).

The bare view is the baseline: a request that goes through the same server, the same
processes and the same middleware as a village's home page, and does nothing else.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BARE_PATH = "/bench/bare/"
BARE_USER_PATH = "/bench/bare-user/"


def bare(request: HttpRequest) -> HttpResponse:
    """A short string, nothing more."""
    return HttpResponse("Hello, Nutag.", content_type="text/plain; charset=utf-8")


def bare_user(request: HttpRequest) -> HttpResponse:
    """The bare view once it knows who asks (a logged-in reader's session and login read, as
    every page that shows something per reader does): the baseline of logged-in pages."""
    who = "you" if request.user.is_authenticated else "Nutag"
    return HttpResponse(f"Hello, {who}.", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare, name="bench-bare"),
    path(BARE_USER_PATH.strip("/") + "/", bare_user, name="bench-bare-user"),
    path("", include("config.urls")),
]
