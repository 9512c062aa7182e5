"""The charts' SVG and change marks, written with f-strings (issue 17): the output must be the
``format_html`` versions', byte for byte (those versions are kept below as the reference)."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace as NS
from typing import Any

import pytest
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from nutag.stats.templatetags.charts import (
    COLOUR_BELOW,
    COLOUR_LINE,
    COLOUR_OK,
    RATE_BAR_W,
    RATE_FONT,
    RATE_LABEL_W,
    RATE_ROW,
    RATE_TOP,
    RATE_W,
    _short,
    delta,
    percent_text,
    rate_chart,
    stacked_bar,
)

# --- The versions before issue 17's session 6 ---------------------------------------------------


def old_rate_chart(
    rows: Sequence[Any], reference: float, title: str, reference_label: str, chart_id: str
) -> SafeString:
    """Horizontal bars of rates (0–1) for ``ChartRow``-like rows (``label``, ``count``,
    ``base``, ``rate``, ``below``, ``current``), in the order given, with a vertical line at
    ``reference``. Bars below the line are drawn in the warning colour and their figures in
    bold; the current unit's label is bold. ``<title>`` and ``<desc>`` carry every figure in
    words for screen readers (the same figures are in a table on the page too)."""
    if not rows:
        return mark_safe("")  # (format_html("") before: deprecated without arguments)
    height = RATE_TOP + RATE_ROW * len(rows) + 6
    ref_x = RATE_LABEL_W + round(RATE_BAR_W * max(0.0, min(reference, 1.0)))
    # The line's caption sits centred over it, or ends at it near the right edge.
    anchor = "end" if ref_x > RATE_W - 70 else "middle"
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><title>{}</title>'
        '<text x="0" y="24" font-size="{}"{}>{}</text>'
        '<rect x="{}" y="9" width="{}" height="20" rx="3" fill="{}"></rect>'
        '<text x="{}" y="24" font-size="{}" fill="{}"{}>{}</text></g>',
        (
            (
                RATE_TOP + i * RATE_ROW,
                _old_row_words(row),
                RATE_FONT,
                mark_safe(' font-weight="700"') if row.current else "",
                _short(row.label),
                RATE_LABEL_W,
                round(RATE_BAR_W * row.rate),
                COLOUR_BELOW if row.below else COLOUR_OK,
                RATE_LABEL_W + RATE_BAR_W + 6,
                RATE_FONT - 1,
                COLOUR_BELOW if row.below else COLOUR_LINE,
                mark_safe(' font-weight="700"') if row.below else "",
                f"{percent_text(row.rate)} {row.count}/{row.base}",
            )
            for i, row in enumerate(rows)
        ),
    )
    desc = "; ".join(_old_row_words(row) for row in rows)
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {w} {h}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{ref_words}. {desc}</desc>'
        '<text x="{ref_x}" y="16" font-size="{fs}" text-anchor="{anchor}">{ref_text}</text>'
        "{bars}"
        '<line x1="{ref_x}" y1="{top}" x2="{ref_x}" y2="{h}" stroke="{line}" '
        'stroke-width="2" stroke-dasharray="4 3"></line></svg>',
        id=chart_id,
        w=RATE_W,
        h=height,
        title=title,
        ref_words=f"{reference_label} {percent_text(reference)}",
        desc=desc,
        ref_x=ref_x,
        fs=RATE_FONT - 2,
        anchor=anchor,
        ref_text=f"{reference_label} {percent_text(reference)}",
        bars=bars,
        top=RATE_TOP - 6,
        line=COLOUR_LINE,
    )


def _old_row_words(row: Any) -> str:
    words = _("%(name)s: %(rate)s (%(count)d of %(base)d)") % {
        "name": row.label,
        "rate": percent_text(row.rate),
        "count": row.count,
        "base": row.base,
    }
    if row.below:
        words += ", " + str(_("below the line"))
    return words


def old_stacked_bar(segments: Sequence[tuple[str, int, str]], title: str) -> SafeString:
    """One bar split into ``(label, value, colour)`` segments, with its legend as text.

    The legend (label and value of each segment) is plain HTML at the page's font size, so
    the figures are readable and read out; the bar itself is ``aria-hidden``."""
    total = sum(value for _label, value, _colour in segments)
    x = 0.0
    parts = []
    for _label, value, colour in segments:
        if not value:
            continue
        width = 300 * value / total
        parts.append((round(x, 2), round(width, 2), colour))
        x += width
    rects = format_html_join(
        "", '<rect x="{}" y="0" width="{}" height="22" fill="{}"></rect>', parts
    )
    legend = format_html_join(
        "",
        '<li><span class="swatch" style="background:{}"></span>{} <strong>{}</strong></li>',
        ((colour, label, value) for label, value, colour in segments),
    )
    return format_html(
        '<figure class="stacked"><figcaption class="sr">{}</figcaption>'
        '<svg viewBox="0 0 300 22" width="100%" height="22" preserveAspectRatio="none" '
        'aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
        '<rect x="0" y="0" width="300" height="22" fill="#e5e5e5"></rect>{}</svg>'
        '<ul class="legend">{}</ul></figure>',
        title,
        rects,
        legend,
    )


def old_delta(value: float | int, as_percent: bool = False) -> SafeString:
    """A change since last year: ▲ 3 (up), ▼ 2 (down), or = (the same), with words for
    screen readers; ``as_percent`` shows a change of rate in percentage points."""
    if as_percent:
        amount = f"{abs(round(value * 100, 1)):g}"
        shown = _("%(n)s pts") % {"n": amount}
    else:
        shown = f"{abs(value):,}"
    if not value:
        return format_html(
            '<span class="delta same"><span aria-hidden="true">±0</span>'
            '<span class="sr">{}</span></span>',
            _("no change"),
        )
    up = value > 0
    return format_html(
        '<span class="delta {}"><span aria-hidden="true">{}</span>'
        '<span class="sr">{}</span> {}</span>',
        "up" if up else "down",
        "▲" if up else "▼",
        pgettext("change", "up") if up else pgettext("change", "down"),
        shown,
    )


# --- The comparisons ----------------------------------------------------------------------------


def _bar(label: str, rate: float, *, below: bool = False, current: bool = False) -> NS:
    return NS(label=label, count=round(rate * 1234567), base=1234567, rate=rate, below=below,
              current=current)  # fmt: skip


ROWS = [
    _bar("<第一> & 镇", 0.0, below=True),
    _bar("一个很长很长的名字的苏木", 0.1234, below=True, current=True),
    _bar("ᠮᠣᠩᠭᠣᠯ ᠨᠡᠷᠡ", 0.5),
    _bar(mark_safe("<b>安全</b>"), 1.0),
    _bar("\"引号\" '单'", 0.999),
]


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize("reference", [0.0, 0.4321, 0.95, 1.3])
@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_rate_chart_is_the_old_ones_byte_for_byte(lang, reference, count) -> None:
    title = mark_safe("标题 &amp; <i>说明</i>")
    with translation.override(lang):
        for label in ("<旗>", "旗"):
            args = (ROWS[:count], reference, title, label, "c1")
            new, old = rate_chart(*args), old_rate_chart(*args)
            assert new == old
            assert isinstance(new, SafeString)
    if count:
        assert "&lt;第一&gt; &amp; 镇" in new


lazy_label = lazy(lambda: pgettext("task report outcome", "Late"), str)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize(
    "values", [(1, 2, 3, 0), (0, 0, 0, 0), (1234567, 1, 0, 7), (0, 0, 5, 0), (1, 1, 1, 1)]
)
def test_the_stacked_bar_is_the_old_ones_byte_for_byte(lang, values) -> None:
    labels = ["按时", lazy_label(), "<逾期> & 未报", mark_safe("<b>未到期</b>")]
    colours = ["#1a7f4b", "#e0a800", "#a65000", "#9e9e9e"]
    segments = list(zip(labels, values, colours, strict=True))
    with translation.override(lang):
        for title in ("<图>", mark_safe("按结果 &amp; 状态")):
            if sum(values):
                assert stacked_bar(segments, title) == old_stacked_bar(segments, title)
            else:  # no bar is drawn for nothing (both divide by the total)
                assert stacked_bar(segments[:0], title) == old_stacked_bar(segments[:0], title)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize(
    ("value", "as_percent"),
    [(n, False) for n in (0, 3, -2, 1234567, -1234567)]
    + [(r, True) for r in (0, 0.0, 0.0437, -0.5, 0.00001, 1, -1)],
)
def test_delta_is_the_old_ones_byte_for_byte(lang, value, as_percent) -> None:
    with translation.override(lang):
        assert delta(value, as_percent) == old_delta(value, as_percent)
