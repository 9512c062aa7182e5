from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from nutag.orgs.selectors import my_units

LARGE_TEXT_COOKIE = "nutag_large"


@login_required
def desk_home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/desk_home.html", {"units": my_units(user=request.user)})


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """The larger-text switch for elders: remembered in a cookie for a year."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if request.POST.get("large") == "1" else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
    )
    return response
