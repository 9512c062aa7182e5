"""The dashboard's figure tables, built by ``charts`` tags instead of template nodes
(issue 17): the HTML must be the old templates', byte for byte, in every language."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import pytest
from django.template import Context, Template
from django.utils import translation

from nutag.assess.models import ReportStatus
from nutag.stats.selectors import dashboard
from nutag.stats.tests.work import assess, assessment_round, report, task

# ``stats/_seed_table.html`` before issue 17, kept here as the reference.
OLD_SEED = (
    "{% load i18n humanize charts %}<table>\n"
    '<tr><th scope="row">{% translate "Care committees" %}</th><td class="n"><strong>'
    "{{ board.figures.committees|intcomma }}</strong></td></tr>\n"
    "{% for key, label, n in board.figures.committee_rows %}{% if n %}"
    '<tr><th scope="row" class="sub">{{ label }}</th><td class="n">{{ n|intcomma }}</td></tr>'
    "{% endif %}{% endfor %}\n"
    '<tr><th scope="row">{% translate "People in care work" %}</th><td class="n"><strong>'
    "{{ board.figures.participants|intcomma }}</strong></td></tr>\n"
    '<tr><th scope="row">{% translate "of whom five elders" %}</th><td class="n"><strong>'
    "{{ board.figures.five_elders|intcomma }}</strong></td></tr>\n"
    "{% for key, label, n in board.figures.elder_rows %}"
    '<tr><th scope="row" class="sub">{{ label }}</th><td class="n">{{ n|intcomma }}</td></tr>'
    "{% endfor %}\n"
    '<tr><th scope="row">{% translate "Grassroots committees (below township level)" %}</th>'
    '<td class="n"><strong>{{ board.five_good.base|intcomma }}</strong></td></tr>\n'
    '<tr><th scope="row">{% if board.five_good.year %}{% blocktranslate with '
    "year=board.five_good.year %}Five-good committees ({{ year }}){% endblocktranslate %}"
    '{% else %}{% translate "Five-good committees" %}{% endif %}</th><td class="n"><strong>'
    "{{ board.five_good.count|intcomma }}</strong></td></tr>\n"
    '<tr><th scope="row">{% translate "Five-good rate" %}</th><td class="n"><strong>'
    "{{ board.five_good.rate|percent }}</strong></td></tr>\n"
    "</table>\n"
)

OLD_SUMMARY = (
    '{% load i18n humanize charts %}<div class="kpis">\n'
    '<div class="kpi{% if board.parent_total and board.five_good.rate < board.parent_total.five_good.rate %} warn{% endif %}"><div class="v">{{ board.five_good.rate|percent }}</div><div class="k">{% if board.five_good.year %}{% blocktranslate with year=board.five_good.year count=board.five_good.count base=board.five_good.base %}Five-good rate {{ year }}: {{ count }} of {{ base }} grassroots committees{% endblocktranslate %}{% else %}{% translate "Five-good rate: no accepted assessment yet" %}{% endif %}</div>{% if board.five_good.year %}<div class="k">{% delta board.total.five_good_change.rate True as change %}{% blocktranslate with year=board.total.five_good_previous.year %}{{ change }} since {{ year }}{% endblocktranslate %}</div>{% endif %}</div>\n'  # noqa: E501
    '<div class="kpi"><div class="v">{{ board.figures.committees|intcomma }}</div><div class="k">{% translate "Care committees" %}</div></div>\n'  # noqa: E501
    '<div class="kpi"><div class="v">{{ board.figures.participants|intcomma }}</div><div class="k">{% translate "People in care work" %} · {% blocktranslate with n=board.figures.five_elders|intcomma %}{{ n }} five elders{% endblocktranslate %}</div></div>\n'  # noqa: E501
    '<div class="kpi{% if board.tasks.overdue %} warn{% endif %}"><div class="v">{{ board.tasks.on_time }}/{{ board.tasks.due }}</div><div class="k">{% blocktranslate with year=board.tasks.year %}Task reports on time, due {{ year }}{% endblocktranslate %}{% if board.tasks.overdue %} · {% blocktranslate with n=board.tasks.overdue %}{{ n }} overdue{% endblocktranslate %}{% endif %}</div></div>\n'  # noqa: E501
    "</div>\n"
)

OLD_CHANGE = (
    '{% load i18n charts %}{% with t=board.total %}<table class="change">\n'
    '<thead><tr><th scope="col">{% translate "Figure" context "dashboard" %}</th><th scope="col" class="n">{% translate "Change" context "since last year" %}</th></tr></thead>\n'  # noqa: E501
    "<tbody>\n"
    '{% if t.five_good.year %}<tr><th scope="row">{% translate "Five-good committees" %}<br><span class="muted">{{ t.five_good_previous.year }}: {{ t.five_good_previous.count }} → {{ t.five_good.year }}: {{ t.five_good.count }}</span></th><td class="n">{% delta t.five_good_change.count %}</td></tr>\n'  # noqa: E501
    '<tr><th scope="row">{% translate "Five-good rate" %}<br><span class="muted">{{ t.five_good_previous.year }}: {{ t.five_good_previous.rate|percent }} → {{ t.five_good.year }}: {{ t.five_good.rate|percent }}</span></th><td class="n">{% delta t.five_good_change.rate True %}</td></tr>{% endif %}\n'  # noqa: E501
    '<tr><th scope="row">{% translate "Task reports on time" %}<br><span class="muted">{{ t.tasks_previous.year }}: {{ t.tasks_previous.on_time }} → {{ t.tasks.year }}: {{ t.tasks.on_time }}</span></th><td class="n">{% delta t.tasks_on_time_change %}</td></tr>\n'  # noqa: E501
    '<tr><th scope="row">{% translate "Share of reports on time" %}<br><span class="muted">{{ t.tasks_previous.year }}: {{ t.tasks_previous.on_time_rate|percent }} → {{ t.tasks.year }}: {{ t.tasks.on_time_rate|percent }}</span></th><td class="n">{% delta t.tasks_on_time_rate_change True %}</td></tr>\n'  # noqa: E501
    "</tbody></table>{% endwith %}\n"
    '<p class="muted">{% translate "People in care work are not compared with last year: the records keep who works in the committees now, not who left during the year." %}</p>\n'  # noqa: E501
)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize("with_year", [True, False])
def test_the_seed_table_is_the_old_templates_byte_for_byte(cast, lang, with_year) -> None:
    if with_year:
        rnd = assessment_round(unit=cast.banner, year=2025, title="轮次")
        assess(rnd, cast.village1a, passed=True)
    board = dashboard(unit=cast.banner, today=dt.date(2026, 3, 1))
    assert bool(board.five_good.year) == with_year
    context = {"board": board}
    with translation.override(lang):
        old = Template(OLD_SEED).render(Context(context))
        new = Template("{% load charts %}{% seed_table board %}").render(Context(context))
    assert new == old
    assert "<table>" in new and new.count("<tr>") >= 6


def _board(**n: int) -> NS:
    """A dashboard-like object with large numbers (grouped in thousands)."""
    rows = [("village", "嘎查", n.get("village", 12345)), ("school", "学校", 0)]
    elders = [("cadre", "老干部", 1234567), ("teacher", "<老教师>", 7)]
    return NS(
        figures=NS(
            committees=n.get("committees", 1234),
            committee_rows=lambda: rows,
            participants=n.get("participants", 1000000),
            five_elders=999,
            elder_rows=lambda: elders,
        ),
        five_good=NS(base=n.get("base", 98765), count=4321, rate=0.0437, year=2026),
    )


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en", "de"])
def test_large_numbers_are_grouped_as_intcomma_groups_them(lang) -> None:
    context = {"board": _board()}
    with translation.override(lang):
        old = Template(OLD_SEED).render(Context(context))
        new = Template("{% load charts %}{% seed_table board %}").render(Context(context))
    assert new == old
    assert "&lt;老教师&gt;" in new  # labels are escaped
    assert "学校" not in new  # a kind without committees has no row


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize("case", ["banner", "township-siblings", "no-year", "overdue"])
def test_the_summary_is_the_old_templates_byte_for_byte(cast, lang, case) -> None:
    if case != "no-year":
        rnd = assessment_round(unit=cast.banner, year=2025, title="轮次")
        assess(rnd, cast.village1a, passed=True)
    if case == "overdue":
        deployed = task(unit=cast.banner, due_on=dt.date(2026, 2, 1))
        report(deployed, cast.township1, status=ReportStatus.PENDING)
    unit = cast.township2 if case == "township-siblings" else cast.banner
    board = dashboard(unit=unit, siblings=True, today=dt.date(2026, 3, 1))
    assert bool(board.five_good.year) == (case != "no-year")
    assert bool(board.tasks.overdue) == (case == "overdue")
    context = {"board": board}
    with translation.override(lang):
        old = Template(OLD_SUMMARY).render(Context(context))
        new = Template("{% load charts %}{% summary_kpis board %}").render(Context(context))
    assert new == old


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize("case", ["up", "down", "no-year"])
def test_the_change_table_is_the_old_templates_byte_for_byte(cast, lang, case) -> None:
    if case != "no-year":
        before = assessment_round(unit=cast.banner, year=2024, title="前一轮")
        now = assessment_round(unit=cast.banner, year=2025, title="轮次")
        assess(before, cast.village1a, passed=case == "down")
        assess(before, cast.village1b, passed=case == "down")
        assess(now, cast.village1a, passed=True)
    deployed = task(unit=cast.banner, due_on=dt.date(2026, 2, 1))
    report(deployed, cast.township1, status=ReportStatus.SUBMITTED)
    board = dashboard(unit=cast.banner, today=dt.date(2026, 3, 1))
    assert bool(board.five_good.year) == (case != "no-year")
    context = {"board": board}
    with translation.override(lang):
        old = Template(OLD_CHANGE).render(Context(context))
        new = Template("{% load charts %}{% change_table board %}").render(Context(context))
    assert new == old


# ``stats/_work.html`` before issue 17, kept here as the reference.
OLD_WORK = (
    "{% load i18n charts %}<h3>{% blocktranslate with year=board.tasks.year %}Task reports due in {{ year }}{% endblocktranslate %}</h3>\n"  # noqa: E501
    '{% if board.tasks.due %}{% translate "Task reports by outcome" as tt %}\n'
    "{% stacked_bar tasks_segments tt %}\n"
    "<p>{% blocktranslate with rate=board.tasks.on_time_rate|percent %}On time: {{ rate }} of the reports due.{% endblocktranslate %}</p>\n"  # noqa: E501
    '{% else %}<p class="muted">{% translate "No task reports are due this year in this unit or below it." %}</p>{% endif %}\n'  # noqa: E501
    '<h3>{% translate "Assessments" context "dashboard" %}{% if board.progress.year %} · {{ board.progress.year }}{% endif %}</h3>\n'  # noqa: E501
    '{% if board.progress.total %}{% translate "Assessments by status" as pt %}\n'
    "{% stacked_bar progress_segments pt %}\n"
    "<p>{% blocktranslate with passed=board.progress.passed accepted=board.progress.accepted %}{{ passed }} of the {{ accepted }} accepted meet the standard.{% endblocktranslate %}</p>\n"  # noqa: E501
    '<p class="muted">{% for r in board.rounds %}{{ r.title }}{% if not forloop.last %} · {% endif %}{% endfor %}</p>\n'  # noqa: E501
    '{% else %}<p class="muted">{% translate "No assessment round covers this unit yet." %}</p>{% endif %}\n'  # noqa: E501
)


def _work_board(*, due: int, total: int, rounds: int) -> NS:
    return NS(
        tasks=NS(year=2026, due=due, on_time_rate=0.667 if due else None),
        progress=NS(year=2025 if total else None, total=total, passed=1234567, accepted=7654321),
        rounds=[NS(title="<第一轮> & 复核"), NS(title="二")][:rounds],
    )


SEGMENTS = [("按时", 1234567, "#1a7f4b"), ("<迟>", 0, "#e0a800"), ("逾期", 3, "#a65000")]


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize(
    "shape", [(3, 4, 2), (3, 4, 1), (3, 4, 0), (0, 4, 2), (3, 0, 0), (0, 0, 0)]
)
def test_the_work_part_is_the_old_templates_byte_for_byte(lang, shape) -> None:
    due, total, rounds = shape
    context = {
        "board": _work_board(due=due, total=total, rounds=rounds),
        "tasks_segments": SEGMENTS,
        "progress_segments": SEGMENTS[::-1],
    }
    new_tpl = "{% load charts %}{% work_part board tasks_segments progress_segments %}"
    with translation.override(lang):
        old = Template(OLD_WORK).render(Context(context))
        new = Template(new_tpl).render(Context(context))
    assert new == old
    if rounds:
        assert "&lt;第一轮&gt; &amp; 复核" in new  # titles are escaped


@pytest.mark.parametrize("lang", ["zh-hans", "mn-mong"])
def test_the_work_part_of_a_real_board_is_the_old_templates(cast, lang) -> None:
    from django.test import RequestFactory

    from nutag.stats import views

    rnd = assessment_round(unit=cast.banner, year=2025, title="轮次")
    assess(rnd, cast.village1a, passed=True)
    deployed = task(unit=cast.banner, due_on=dt.date(2026, 2, 1))
    report(deployed, cast.township1, status=ReportStatus.SUBMITTED)
    board = dashboard(unit=cast.banner, today=dt.date(2026, 3, 1))
    context = views._context(RequestFactory().get("/"), board)
    assert board.tasks.due and board.progress.total
    new_tpl = "{% load charts %}{% work_part board tasks_segments progress_segments %}"
    with translation.override(lang):
        old = Template(OLD_WORK).render(Context(context))
        new = Template(new_tpl).render(Context(context))
    assert new == old


# The dashboard page's head and chart before issue 17's session 6, kept here as the reference.
OLD_HEAD = "{% load i18n charts local_names %}" + (
    '{% if ancestors %}<nav class="crumbs" aria-label="{% translate \'Units above\' %}">{% for a in ancestors %}<a href="{% url \'unit-figures\' a.code %}{{ query }}">{{ a|local_name }}</a> › {% endfor %}</nav>{% endif %}\n'  # noqa: E501
    "<h1>{{ unit|local_name }}</h1>\n"
    '{% if unit.name_mn %}<p><span class="mn-name" lang="mn-Mong">{{ unit.name_mn }}</span></p>{% endif %}\n'  # noqa: E501
    '<p class="muted">{{ unit.get_kind_display }} · {% translate "figures over this unit and every unit below it, computed from the records" %}{% if year %} · {% blocktranslate %}year {{ year }}{% endblocktranslate %}{% endif %}</p>\n'  # noqa: E501
)
OLD_CHART = "{% load i18n charts local_names %}" + (
    "{% if children_chart %}\n"
    '<h2 id="chart">{% translate "Five-good rate of the units below" %}</h2>\n'
    '<div class="card">{% blocktranslate with name=unit|local_name asvar ct %}Five-good rate of the units below {{ name }}, lowest first{% endblocktranslate %}{% rate_chart children_chart board.five_good.rate ct unit.name "c1" %}\n'  # noqa: E501
    '<p class="key">{% blocktranslate with name=unit|local_name rate=board.five_good.rate|percent %}The line is {{ name }}\'s rate ({{ rate }}); <span class="below">orange bars</span> are below it. Lowest first.{% endblocktranslate %}</p></div>\n'  # noqa: E501
    "{% elif siblings_chart %}\n"
    '<h2 id="chart">{% translate "Five-good rate beside the units next to it" %}</h2>\n'
    '<div class="card">{% blocktranslate with name=board.parent.name asvar st %}Five-good rate of the units below {{ name }}, lowest first{% endblocktranslate %}{% rate_chart siblings_chart board.parent_total.five_good.rate st board.parent.name "c2" %}\n'  # noqa: E501
    '<p class="key">{% blocktranslate with name=board.parent.name rate=board.parent_total.five_good.rate|percent %}The line is {{ name }}\'s rate ({{ rate }}); <span class="below">orange bars</span> are below it. Lowest first.{% endblocktranslate %}</p></div>\n'  # noqa: E501
    "{% endif %}"
)
NEW_HEAD = "{% load charts %}{% figures_head unit ancestors year %}"
NEW_CHART = "{% load charts %}{% chart_card board children_chart siblings_chart %}"


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize("case", ["banner", "township-siblings", "village-siblings", "no-chart"])
@pytest.mark.parametrize("year", [None, 2025])
def test_the_head_and_chart_are_the_old_templates_byte_for_byte(cast, lang, case, year) -> None:
    from django.test import RequestFactory

    from nutag.orgs.models import Unit
    from nutag.stats import views

    rnd = assessment_round(unit=cast.banner, year=2025, title="轮次")
    assess(rnd, cast.village1a, passed=True)
    assess(rnd, cast.village1b, passed=False)
    Unit.objects.filter(pk=cast.township1.pk).update(name_mn="ᠰᠤᠮᠤ <1>", name="<一>镇")
    unit = {
        "banner": cast.banner,
        "township-siblings": cast.township1,
        "village-siblings": cast.village1a,
        "no-chart": cast.school1,
    }[case]
    unit.refresh_from_db()
    board = dashboard(unit=unit, year=year, siblings=case != "no-chart", today=dt.date(2026, 3, 1))
    request = RequestFactory().get("/")
    context = views._context(request, board)
    for key in ("voice", "disclosure", "market", "revival", "grid"):
        context.pop(key)
    charts = (bool(context["children_chart"]), bool(context["siblings_chart"]))
    with translation.override(lang):
        old = Template(OLD_HEAD + OLD_CHART).render(Context(context))
        new = Template(NEW_HEAD + NEW_CHART).render(Context(context))
    assert new == old
    if case == "banner":
        assert charts[0] and 'id="c1"' not in new and "c1-t" in new
    if case == "village-siblings":
        assert charts == (False, True) and "c2-t" in new and 'class="crumbs"' in new
        assert "&lt;一&gt;镇" in new or "ᠰᠤᠮᠤ &lt;1&gt;" in new  # the township above, escaped
