"""The dashboard's rows of units, built by ``charts.figure_rows`` instead of ~40 template
nodes a row (issue 17): the HTML must be the old template's, byte for byte."""

from __future__ import annotations

from types import SimpleNamespace as NS
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

# The loop ``stats/_rows.html`` had before issue 17, kept here as the reference.
OLD_LOOP = (
    "{% load i18n charts local_names %}"
    '{% for r in rows %}<tr{% if r.is_current %} class="current" aria-current="true"{% endif %}>'
    '<th scope="row">{% if links and not r.is_current %}<a href="{% url \'unit-figures\' '
    'r.unit.code %}{{ query }}">{{ r.unit|local_name }}</a>{% else %}{{ r.unit|local_name }}'
    '{% endif %}{% if r.is_current %} <span class="tag">{% translate "this unit" %}</span>'
    '{% endif %}{% if not r.unit.is_active %} <span class="tag warn">{% translate "closed" %}'
    "</span>{% endif %}</th>\n"
    '<td class="n">{{ r.five_good.count }}/{{ r.five_good.base }}</td><td class="n{% if '
    'r.five_good.base and r.five_good.rate < reference %} below{% endif %}">{% if '
    "r.five_good.base %}{{ r.five_good.rate|percent }}{% else %}–{% endif %}</td>"
    '<td class="n">{{ r.figures.participants }}</td><td class="n">{{ r.figures.five_elders }}'
    '</td><td class="n">{{ r.tasks.on_time }}/{{ r.tasks.due }}</td><td class="n">'
    "{{ r.progress.accepted }}/{{ r.progress.total }}</td></tr>{% endfor %}"
)
NEW = "{% load charts %}{% figure_rows rows links reference %}"


def _row(code: str, name: str, *, current: bool = False, active: bool = True, **n: Any) -> NS:
    return NS(
        unit=NS(
            code=code, name=name, name_mn="ᠮᠣᠩᠭᠣᠯ" if code.endswith("1") else "", is_active=active
        ),
        is_current=current,
        five_good=NS(count=n.get("count", 3), base=n.get("base", 7), rate=n.get("rate", 0.429)),
        figures=NS(participants=n.get("participants", 12345), five_elders=7),
        tasks=NS(on_time=2, due=3),
        progress=NS(accepted=1, total=4),
    )


ROWS = [
    _row("150725001", "第一镇"),
    _row("150725002", "<b>二</b> & 苏木", current=True),
    _row("150725003", "已撤销", active=False, base=0, rate=0.0),
    _row("150725004", "刚好", rate=0.5, base=2, count=1),
]


@pytest.mark.parametrize("lang", ["zh-hans", "mn-mong", "en"])
@pytest.mark.parametrize("links", [True, False])
@pytest.mark.parametrize("reference", [0.5, None])
def test_the_rows_are_the_old_templates_byte_for_byte(
    lang: str, links: bool, reference: float | None
) -> None:
    context = {"rows": ROWS, "links": links, "reference": reference, "query": "?year=2025&a=<"}
    with translation.override(lang):
        old = Template(OLD_LOOP).render(Context(context))
        new = Template(NEW).render(Context(context))
    assert new == old
    assert "&lt;b&gt;" in new  # names are escaped


# ``stats/_rows.html`` before issue 17 (around ``figure_rows``), kept here as the reference.
OLD_ROWS_TABLE = (
    '{% load i18n charts local_names %}<div class="scroll" tabindex="0"><table class="rows">\n'
    '<thead><tr><th scope="col">{% translate "Unit" %}</th><th scope="col" class="n">{% translate "Five-good" context "dashboard" %}</th><th scope="col" class="n">{% translate "Rate" context "dashboard" %}</th><th scope="col" class="n">{% translate "Care workers" context "dashboard" %}</th><th scope="col" class="n">{% translate "Five elders" context "dashboard" %}</th><th scope="col" class="n">{% translate "Reports on time" %}</th><th scope="col" class="n">{% translate "Accepted" context "dashboard" %}</th></tr></thead>\n'  # noqa: E501
    "<tbody>{% figure_rows rows links reference %}\n"
    '{% if total %}<tr><th scope="row">{% blocktranslate with name=total.unit|local_name %}Total ({{ name }}){% endblocktranslate %}</th><td class="n"><strong>{{ total.five_good.count }}/{{ total.five_good.base }}</strong></td><td class="n"><strong>{{ total.five_good.rate|percent }}</strong></td><td class="n">{{ total.figures.participants }}</td><td class="n">{{ total.figures.five_elders }}</td><td class="n">{{ total.tasks.on_time }}/{{ total.tasks.due }}</td><td class="n">{{ total.progress.accepted }}/{{ total.progress.total }}</td></tr>{% endif %}</tbody>\n'  # noqa: E501
    "</table></div>\n"
)

TABLE = "{% load charts %}{% rows_table rows links reference total %}"

TOTAL = NS(
    unit=NS(code="150725", name="<旗> & 县", name_mn="ᠬᠣᠰᠢᠭᠤ"),
    five_good=NS(count=1234567, base=7654321, rate=0.1613),
    figures=NS(participants=1000000, five_elders=98765),
    tasks=NS(on_time=12345, due=23456),
    progress=NS(accepted=3, total=4),
)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "mn-mong", "en"])
@pytest.mark.parametrize("total", [TOTAL, None])
@pytest.mark.parametrize("links", [True, False])
def test_the_rows_table_is_the_old_templates_byte_for_byte(lang, total, links) -> None:
    context = {
        "rows": ROWS,
        "links": links,
        "reference": 0.5,
        "total": total,
        "query": "?year=2025",
    }
    with translation.override(lang):
        old = Template(OLD_ROWS_TABLE).render(Context(context))
        new = Template(TABLE).render(Context(context))
    assert new == old
    if total:
        assert ("ᠬᠣᠰᠢᠭᠤ" if lang == "mn-mong" else "&lt;旗&gt; &amp; 县") in new
