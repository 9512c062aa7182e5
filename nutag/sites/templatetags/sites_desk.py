"""Template helpers for the writing desk: stored pictures and a unit's site rights."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from nutag.core import media
from nutag.core.sanitize import clean_html
from nutag.sites.permissions import can_publish_at, can_write_at

register = template.Library()


@register.filter
def picture(stored: dict[str, Any] | None, alt: str = "") -> SafeString:
    """``<picture>`` for a stored picture (``Article.cover_image``): WebP, JPEG fallback."""
    return media.picture_html(stored or {}, alt=alt or "")


@register.filter
def thumbnail(stored: dict[str, Any] | None) -> SafeString:
    """The smallest variant of a stored picture, as a small thumbnail."""
    variants = (stored or {}).get("variants") or []
    if not variants:
        return SafeString("")
    small = variants[-1]
    return format_html(
        '<img class="thumb" src="{}" width="{}" height="{}" alt="">',
        default_storage.url(small["jpeg"]),
        small["width"],
        small["height"],
    )


@register.filter
def sanitized(body: str) -> SafeString:
    """A body cleaned again on output: services store clean HTML, but a row written some other
    way (a data migration, the shell) must not reach a page unchecked."""
    return SafeString(clean_html(body or ""))


@register.filter
def is_scheduled(article: Any) -> bool:
    """Published, but due only later (``publish_at`` ahead): not on the site yet."""
    return bool(article.publish_at and article.publish_at > timezone.now())


@register.simple_tag(takes_context=True)
def site_rights(context: template.Context, unit: Any) -> dict[str, bool]:
    """``{"write": …, "publish": …}`` for the request's user at ``unit``."""
    user = context["request"].user
    return {
        "write": can_write_at(user, unit),
        "publish": can_publish_at(user, unit),
    }
