"""Display preferences every page shares: the interface language and the larger text."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from nutag.core.errors import NotFound

LARGE_TEXT_COOKIE = "nutag_large"
PREFERENCE_AGE = 365 * 24 * 3600


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return target


@require_http_methods(["GET", "POST"])
def text_size(request: HttpRequest) -> HttpResponse:
    """The larger-text switch for elders: remembered in a cookie for a year.

    A plain link (GET) as well as a form: a display preference held only in the visitor's
    own cookie needs no CSRF token, which keeps public pages free of per-visitor tokens
    (so they can be served from the cache as they are)."""
    data = request.POST if request.method == "POST" else request.GET
    response = HttpResponseRedirect(_back(request))
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if data.get("large") == "1" else "0",
        max_age=PREFERENCE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the interface language by a link; remembered in the language cookie."""
    if code not in dict(settings.LANGUAGES):
        raise NotFound
    response = HttpResponseRedirect(_back(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response
