"""Login by the account's web authorisation (网页授权, ``snsapi_base``): the site opened in
the chat app learns the visitor's OpenID for the account and logs in the login bound to it.

``/wechat/<code>/login/?next=…`` sends the visitor to the platform's authorisation page with
a one-time ``state`` kept in the session; the platform sends them back to
``/wechat/<code>/login/back/?code=…&state=…``, where the code is exchanged server-to-server
(with the app secret) for the OpenID. Bound: logged in, sent on to ``next``. Not bound: the
OpenID waits in the session and the visitor is asked to log in once with their password (an
invitation or an approved request to join gave them one) and to confirm the binding at
``/wechat/<code>/bind/``. A wrong or reused ``state`` or code is refused (400).
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from wechatpy.oauth import WeChatOAuth

from nutag.core.errors import NotFound
from nutag.core.forms import run_action
from nutag.wechat.bindings import binding_create, can_bind, user_for_openid
from nutag.wechat.models import WechatAccount
from nutag.wechat.platform import PlatformError
from nutag.wechat.services import platform_for

STATE_KEY = "wechat_oauth_state"
OPENID_KEY = "wechat_openid"  # {account id: openid} waiting to be bound
NEXT_KEY = "wechat_next"


def public_account(*, code: str) -> WechatAccount:
    account = WechatAccount.objects.select_related("unit").filter(unit__code=code).first()
    if account is None or not account.app_id:
        raise NotFound
    return account


def _safe_next(request: HttpRequest, target: str, code: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("site-home", kwargs={"code": code})


def oauth_start(request: HttpRequest, code: str) -> HttpResponse:
    account = public_account(code=code)
    state = secrets.token_urlsafe(16)
    request.session[STATE_KEY] = state
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""), code)
    back = request.build_absolute_uri(reverse("wechat-oauth-back", kwargs={"code": code}))
    oauth = WeChatOAuth(account.app_id, "", back, scope="snsapi_base", state=state)
    return redirect(oauth.authorize_url)


def oauth_back(request: HttpRequest, code: str) -> HttpResponse:
    account = public_account(code=code)
    state = request.session.pop(STATE_KEY, None)
    if not state or not secrets.compare_digest(state, request.GET.get("state", "")):
        return HttpResponseBadRequest(_("This link has expired: open the page again."))
    try:
        openid = platform_for(account).oauth_openid(code=request.GET.get("code", ""))
    except (PlatformError, ValidationError):  # a bad or reused code, no secret, no network
        return HttpResponseBadRequest(_("The chat app did not confirm who you are: try again."))
    target = request.session.pop(NEXT_KEY, "") or reverse("site-home", kwargs={"code": code})
    user = user_for_openid(account_id=account.pk, openid=openid)
    if user is not None:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(target)
    waiting = dict(request.session.get(OPENID_KEY, {}))
    waiting[str(account.pk)] = openid
    request.session[OPENID_KEY] = waiting
    bind = reverse("wechat-bind", kwargs={"code": code})
    if request.user.is_authenticated:
        return redirect(bind)
    return redirect(f"{reverse('login')}?{urlencode({'next': bind})}")


@login_required
def bind_page(request: HttpRequest, code: str) -> HttpResponse:
    account = public_account(code=code)
    openid = request.session.get(OPENID_KEY, {}).get(str(account.pk), "")
    allowed = can_bind(request.user, account)
    if (
        request.method == "POST"
        and openid
        and allowed
        and run_action(
            request,
            lambda: binding_create(acting_user=request.user, account=account, openid=openid),
            _("Bound: the official account logs you in from now on."),
        )
    ):
        waiting = dict(request.session.get(OPENID_KEY, {}))
        waiting.pop(str(account.pk), None)
        request.session[OPENID_KEY] = waiting
        return redirect("site-home", code=code)
    return render(
        request,
        "wechat/bind.html",
        {"account": account, "unit": account.unit, "openid": bool(openid), "allowed": allowed},
    )


@login_required
def my_bindings_page(request: HttpRequest) -> HttpResponse:
    from nutag.wechat.bindings import bindings_of

    return render(
        request, "wechat/my_bindings.html", {"bindings": list(bindings_of(user=request.user))}
    )


@login_required
def unbind_page(request: HttpRequest, pk: int) -> HttpResponse:
    from nutag.wechat.bindings import binding_delete

    if request.method == "POST":
        run_action(
            request,
            lambda: binding_delete(acting_user=request.user, pk=pk),
            _("Unbound: the official account no longer logs you in."),
        )
    else:
        messages.info(request, _("Use the button to unbind."))
    return redirect("wechat-my-bindings")
