"""The other apps' parts of the dashboard, printed in one Python pass each (issue 17).

Each function gives, byte for byte, what the app's old partial gave (``voice/_figures.html``,
``study/_figures.html`` …, kept as the reference of ``stats/tests/test_app_parts.py``):
``{% translate "…" %}`` is ``gettext`` (a literal's translation is not escaped),
``{% blocktranslate %}`` the catalogue's words with their values escaped, and ``{{ value }}``
a whole number's digits or anything else ``localize``-d and escaped, as the engine does. The
``charts`` library registers them as tags; this module has no ``register`` of its own.
"""

from __future__ import annotations

import html
import weakref
from typing import Any

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext, trans_real


def esc(text: Any) -> str:
    """``conditional_escape(text)``, the same text without its wrapper's cost (``escape`` is
    ``html.escape`` of the text; a ``__html__`` text is already safe)."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text))


def escape_all(text: Any) -> str:
    """``escape(text)``: escaped even when marked safe, without the wrapper's cost."""
    return html.escape(str(text))


def v(value: Any) -> str:
    """``{{ value }}``: a whole number as its digits (no thousands separator in this project,
    as ``localize`` prints one), a text escaped, anything else localised and escaped."""
    if type(value) is int:
        return str(value)
    if isinstance(value, str):
        return esc(value)
    return esc(localize(value))


# The translations looked up so far, per catalogue (``DjangoTranslation``) and message: a
# page asks for the same ~50 words each time, and a ``gettext`` costs a look-up of the active
# language in its context-local. Keyed weakly by the catalogue object, so catalogues made
# again (Django drops them when LANGUAGES or LOCALE_PATHS change) start afresh.
_WORDS: weakref.WeakKeyDictionary[Any, dict[tuple[str | None, str], str]] = (
    weakref.WeakKeyDictionary()
)


def words() -> Any:
    """The active catalogue's ``(message, context=None) -> translation``, memoised; plain
    ``gettext``/``pgettext`` when no catalogue is active (``deactivate_all``)."""
    language = get_language()
    if not language:
        return lambda message, context=None: (
            pgettext(context, message) if context else gettext(message)
        )
    memo = _WORDS.setdefault(trans_real.translation(language), {})

    def look(message: str, context: str | None = None) -> str:
        key = (context, message)
        found = memo.get(key)
        if found is None:
            found = memo[key] = pgettext(context, message) if context else gettext(message)
        return found

    return look


def lookups() -> tuple[Any, Any]:
    """``(t, bt)`` as below, through one look-up of the active catalogue (``words``)."""
    look = words()

    def t(message: str, context: str | None = None) -> str:
        return look(message, context)

    def bt(message: str, **values: Any) -> str:
        return look(message) % {k: v(x) for k, x in values.items()}

    return t, bt


def t(message: str, context: str | None = None) -> str:
    """``{% translate "message" %}`` (with ``context``): the translation as it is (the engine
    trusts a template's literal strings and their translations, and does not escape them)."""
    return pgettext(context, message) if context else gettext(message)


def bt(message: str, **values: Any) -> str:
    """``{% blocktranslate with … %}``: the catalogue's words, the values printed as above."""
    return gettext(message) % {k: v(x) for k, x in values.items()}


def nbt(singular: str, plural: str, n: int) -> str:
    """``{% blocktranslate count n=… %}``."""
    return ngettext(singular, plural, n) % {"n": v(n)}


def _pairs(rows: Any) -> str:
    return "".join(f"<tr><th>{v(name)}</th><td>{v(n)}</td></tr>" for name, n in rows)


def voice_part(voice: Any) -> SafeString:
    """``voice/_figures.html``."""
    t, bt = lookups()
    from nutag.stats.templatetags.charts import percent, stacked_bar

    out = ["<h3>" + t("Residents' concerns") + "</h3>\n"]
    if voice.total:
        title = mark_safe(t("Concerns by state"))  # noqa: S308 - a literal's translation
        out.append("\n" + stacked_bar(voice.state_segments(), title) + "\n<p>")
        out.append(
            bt(
                "%(n)s answered, %(rate)s of them within the time limit.",
                n=voice.answered,
                rate=percent(voice.in_time_rate),
            )
        )
        if voice.median_hours_to_answer is not None:
            out.append(
                " " + bt("Half are answered within %(h)s hours.", h=voice.median_hours_to_answer)
            )
        out.append("</p>\n<p>")
        if voice.satisfaction is not None:
            out.append(
                bt(
                    "Satisfaction %(s)s of 5 (%(n)s ratings).",
                    s=voice.satisfaction,
                    n=voice.rated,
                )
                + " "
            )
        if voice.overdue:
            words = nbt("%(n)s concern overdue.", "%(n)s concerns overdue.", voice.overdue)
            out.append(f"<strong>{words}</strong>")
        out.append("</p>\n")
    else:
        none = t("No concern raised in this unit or below it yet.")
        out.append(f'<p class="muted">{none}</p>')
    out.append("\n")
    if voice.polls_held:
        held = nbt("%(n)s village poll held.", "%(n)s village polls held.", voice.polls_held)
        out.append(f"<p>{held}</p>")
    out.append("\n")
    if voice.aid_requests or voice.aid_offers or voice.emergencies:
        out.append("<p>")
        out.append(
            bt(
                "Mutual aid: %(n)s requests, %(m)s of them met; %(o)s offers.",
                n=voice.aid_requests,
                m=voice.aid_requests_met,
                o=voice.aid_offers,
            )
        )
        if voice.emergencies:
            out.append(
                " "
                + nbt(
                    "%(n)s emergency published.",
                    "%(n)s emergencies published.",
                    voice.emergencies,
                )
            )
        out.append("</p>")
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a number


def study_part(study: Any) -> SafeString:
    """``study/_figures.html``."""
    t, _bt = lookups()
    rate = v(floatformat(study.members_rate, "-3"))
    rows = [
        (
            t("Party members who completed a lesson this year"),
            f"{v(study.members_studied)} / {v(study.party_members)} ({rate})",
        ),
        (t("Lessons completed this year"), v(study.lessons_completed)),
        (t("People who studied"), v(study.learners)),
        (t("Hours of study"), v(study.hours)),
        (t("Points earned this year"), v(study.points)),
        (t("Reads of the Party-building columns"), v(study.column_reads)),
        (
            t("Branches keeping the meeting rhythm"),
            f"{v(study.branches_on_rhythm)} / {v(study.branches)}",
        ),
    ]
    body = "".join(f"<tr><th>{head}</th><td>{cell}</td></tr>\n" for head, cell in rows)
    title = t("Study and branch life")
    return mark_safe(  # noqa: S308 - every value is escaped or a number
        f'\n<h2 id="study">{title}</h2>\n'
        f'<div class="card"><table class="table"><tbody>\n{body}</tbody></table></div>\n'
    )


def _kpi(value: str, key: str) -> str:
    return f'<div class="kpi"><div class="v">{value}</div><div class="k">{key}</div></div>\n'


def youth_part(youth: Any) -> SafeString:
    """``youth/_figures.html``."""
    t, bt = lookups()
    f = youth["figures"]
    title = t("Young people in care")
    out = [
        f'<h2 id="youth">{title}</h2>\n',
        '<div class="card">\n<div class="kpis">\n',
        _kpi(v(f.young_people), t("Young people in care")),
        _kpi(v(f.pairs), t("Elder–youth pairs")),
        _kpi(f"{v(f.needs_resolved)}/{v(f.needs)}", t("Needs resolved")),
        _kpi(
            v(f.good_deeds),
            bt("Good deeds this year, %(n)s people helped", n=f.people_helped),
        ),
        _kpi(v(f.activities), bt("Activities this year, %(n)s took part", n=f.participants)),
        "</div>\n",
    ]
    if youth["circumstances"]:
        head = t("By circumstance")
        out.append(f"<h3>{head}</h3>\n<table>{_pairs(youth['circumstances'])}</table>")
    head = t("Visits per month")
    out.append(f"\n<h3>{head}</h3>\n")
    if youth["months"]:
        bars = "".join(
            f'<tr><th>{v(month)}</th><td><progress max="100" value="{v(width)}">{v(n)}</progress>'
            f" {v(n)}</td></tr>"
            for month, n, width in youth["months"]
        )
        out.append(f"<table>{bars}</table>\n")
    else:
        none = t("No visit recorded in the last six months.")
        out.append(f'<p class="muted">{none}</p>')
    help_words = t(
        "Counts only: no young person is named here, and a circumstance held by fewer than three "
        "is left out."
    )
    out.append(f'\n<p class="help">{help_words}</p>\n</div>\n')
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a number


def disclosure_part(f: Any) -> SafeString:
    """``disclosure/_figures.html``."""
    t, bt = lookups()
    heads = "".join(
        f'<th class="n">{words}</th>'
        for words in (
            t("On time", "disclosure"),
            t("Late", "disclosure"),
            t("Missing", "disclosure"),
            t("Not yet due", "disclosure"),
        )
    )
    dues = [bt("due %(day)s", day=date_filter(p.due_on, "Y-m-d")) for p in f.periods]
    rows = "".join(
        f'<tr><th>{v(p.label)}<br><span class="muted">{due}</span></th>'
        f'<td class="n">{v(p.on_time)}</td><td class="n">{v(p.late)}</td>'
        f'<td class="n">{v(p.missing)}</td><td class="n">{v(p.not_yet_due)}</td></tr>'
        for p, due in zip(f.periods, dues, strict=True)
    )
    units = f.periods[0].units if f.periods else ""
    words = bt("%(n)s villages and communities publish their finance every quarter.", n=units)
    title, period = t("Finance disclosure"), t("Period")
    return mark_safe(  # noqa: S308 - every value is escaped or a number
        f'<h2 id="disclosure">{title}</h2>\n<div class="card">\n'
        f"<table><thead><tr><th>{period}</th>{heads}</tr></thead>\n"
        f"<tbody>{rows}</tbody></table>\n"
        f'<p class="help">{words}</p>\n</div>\n'
    )


def market_part(f: Any) -> SafeString:
    """``market/_figures.html``."""
    t, bt = lookups()
    line = " · ".join(
        (
            bt("%(n)s products listed", n=f.products_listed),
            bt("%(n)s orders", n=f.orders),
            bt("¥%(v)s completed", v=f.completed_value),
        )
    )
    if f.average_rating is not None:
        line += f" · {v(f.average_rating)} ★"
    title = t("Local products shop")
    return mark_safe(  # noqa: S308 - every value is escaped or a number
        f"<h2>{title}</h2>\n<p>{line}</p>\n"
        f'<table class="figures"><tbody>'
        + "".join(
            f'<tr><th scope="row">{v(label)}</th><td>{v(n)}</td></tr>'
            for label, n in f.state_rows()
        )
        + "</tbody></table>\n"
    )


def tourism_part(tourism: Any) -> SafeString:
    """``tourism/_figures.html``."""
    t, bt = lookups()
    f = tourism["figures"]
    title, bookings = t("Tourism"), bt("Bookings from %(year)s on", year=f.year)
    return mark_safe(  # noqa: S308 - every value is escaped or a number
        f'<h2 id="tourism">{title}</h2>\n<div class="card">\n<div class="kpis">\n'
        + _kpi(v(f.places), t("Places listed"))
        + _kpi(
            v(f.guests_confirmed),
            bt("Guests in confirmed bookings from %(year)s on", year=f.year),
        )
        + f"</div>\n<table>{_pairs(tourism['kinds'])}</table>\n"
        f"<h3>{bookings}</h3>\n"
        f"<table>{_pairs(tourism['states'])}</table>\n</div>\n"
    )


def revival_part(f: Any) -> SafeString:
    """``revival/_figures.html``."""
    t, bt = lookups()
    if not f.households:
        return mark_safe("\n")
    labelled = f.labelled()
    title = t("Rural revitalisation")
    out = [
        f'<h2 id="revival">{title}</h2>\n',
        '<div class="card">\n<div class="kpis">\n',
        _kpi(v(f.households), t("Households under watch or watched")),
        _kpi(v(f.visits_this_year), t("Visits this year")),
    ]
    if f.average_income is not None:
        words = bt(
            "Average net income per person in %(year)s, yuan (monitoring line %(line)s)",
            year=f.income_year,
            line=f.monitoring_line,
        )
        out.append(
            f'<div class="kpi"><div class="v">{v(f.average_income)}</div>'
            f'<div class="k">{words}</div></div>\n'
        )
        below = t("Households below the monitoring line")
        out.append(
            f'<div class="kpi"><div class="v">{v(f.below_line)}/{v(f.income_households)}</div>'
            f'<div class="k">{below}</div></div>'
        )
    out.append("\n</div>\n")
    for key, head in (
        ("categories", t("By risk category")),
        ("statuses", t("By status")),
        ("measures", t("Measures by kind")),
    ):
        if labelled[key]:
            out.append(f"<h3>{head}</h3>\n<table>{_pairs(labelled[key])}</table>")
        out.append("\n")
    help_words = t(
        "Counts only: no household is named here, and a category, status or average of fewer "
        "than three households is left out."
    )
    out.append(f'<p class="help">{help_words}</p>\n</div>\n')
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a number


def grid_part(grid: Any) -> SafeString:
    """``grid/_figures.html``."""
    t, _bt = lookups()
    f = grid["figures"]
    share = "–" if grid["share"] is None else f"{v(grid['share'])}%"
    title = t("Grid governance")
    out = [
        f'<h2 id="grid">{title}</h2>\n<div class="card">\n<div class="kpis">\n',
        _kpi(f"{v(f.grids_with_worker)}/{v(f.grids)}", t("Grids with a grid worker")),
        _kpi(v(f.incidents), t("Incidents")),
        _kpi(share, t("Resolved within 30 days")),
        _kpi(v(f.follow_ups_overdue), t("Follow-ups overdue")),
        "</div>\n",
    ]
    if grid["kinds"]:
        head = t("By kind")
        out.append(f"<h3>{head}</h3><table>{_pairs(grid['kinds'])}</table>")
    out.append("\n")
    if grid["states"]:
        head = t("By state")
        out.append(f"<h3>{head}</h3><table>{_pairs(grid['states'])}</table>")
    help_words = t("Counts only: incidents name the parties and are never public.")
    out.append(f'\n<p class="help">{help_words}</p>\n</div>\n')
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a number
