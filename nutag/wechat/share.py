"""Share cards: the JS-SDK configuration for a page of a unit's site, so that a link shared in
the chat app shows the unit's title, a summary and its picture.

``GET /wechat/<code>/share/?url=<the page, without #…>`` answers JSON: ``appId``,
``timestamp``, ``nonceStr``, ``signature`` (the JS-SDK signature, computed with wechatpy
over the account's JS-SDK ticket, which ``platform`` keeps cached and refreshes early) and the
card: ``title``, ``desc``, ``link``, ``imgUrl``. ``static/wechat/share.js`` calls it and
``wx.config`` inside the chat app only. A page of another host, a unit without an account,
or an account without an app secret: 404; the platform unreachable: 503.
"""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wechatpy.client.api.jsapi import WeChatJSAPI

from nutag.core.errors import NotFound
from nutag.sites.selectors import site_picture
from nutag.wechat.oauth import public_account
from nutag.wechat.platform import PlatformError
from nutag.wechat.services import platform_for


def jsapi_signature(*, ticket: str, nonce: str, timestamp: int, url: str) -> str:
    return str(WeChatJSAPI.get_jsapi_signature(None, nonce, ticket, timestamp, url))


@require_GET
def share_config(request: HttpRequest, code: str) -> JsonResponse:
    account = public_account(code=code)
    url = request.GET.get("url", "").split("#")[0]
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        raise NotFound
    if not url.startswith(("http://", "https://")):
        raise NotFound
    try:
        ticket = platform_for(account).jsapi_ticket()
    except ValidationError as exc:  # no app secret: no JS-SDK for this account
        raise NotFound from exc
    except PlatformError:
        return JsonResponse({"detail": _("The chat app did not answer: try again.")}, status=503)
    nonce, timestamp = get_random_string(16), int(time.time())
    picture = site_picture(unit=account.unit)
    return JsonResponse(
        {
            "appId": account.app_id,
            "timestamp": timestamp,
            "nonceStr": nonce,
            "signature": jsapi_signature(ticket=ticket, nonce=nonce, timestamp=timestamp, url=url),
            "title": account.unit.name,
            "desc": account.welcome or _("The site of %(unit)s") % {"unit": account.unit.name},
            "link": url,
            "imgUrl": request.build_absolute_uri(picture.cover.url) if picture else "",
        }
    )
