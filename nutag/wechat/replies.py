"""What the account answers: keyword replies, the welcome, and the menu of links.

Built from the account's keyword map (keyword → column key of the unit's site) and URLs
alone, so answering costs no database work. Texts are in the site's default language.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.wechat.selectors import EndpointConfig


def _site(request: HttpRequest, config: EndpointConfig) -> str:
    return request.build_absolute_uri(reverse("site-home", kwargs={"code": config.unit_code}))


def _column(request: HttpRequest, config: EndpointConfig, key: str) -> str:
    return request.build_absolute_uri(
        reverse("site-column", kwargs={"code": config.unit_code, "key": key})
    )


def menu_text(*, config: EndpointConfig, request: HttpRequest) -> str:
    """The keywords the account knows, each with its link, and the site itself."""
    lines = [_("Reply with a word:")]
    for word, key in config.keywords.items():
        lines.append(f"【{word}】 {_column(request, config, key)}")
    lines.append(f"【{config.unit_name}】 {_site(request, config)}")
    return "\n".join(lines)


def reply_text(*, config: EndpointConfig, message: Any, request: HttpRequest) -> str:
    """The reply's text ("" for events that need none)."""
    if message.type == "event":
        if getattr(message, "event", "") in {"subscribe", "subscribe_scan"}:
            welcome = config.welcome or _("Welcome to %(unit)s.") % {"unit": config.unit_name}
            menu = menu_text(config=config, request=request)
            return f"{welcome}\n{_site(request, config)}\n\n{menu}"
        return ""
    if message.type == "text":
        word = (message.content or "").strip()
        key = config.keywords.get(word)
        if key:
            return f"{word}: {_column(request, config, key)}"
        if word and word == config.unit_name:
            return f"{config.unit_name}: {_site(request, config)}"
    return menu_text(config=config, request=request)
