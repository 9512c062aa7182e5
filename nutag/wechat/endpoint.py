"""The message endpoint ``/wechat/<unit code>/``: what the chat platform's servers call.

GET is the platform's check of the URL (signature, then echo). POST carries one message or
event, in plain text or safe mode (AES, ``encrypt_type=aes``). The path is kept light, since
the platform waits five seconds at most: the account's settings come from the cache (one
query when cold), a repeated delivery (same ``MsgId``) is answered once through the cache,
and a reply is built from the keyword map and URLs alone — no other database work.

Refused: a bad signature (403, logged), a body over ``MAX_BODY`` or XML that is malformed or
declares a DTD or entities (400: ``defusedxml`` parses before anything else), an unknown unit
or a unit without an account (404). A message the account cannot decrypt (a wrong AES key) is
noted on the secretary's page and answered with an empty reply; nothing crashes.
"""

from __future__ import annotations

import logging
from typing import Any

import defusedxml.ElementTree as SafeET
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import EmptyReply, TextReply
from wechatpy.utils import check_signature

from nutag.wechat.replies import reply_text
from nutag.wechat.selectors import EndpointConfig, endpoint_config
from nutag.wechat.services import account_note_error

log = logging.getLogger("nutag.wechat")
MAX_BODY = 32 * 1024  # the platform's messages are a few hundred bytes
REPLAY_SECONDS = 300  # the platform retries three times within 15 seconds


def _safe_xml(data: bytes | str) -> bool:
    """True when ``data`` is well-formed XML without DTD or entities (defusedxml)."""
    try:
        SafeET.fromstring(data, forbid_dtd=True)
    except Exception:
        return False
    return True


def _signed(config: EndpointConfig, request: HttpRequest) -> bool:
    q = request.GET
    try:
        check_signature(
            config.token, q.get("signature", ""), q.get("timestamp", ""), q.get("nonce", "")
        )
    except InvalidSignatureException:
        return False
    return bool(config.token)


def _replay_key(config: EndpointConfig, message: Any) -> str:
    ident = getattr(message, "id", None) or f"{message.source}:{message.create_time.timestamp()}"
    return f"wechat:seen:{config.account_id}:{ident}"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def message_endpoint(request: HttpRequest, code: str) -> HttpResponse:
    config = endpoint_config(code=code)  # NotFound → 404
    if not _signed(config, request):
        log.warning("wechat %s: bad signature from %s", code, request.META.get("REMOTE_ADDR"))
        return HttpResponseForbidden("bad signature")
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    body = request.body
    if len(body) > MAX_BODY or not _safe_xml(body):
        log.warning("wechat %s: refused a malformed or oversized body", code)
        return HttpResponseBadRequest("bad message")
    safe = request.GET.get("encrypt_type", "raw") == "aes"
    crypto = None
    if safe:
        try:
            crypto = WeChatCrypto(config.token, config.aes_key, config.app_id)
            xml = crypto.decrypt_message(
                body,
                request.GET.get("msg_signature", ""),
                request.GET.get("timestamp", ""),
                request.GET.get("nonce", ""),
            )
        except InvalidSignatureException:
            log.warning("wechat %s: bad message signature", code)
            return HttpResponseForbidden("bad signature")
        except Exception:
            log.warning("wechat %s: could not decrypt a message", code, exc_info=True)
            account_note_error(
                account_id=config.account_id,
                error=_(
                    "A message could not be decrypted: check the message key (EncodingAESKey) "
                    "and the app ID."
                ),
            )
            return HttpResponse(EmptyReply().render(), content_type="text/plain")
        if not _safe_xml(xml):
            return HttpResponseBadRequest("bad message")
    else:
        xml = body.decode("utf-8", errors="replace")
    try:
        message = parse_message(xml)
        seen = _replay_key(config, message)
    except Exception:
        return HttpResponseBadRequest("bad message")
    if not cache.add(seen, 1, REPLAY_SECONDS):  # answered already
        return HttpResponse("success", content_type="text/plain")
    text = reply_text(config=config, message=message, request=request)
    if not text:
        return HttpResponse("success", content_type="text/plain")
    reply = TextReply(message=message, content=text).render()
    if crypto is not None:
        reply = crypto.encrypt_message(reply, request.GET.get("nonce", ""))
    return HttpResponse(reply, content_type="application/xml; charset=utf-8")
