"""Pictures of lessons and meetings (``core.media`` stored images) in templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from nutag.core import media

register = template.Library()


@register.filter
def picture(stored: dict[str, Any] | None, alt: str = "") -> SafeString:
    """A stored picture as a responsive ``<picture>`` (AVIF/WebP/JPEG variants)."""
    return media.picture_html(stored or {}, alt=alt or "")
