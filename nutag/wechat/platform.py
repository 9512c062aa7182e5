"""The chat platform's HTTP API, behind one small interface.

``platform_for(account)`` gives a ``Platform`` for an account with an app secret:
``HttpPlatform`` speaks the platform's documented JSON API (``/cgi-bin/token``,
``/cgi-bin/menu/create``, ``/cgi-bin/ticket/getticket``, ``/cgi-bin/message/template/send``,
``/sns/oauth2/access_token``) with the standard library, against ``NUTAG_WECHAT_API_BASE``
(``https://api.weixin.qq.com``; the tests point it at a fake server on 127.0.0.1).

Access tokens and JS-SDK tickets live 7,200 s on the platform, and every fetch of a new one
invalidates the old: they are kept in the cache (Redis at scale, shared by every worker) and
fetched again ``REFRESH_MARGIN`` seconds before they expire, by **one** process at a time (a
cache lock, ``cache.add``); the others keep using the current one, or wait briefly for the
first one when there is none.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache

REFRESH_MARGIN = 600  # seconds before expiry
LOCK_SECONDS = 15
WAIT_SECONDS = 5.0


class PlatformError(Exception):
    """The platform refused (``errcode``) or could not be reached."""

    def __init__(self, message: str, *, code: int = -1) -> None:
        super().__init__(message)
        self.code = code


class Platform(Protocol):
    def create_menu(self, menu: dict[str, Any]) -> None: ...

    def jsapi_ticket(self) -> str: ...

    def send_template(
        self, *, openid: str, template_id: str, data: dict[str, Any], url: str
    ) -> str: ...

    def oauth_openid(self, *, code: str) -> str: ...


def cached_credential(
    key: str, fetch: Callable[[], tuple[str, int]], *, now: Callable[[], float] = time.time
) -> str:
    """The value cached under ``key``, fetched again before it expires by one caller only.

    ``fetch()`` returns ``(value, expires_in seconds)``."""
    entry = cache.get(key)
    t = now()
    if entry and entry["expires_at"] - REFRESH_MARGIN > t:
        return str(entry["value"])
    lock = f"{key}:lock"
    deadline = t + WAIT_SECONDS
    while True:
        if cache.add(lock, 1, LOCK_SECONDS):
            try:
                entry = cache.get(key)  # someone may have refreshed meanwhile
                if not entry or entry["expires_at"] - REFRESH_MARGIN <= now():
                    value, expires_in = fetch()
                    entry = {"value": value, "expires_at": now() + expires_in}
                    cache.set(key, entry, max(expires_in, 1))
                return str(entry["value"])
            finally:
                cache.delete(lock)
        if entry and entry["expires_at"] > now():
            return str(entry["value"])  # still valid: another process is refreshing it
        if now() > deadline:
            raise PlatformError("timed out waiting for another process to fetch a credential")
        time.sleep(0.05)
        entry = cache.get(key)
        if entry and entry["expires_at"] - REFRESH_MARGIN > now():
            return str(entry["value"])


class HttpPlatform:
    def __init__(self, *, app_id: str, app_secret: str, base: str | None = None) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.base = (base or settings.NUTAG_WECHAT_API_BASE).rstrip("/")
        self.timeout = settings.NUTAG_WECHAT_TIMEOUT

    def _call(
        self, path: str, params: dict[str, str], body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 (the configured platform's URL)
            url, data=data, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer: dict[str, Any] = json.loads(response.read().decode())
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise PlatformError(f"the platform could not be reached: {exc}") from exc
        if answer.get("errcode"):
            raise PlatformError(
                f"{answer.get('errcode')}: {answer.get('errmsg', '')}",
                code=int(answer["errcode"]),
            )
        return answer

    def access_token(self) -> str:
        def fetch() -> tuple[str, int]:
            answer = self._call(
                "/cgi-bin/token",
                {
                    "grant_type": "client_credential",
                    "appid": self.app_id,
                    "secret": self.app_secret,
                },
            )
            return answer["access_token"], int(answer.get("expires_in", 7200))

        return cached_credential(f"wechat:access_token:{self.app_id}", fetch)

    def jsapi_ticket(self) -> str:
        def fetch() -> tuple[str, int]:
            answer = self._call(
                "/cgi-bin/ticket/getticket", {"access_token": self.access_token(), "type": "jsapi"}
            )
            return answer["ticket"], int(answer.get("expires_in", 7200))

        return cached_credential(f"wechat:jsapi_ticket:{self.app_id}", fetch)

    def create_menu(self, menu: dict[str, Any]) -> None:
        self._call("/cgi-bin/menu/create", {"access_token": self.access_token()}, menu)

    def send_template(
        self, *, openid: str, template_id: str, data: dict[str, Any], url: str
    ) -> str:
        answer = self._call(
            "/cgi-bin/message/template/send",
            {"access_token": self.access_token()},
            {"touser": openid, "template_id": template_id, "url": url, "data": data},
        )
        return str(answer.get("msgid", ""))

    def oauth_openid(self, *, code: str) -> str:
        answer = self._call(
            "/sns/oauth2/access_token",
            {
                "appid": self.app_id,
                "secret": self.app_secret,
                "code": code,
                "grant_type": "authorization_code",
            },
        )
        return str(answer["openid"])
