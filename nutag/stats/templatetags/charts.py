"""Inline SVG bar charts rendered on the server: no chart library download on phones."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

ROW = 28
LABEL_W = 120
BAR_W = 180


@register.simple_tag
def bar_chart(rows: Sequence[tuple[str, str, int]], title: str = "") -> SafeString:
    """Horizontal bars for ``(key, label, value)`` rows, scaled to the largest value."""
    top = max((r[2] for r in rows), default=0) or 1
    height = ROW * len(rows) + 4
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="0" y="18" font-size="14">{}</text>'
        '<rect x="{}" y="6" width="{}" height="16" rx="3" fill="#b4232a"></rect>'
        '<text x="{}" y="19" font-size="14">{}</text></g>',
        (
            (
                i * ROW,
                label,
                LABEL_W,
                max(1, round(BAR_W * value / top)) if value else 0,
                LABEL_W + (round(BAR_W * value / top) if value else 0) + 6,
                value,
            )
            for i, (_key, label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'style="max-width:360px" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        title,
        LABEL_W + BAR_W + 50,
        height,
        bars,
    )
