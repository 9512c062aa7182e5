"""Inline SVG bar charts rendered on the server: no chart library download on phones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from nutag.core.templatetags.local_names import local_name_of
from nutag.stats.templatetags import app_parts
from nutag.stats.templatetags.app_parts import esc, escape_all
from nutag.stats.templatetags.app_parts import words as catalogue

register = template.Library()

# --- Dashboard charts -------------------------------------------------------------------------

RATE_W = 330  # viewBox width: drawn at about the phone's width, so 16 units ≈ 15–16 px of text
RATE_LABEL_W = 104
RATE_BAR_W = 116
RATE_ROW = 36
RATE_TOP = 26
RATE_FONT = 17
COLOUR_OK = "#1a7f4b"  # passes the reference: dark green (4.5:1 on white for the value text)
COLOUR_BELOW = "#a65000"  # below the reference: the warning colour, 5.2:1 on the pale row
COLOUR_LINE = "#1a1a1a"
LABEL_CHARS = 6  # CJK characters that fit the label column; longer names are shortened


def percent_text(rate: float) -> str:
    """0.703 → "70.3%" (one decimal, none when whole)."""
    value = round(rate * 100, 1)
    return f"{value:g}%"


@register.filter
def percent(rate: float | None) -> str:
    return "–" if rate is None else percent_text(rate)


def _short(label: str) -> str:
    width = 0
    for i, char in enumerate(label):
        width += 1 if ord(char) < 0x2E80 else 2
        if width > LABEL_CHARS * 2:
            return label[: max(i - 1, 1)] + "…"
    return label


@register.simple_tag
def rate_chart(
    rows: Sequence[Any], reference: float, title: str, reference_label: str, chart_id: str
) -> SafeString:
    """Horizontal bars of rates (0–1) for ``ChartRow``-like rows (``label``, ``count``,
    ``base``, ``rate``, ``below``, ``current``), in the order given, with a vertical line at
    ``reference``. Bars below the line are drawn in the warning colour and their figures in
    bold; the current unit's label is bold. ``<title>`` and ``<desc>`` carry every figure in
    words for screen readers (the same figures are in a table on the page too).

    Written with f-strings and one escape per text (issue 17: ``format_html_join`` escaped
    each of the 13 values of a bar); the output is the ``format_html`` version's, byte for
    byte (``stats/tests/test_chart_tags.py``)."""
    if not rows:
        return SafeString("")
    height = RATE_TOP + RATE_ROW * len(rows) + 6
    ref_x = RATE_LABEL_W + round(RATE_BAR_W * max(0.0, min(reference, 1.0)))
    # The line's caption sits centred over it, or ends at it near the right edge.
    anchor = "end" if ref_x > RATE_W - 70 else "middle"
    look = catalogue()
    spoken = [_row_words(row, look) for row in rows]
    bold = ' font-weight="700"'
    bars = "".join(
        f'<g transform="translate(0,{RATE_TOP + i * RATE_ROW})"><title>{esc(said)}</title>'
        f'<text x="0" y="24" font-size="{RATE_FONT}"{bold if row.current else ""}>'
        f"{esc(_short(row.label))}</text>"
        f'<rect x="{RATE_LABEL_W}" y="9" width="{round(RATE_BAR_W * row.rate)}" height="20" '
        f'rx="3" fill="{COLOUR_BELOW if row.below else COLOUR_OK}"></rect>'
        f'<text x="{RATE_LABEL_W + RATE_BAR_W + 6}" y="24" font-size="{RATE_FONT - 1}" '
        f'fill="{COLOUR_BELOW if row.below else COLOUR_LINE}"{bold if row.below else ""}>'
        f"{esc(f'{percent_text(row.rate)} {row.count}/{row.base}')}</text></g>"
        for i, (row, said) in enumerate(zip(rows, spoken, strict=True))
    )
    ref_text = esc(f"{reference_label} {percent_text(reference)}")
    chart = esc(chart_id)
    return SafeString(
        f'<svg class="chart" role="img" aria-labelledby="{chart}-t {chart}-d" '
        f'viewBox="0 0 {RATE_W} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart}-t">{esc(title)}</title><desc id="{chart}-d">{ref_text}. '
        f"{esc('; '.join(spoken))}</desc>"
        f'<text x="{ref_x}" y="16" font-size="{RATE_FONT - 2}" text-anchor="{anchor}">'
        f"{ref_text}</text>{bars}"
        f'<line x1="{ref_x}" y1="{RATE_TOP - 6}" x2="{ref_x}" y2="{height}" '
        f'stroke="{COLOUR_LINE}" stroke-width="2" stroke-dasharray="4 3"></line></svg>'
    )


def _row_words(row: Any, look: Any = None) -> str:
    look = look or catalogue()
    text = look("%(name)s: %(rate)s (%(count)d of %(base)d)") % {
        "name": row.label,
        "rate": percent_text(row.rate),
        "count": row.count,
        "base": row.base,
    }
    if row.below:
        text += ", " + str(look("below the line"))
    return text


@register.simple_tag
def stacked_bar(segments: Sequence[tuple[str, int, str]], title: str) -> SafeString:
    """One bar split into ``(label, value, colour)`` segments, with its legend as text.

    The legend (label and value of each segment) is plain HTML at the page's font size, so
    the figures are readable and read out; the bar itself is ``aria-hidden``. Written with
    f-strings (issue 17), the ``format_html`` version's output byte for byte."""
    total = sum(value for _label, value, _colour in segments)
    x = 0.0
    rects = []
    for _label, value, colour in segments:
        if not value:
            continue
        width = 300 * value / total
        rects.append(
            f'<rect x="{round(x, 2)}" y="0" width="{round(width, 2)}" height="22" '
            f'fill="{esc(colour)}"></rect>'
        )
        x += width
    legend = "".join(
        f'<li><span class="swatch" style="background:{esc(colour)}"></span>{esc(label)} '
        f"<strong>{esc(value)}</strong></li>"
        for label, value, colour in segments
    )
    return SafeString(
        f'<figure class="stacked"><figcaption class="sr">{esc(title)}</figcaption>'
        '<svg viewBox="0 0 300 22" width="100%" height="22" preserveAspectRatio="none" '
        'aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
        f'<rect x="0" y="0" width="300" height="22" fill="#e5e5e5"></rect>{"".join(rects)}</svg>'
        f'<ul class="legend">{legend}</ul></figure>'
    )


@register.simple_tag
def delta(value: float | int, as_percent: bool = False) -> SafeString:
    """A change since last year: ▲ 3 (up), ▼ 2 (down), or = (the same), with words for
    screen readers; ``as_percent`` shows a change of rate in percentage points."""
    if as_percent:
        amount = f"{abs(round(value * 100, 1)):g}"
        shown = _("%(n)s pts") % {"n": amount}
    else:
        shown = f"{abs(value):,}"
    if not value:
        return SafeString(
            '<span class="delta same"><span aria-hidden="true">±0</span>'
            f'<span class="sr">{esc(_("no change"))}</span></span>'
        )
    up = value > 0
    words = pgettext("change", "up") if up else pgettext("change", "down")
    return SafeString(
        f'<span class="delta {"up" if up else "down"}"><span aria-hidden="true">'
        f'{"▲" if up else "▼"}</span><span class="sr">{esc(words)}</span> {esc(shown)}</span>'
    )


# --- Dashboard rows ---------------------------------------------------------------------------


def _row_html(
    r: Any, *, links: bool, reference: float | None, query: str, labels: tuple, href: Any
) -> str:
    unit = r.unit
    name = escape_all(local_name_of(unit))
    current = bool(r.is_current)
    head = f'<a href="{href(unit.code)}{query}">{name}</a>' if links and not current else name
    if current:
        head += f' <span class="tag">{labels[0]}</span>'
    if not unit.is_active:
        head += f' <span class="tag warn">{labels[1]}</span>'
    five, figures, tasks, progress = r.five_good, r.figures, r.tasks, r.progress
    below = " below" if five.base and reference is not None and five.rate < reference else ""
    rate = percent(five.rate) if five.base else "–"
    opening = '<tr class="current" aria-current="true">' if current else "<tr>"
    return (
        f'{opening}<th scope="row">{head}</th>\n'
        f'<td class="n">{five.count}/{five.base}</td><td class="n{below}">{rate}</td>'
        f'<td class="n">{figures.participants}</td><td class="n">{figures.five_elders}</td>'
        f'<td class="n">{tasks.on_time}/{tasks.due}</td>'
        f'<td class="n">{progress.accepted}/{progress.total}</td></tr>'
    )


@register.simple_tag(takes_context=True)
def figure_rows(
    context: Any, rows: Sequence[Any], links: bool, reference: float | None
) -> SafeString:
    """The dashboard's rows of units (``_rows.html``), one ``<tr>`` each, built here rather
    than by ~40 template nodes a row (issue 17: a root's dashboard rendered ~1,500 nodes and
    called ``localize`` ~930 times). The figures are whole numbers, shown as they are (no
    thousands separator, as ``{{ n }}`` showed them); the output is the template's, byte for
    byte (``stats/tests/test_rows.py``)."""
    query = conditional_escape(context.get("query", ""))
    labels = (escape_all(_("this unit")), escape_all(_("closed")))
    href = _figures_url()
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        "".join(
            _row_html(r, links=links, reference=reference, query=query, labels=labels, href=href)
            for r in rows
        )
    )


PLACEHOLDER_CODE = "000000"


def _figures_url() -> Any:
    """``code -> escaped URL of the unit's dashboard``, with ``reverse`` called once per table
    rather than once per row (a code is digits only, and the last part of the URL)."""
    head, tail = reverse("unit-figures", args=[PLACEHOLDER_CODE]).rsplit(PLACEHOLDER_CODE, 1)
    head, tail = escape_all(head), escape_all(tail)
    return lambda code: f"{head}{escape_all(code)}{tail}"


# --- The dashboard's figure tables --------------------------------------------------------------


def _grouper() -> Any:
    """``n|intcomma`` in the active language, without a filter (and its format look-ups) per
    number: the separator and grouping are read once per table. A grouping other than
    none or threes (no language of the project's) goes through ``intcomma`` itself."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.formats import get_format

    sep, grouping = str(get_format("THOUSAND_SEPARATOR")), get_format("NUMBER_GROUPING")
    if grouping == 0 or sep == "":  # no grouping (mn-Mong), or groups of four joined by ""
        return str  # (zh-Hans, zh-Hant): the digits as they are
    if grouping != 3:
        return lambda n: escape_all(intcomma(n))
    if sep == ",":
        return lambda n: f"{n:,}"
    sep = escape_all(sep)
    return lambda n: f"{n:,}".replace(",", sep)


@register.simple_tag
def seed_table(board: Any) -> SafeString:
    """The seed's table of committees and people (``_seed_table.html``), built in one Python
    pass rather than ~60 template nodes and ~25 ``intcomma`` filters (issue 17). The output is
    the template's, byte for byte (``stats/tests/test_tables.py``)."""
    look = catalogue()
    figures, good = board.figures, board.five_good
    grouped = _grouper()
    row = '<tr><th scope="row">{}</th><td class="n"><strong>{}</strong></td></tr>\n'
    sub = '<tr><th scope="row" class="sub">{}</th><td class="n">{}</td></tr>'
    committees = escape_all(look("Care committees"))
    parts = ["<table>\n", row.format(committees, grouped(figures.committees))]
    parts += [
        sub.format(escape_all(label), grouped(n)) for _k, label, n in figures.committee_rows() if n
    ]
    parts.append("\n")
    parts.append(row.format(escape_all(look("People in care work")), grouped(figures.participants)))
    parts.append(row.format(escape_all(look("of whom five elders")), grouped(figures.five_elders)))
    parts += [sub.format(escape_all(label), grouped(n)) for _k, label, n in figures.elder_rows()]
    parts.append("\n")
    parts.append(
        row.format(
            escape_all(look("Grassroots committees (below township level)")), grouped(good.base)
        )
    )
    if good.year:
        head = look("Five-good committees (%(year)s)") % {"year": good.year}
    else:
        head = escape_all(look("Five-good committees"))
    parts.append(row.format(head, grouped(good.count)))
    parts.append(row.format(escape_all(look("Five-good rate")), escape_all(percent(good.rate))))
    parts.append("</table>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


@register.simple_tag
def summary_kpis(board: Any) -> SafeString:
    """The four key figures at the top of the dashboard (``_summary.html``), built in one
    Python pass (issue 17); the template's output byte for byte (``test_tables.py``)."""
    look = catalogue()
    grouped = _grouper()
    good, figures, tasks = board.five_good, board.figures, board.tasks
    parent = board.parent_total
    warn = " warn" if parent and good.rate < parent.five_good.rate else ""
    if good.year:
        words = look("Five-good rate %(year)s: %(count)s of %(base)s grassroots committees") % {
            "year": good.year,
            "count": good.count,
            "base": good.base,
        }
        change = look("%(change)s since %(year)s") % {
            "change": delta(board.total.five_good_change.rate, True),
            "year": board.total.five_good_previous.year,
        }
        words += f'</div><div class="k">{change}'
    else:
        words = escape_all(look("Five-good rate: no accepted assessment yet"))
    committees = escape_all(look("Care committees"))
    people = escape_all(look("People in care work"))
    elders = look("%(n)s five elders") % {"n": grouped(figures.five_elders)}
    due = look("Task reports on time, due %(year)s") % {"year": tasks.year}
    if tasks.overdue:
        due += " · " + look("%(n)s overdue") % {"n": tasks.overdue}
    return mark_safe(  # noqa: S308 - every value is escaped or a number; the words are the catalogue's, as blocktranslate gives them
        '<div class="kpis">\n'
        f'<div class="kpi{warn}"><div class="v">{escape_all(percent(good.rate))}</div>'
        f'<div class="k">{words}</div></div>\n'
        f'<div class="kpi"><div class="v">{grouped(figures.committees)}</div>'
        f'<div class="k">{committees}</div></div>\n'
        f'<div class="kpi"><div class="v">{grouped(figures.participants)}</div>'
        f'<div class="k">{people} · {elders}</div></div>\n'
        f'<div class="kpi{" warn" if tasks.overdue else ""}"><div class="v">'
        f'{tasks.on_time}/{tasks.due}</div><div class="k">{due}</div></div>\n'
        "</div>\n"
    )


@register.simple_tag
def change_table(board: Any) -> SafeString:
    """The change since last year (``_change.html``), built in one Python pass (issue 17);
    the template's output byte for byte (``test_tables.py``)."""
    look = catalogue()
    t = board.total
    good, before, tasks, tasks_before = t.five_good, t.five_good_previous, t.tasks, t.tasks_previous

    def row(title: str, old: Any, new: Any, change: SafeString) -> str:
        return (
            f'<tr><th scope="row">{title}<br><span class="muted">{old[0]}: {escape_all(old[1])} → '
            f'{new[0]}: {escape_all(new[1])}</span></th><td class="n">{change}</td></tr>'
        )

    rows = []
    if good.year:
        rows.append(
            row(
                escape_all(look("Five-good committees")),
                (before.year, before.count),
                (good.year, good.count),
                delta(t.five_good_change.count),
            )
            + "\n"
            + row(
                escape_all(look("Five-good rate")),
                (before.year, percent(before.rate)),
                (good.year, percent(good.rate)),
                delta(t.five_good_change.rate, True),
            )
        )
    rows.append(
        "\n"
        + row(
            escape_all(look("Task reports on time")),
            (tasks_before.year, tasks_before.on_time),
            (tasks.year, tasks.on_time),
            delta(t.tasks_on_time_change),
        )
    )
    rows.append(
        "\n"
        + row(
            escape_all(look("Share of reports on time")),
            (tasks_before.year, percent(tasks_before.on_time_rate)),
            (tasks.year, percent(tasks.on_time_rate)),
            delta(t.tasks_on_time_rate_change, True),
        )
    )
    figure = escape_all(look("Figure", "dashboard"))
    change = escape_all(look("Change", "since last year"))
    head = (
        '<table class="change">\n<thead><tr><th scope="col">'
        f'{figure}</th><th scope="col" class="n">{change}</th></tr></thead>\n<tbody>\n'
    )
    note = escape_all(
        look(
            "People in care work are not compared with last year: the records keep who works in "
            "the committees now, not who left during the year."
        )
    )
    return mark_safe(  # noqa: S308 - every value is escaped or a number
        f'{head}{"".join(rows)}\n</tbody></table>\n<p class="muted">{note}</p>\n'
    )


# --- The other apps' parts of the dashboard -------------------------------------------------------

# Printed in Python (``app_parts``), each the app's old partial byte for byte (issue 17):
# ``{% voice_part voice %}``, ``{% study_part study %}`` …
for _part in (
    app_parts.voice_part,
    app_parts.study_part,
    app_parts.youth_part,
    app_parts.disclosure_part,
    app_parts.market_part,
    app_parts.tourism_part,
    app_parts.revival_part,
    app_parts.grid_part,
):
    register.simple_tag(_part)


@register.simple_tag
def work_part(board: Any, tasks_segments: Any, progress_segments: Any) -> SafeString:
    """The task reports and assessments (``_work.html`` before), in one Python pass (issue
    17); the old template's output byte for byte (``test_tables.py``)."""
    from nutag.stats.templatetags.app_parts import lookups, v

    t, bt = lookups()

    tasks, progress = board.tasks, board.progress
    due = bt("Task reports due in %(year)s", year=tasks.year)
    out = [f"<h3>{due}</h3>\n"]
    if tasks.due:
        bar = stacked_bar(tasks_segments, mark_safe(t("Task reports by outcome")))  # noqa: S308 - a literal's translation
        words = bt("On time: %(rate)s of the reports due.", rate=percent(tasks.on_time_rate))
        out.append(f"\n{bar}\n<p>{words}</p>\n")
    else:
        words = t("No task reports are due this year in this unit or below it.")
        out.append(f'<p class="muted">{words}</p>')
    year = f" · {v(progress.year)}" if progress.year else ""
    assessments = t("Assessments", "dashboard")
    out.append(f"\n<h3>{assessments}{year}</h3>\n")
    if progress.total:
        bar = stacked_bar(progress_segments, mark_safe(t("Assessments by status")))  # noqa: S308 - a literal's translation
        words = bt(
            "%(passed)s of the %(accepted)s accepted meet the standard.",
            passed=progress.passed,
            accepted=progress.accepted,
        )
        rounds = " · ".join(v(r.title) for r in board.rounds)
        out.append(f'\n{bar}\n<p>{words}</p>\n<p class="muted">{rounds}</p>\n')
    else:
        none = t("No assessment round covers this unit yet.")
        out.append(f'<p class="muted">{none}</p>')
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a number


@register.simple_tag(takes_context=True)
def rows_table(
    context: Any, rows: Sequence[Any], links: bool, reference: float | None, total: Any
) -> SafeString:
    """A table of units with their figures and, when given, the total row (``_rows.html``
    before), in one Python pass (issue 17); the old template's output byte for byte
    (``test_rows.py``)."""
    from nutag.stats.templatetags.app_parts import lookups, v

    t, bt = lookups()

    head = "".join(
        f'<th scope="col"{cls}>{words}</th>'
        for words, cls in (
            (t("Unit"), ""),
            (t("Five-good", "dashboard"), ' class="n"'),
            (t("Rate", "dashboard"), ' class="n"'),
            (t("Care workers", "dashboard"), ' class="n"'),
            (t("Five elders", "dashboard"), ' class="n"'),
            (t("Reports on time"), ' class="n"'),
            (t("Accepted", "dashboard"), ' class="n"'),
        )
    )
    out = [
        '<div class="scroll" tabindex="0"><table class="rows">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>",
        figure_rows(context, rows, links, reference),
        "\n",
    ]
    if total:
        good, figures, tasks, progress = total.five_good, total.figures, total.tasks, total.progress
        name = bt("Total (%(name)s)", name=local_name_of(total.unit))
        out.append(
            f'<tr><th scope="row">{name}</th><td class="n"><strong>{v(good.count)}/'
            f'{v(good.base)}</strong></td><td class="n"><strong>{v(percent(good.rate))}</strong>'
            f'</td><td class="n">{v(figures.participants)}</td><td class="n">'
            f'{v(figures.five_elders)}</td><td class="n">{v(tasks.on_time)}/{v(tasks.due)}</td>'
            f'<td class="n">{v(progress.accepted)}/{v(progress.total)}</td></tr>'
        )
    out.append("</tbody>\n</table></div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a number


@register.simple_tag(takes_context=True)
def figures_head(context: Any, unit: Any, ancestors: Sequence[Any], year: int | None) -> SafeString:
    """The dashboard's head: the units above as links, the unit's names, its kind and the year
    (the page's template nodes before issue 17's session 6), in one Python pass; the old
    template's output byte for byte (``test_tables.py``)."""
    from nutag.stats.templatetags.app_parts import lookups, v

    t, bt = lookups()
    out = []
    if ancestors:
        query = conditional_escape(context.get("query", ""))
        href = _figures_url()
        links = "".join(
            f'<a href="{href(a.code)}{query}">{esc(local_name_of(a))}</a> › ' for a in ancestors
        )
        above = t("Units above")
        out.append(f'<nav class="crumbs" aria-label="{above}">{links}</nav>')
    out.append(f"\n<h1>{esc(local_name_of(unit))}</h1>\n")
    if unit.name_mn:
        out.append(f'<p><span class="mn-name" lang="mn-Mong">{v(unit.name_mn)}</span></p>')
    words = t("figures over this unit and every unit below it, computed from the records")
    out.append(f'\n<p class="muted">{v(unit.get_kind_display())} · {words}')
    if year:
        in_year = bt("year %(year)s", year=year)
        out.append(f" · {in_year}")
    out.append("</p>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a number


@register.simple_tag
def chart_card(board: Any, children_chart: Any, siblings_chart: Any) -> SafeString:
    """The five-good chart of the units below (or beside) with its heading and key (the page's
    template nodes before issue 17's session 6), in one Python pass; the old template's
    output byte for byte (``test_tables.py``)."""
    from nutag.stats.templatetags.app_parts import lookups

    t, bt = lookups()
    if children_chart:
        head, rows, chart_id = t("Five-good rate of the units below"), children_chart, "c1"
        name, label, rate = local_name_of(board.unit), board.unit.name, board.five_good.rate
    elif siblings_chart:
        head, rows, chart_id = t("Five-good rate beside the units next to it"), siblings_chart, "c2"
        name = label = board.parent.name
        rate = board.parent_total.five_good.rate
    else:
        return mark_safe("")
    title = mark_safe(bt("Five-good rate of the units below %(name)s, lowest first", name=name))  # noqa: S308 - as blocktranslate's asvar
    chart = rate_chart(rows, rate, title, label, chart_id)
    words = bt(
        'The line is %(name)s\'s rate (%(rate)s); <span class="below">orange bars</span> are '
        "below it. Lowest first.",
        name=name,
        rate=percent(rate),
    )
    return mark_safe(  # noqa: S308 - every value is escaped or a number
        f'\n<h2 id="chart">{head}</h2>\n<div class="card">{chart}\n'
        f'<p class="key">{words}</p></div>\n'
    )
