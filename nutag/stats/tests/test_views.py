"""The dashboard page, its workbook and its printable report: rights first, then content."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nutag.assess.models import AssessmentStatus, ReportStatus
from nutag.disclosure.selectors.figures import DISCLOSURE_DASHBOARD_QUERIES
from nutag.factories import PersonFactory, make_care_worker, make_unit
from nutag.grid.selectors.figures import GRID_FIGURE_QUERIES
from nutag.market.selectors.figures import MARKET_FIGURE_QUERIES
from nutag.orgs.models import UnitKind
from nutag.revival.selectors.figures import REVIVAL_FIGURE_QUERIES
from nutag.stats.exporting import CHILDREN_TITLE, ROW_HEADERS, SIBLINGS_TITLE, SUMMARY_TITLE
from nutag.stats.templatetags.charts import COLOUR_BELOW
from nutag.stats.tests.work import assess, assessment_round, report, task
from nutag.study.selectors.figures import STUDY_FIGURE_QUERIES
from nutag.tourism.selectors.figures import TOURISM_FIGURE_QUERIES
from nutag.voice.selectors.figures import VOICE_FIGURE_QUERIES
from nutag.youth.selectors.figures import YOUTH_FIGURE_QUERIES

pytestmark = pytest.mark.django_db

PAGES = ("/u/{}/figures/", "/u/{}/figures/export.xlsx", "/u/{}/figures/print/")


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _work(cast) -> None:  # type: ignore[no-untyped-def]
    rnd = assessment_round(unit=cast.banner, year=2025, title="2025年度五好基层关工委评定")
    assess(rnd, cast.village1a)
    assess(rnd, cast.village1b, passed=False)
    assess(rnd, cast.village2a)
    assess(rnd, cast.school1, status=AssessmentStatus.SUBMITTED)
    deployed = task(unit=cast.banner, due_on=dt.date(timezone.localdate().year, 1, 1))
    report(deployed, cast.township1, status=ReportStatus.ACCEPTED)
    report(deployed, cast.township2)
    make_care_worker(
        person=PersonFactory(unit=cast.village2a, name="二甲五老"), unit=cast.village2a
    )


# --- Negatives first ------------------------------------------------------------------------


def test_unknown_unit_is_404_everywhere(client):
    for page in PAGES:
        assert client.get(page.format("000000")).status_code == 404


@override_settings(NUTAG_PUBLIC_STATS=False)
def test_private_figures_anonymous_gets_404_everywhere(cast, client):
    for page in PAGES:
        for unit in (cast.banner, cast.township1, cast.village1a):
            assert client.get(page.format(unit.code)).status_code == 404, (page, unit)


@override_settings(NUTAG_PUBLIC_STATS=False)
def test_private_figures_sibling_and_parent_get_404(cast):
    client = login(cast.township1_officer)
    for page in PAGES:
        assert client.get(page.format(cast.banner.code)).status_code == 404
        assert client.get(page.format(cast.township2.code)).status_code == 404
        assert client.get(page.format(cast.village2a.code)).status_code == 404
        assert client.get(page.format(cast.township1.code)).status_code == 200
        assert client.get(page.format(cast.village1a.code)).status_code == 200
    # a village officer sees their village only, not the sibling village
    client = login(cast.village1a_officer)
    for page in PAGES:
        assert client.get(page.format(cast.village1b.code)).status_code == 404
        assert client.get(page.format(cast.township1.code)).status_code == 404
        assert client.get(page.format(cast.village1a.code)).status_code == 200
    # residents and volunteers hold no position: nothing
    client = login(cast.resident)
    for page in PAGES:
        assert client.get(page.format(cast.village1a.code)).status_code == 404


@override_settings(NUTAG_PUBLIC_STATS=False)
def test_private_figures_show_nothing_of_a_sibling_subtree(cast):
    _work(cast)
    client = login(cast.township1_officer)
    for page in ("/u/{}/figures/", "/u/{}/figures/print/"):
        html = client.get(page.format(cast.township1.code)).content.decode()
        assert cast.township1.name in html and cast.village1a.name in html
        assert cast.township2.name not in html
        assert cast.village2a.name not in html
        assert 'id="siblings"' not in html
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/u/{cast.township1.code}/figures/export.xlsx").content)
    )
    assert SIBLINGS_TITLE not in book.sheetnames
    cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert cast.township2.name not in cells and cast.village2a.name not in cells
    # the banner's officer may compare the township with its siblings
    html = login(cast.banner_officer).get(f"/u/{cast.township1.code}/figures/").content.decode()
    assert 'id="siblings"' in html and cast.township2.name in html


# --- The page --------------------------------------------------------------------------------


def test_page_pictures_first_then_tables(cast, client):
    _work(cast)
    r = client.get(f"/u/{cast.banner.code}/figures/")
    assert r.status_code == 200
    html = r.content.decode()
    chart = html.index('<svg class="chart"')
    assert chart < html.index("<table")
    assert 'role="img"' in html and "<desc" in html  # words for screen readers
    # laggards first: township 1 (1 of 3) before township 2 (1 of 1), in the warning colour
    svg = html[chart : html.index("</svg>", chart)]
    assert svg.index(cast.township1.name) < svg.index(cast.township2.name)
    assert svg.count(COLOUR_BELOW) == 2  # township 1's bar and its figures
    for unit in (cast.township1, cast.township2):
        assert f'href="/u/{unit.code}/figures/"' in html  # drill down
    assert f'href="/u/{cast.banner.code}/figures/export.xlsx"' in html
    assert f'href="/u/{cast.banner.code}/figures/print/"' in html
    assert "▲" in html or "▼" in html or 'class="delta same"' in html
    assert 'id="siblings"' not in html  # the root has none


def test_page_of_a_township_compares_with_its_siblings(cast, client):
    _work(cast)
    html = client.get(f"/u/{cast.township1.code}/figures/").content.decode()
    assert 'id="siblings"' in html
    assert 'aria-current="true"' in html  # this unit marked among its siblings
    assert f'href="/u/{cast.township2.code}/figures/"' in html
    html = client.get(f"/u/{cast.village1a.code}/figures/").content.decode()
    assert '<svg class="chart"' in html  # a village has no children: its siblings' chart


def test_page_year_parameter(cast, client):
    _work(cast)
    html = client.get(f"/u/{cast.banner.code}/figures/?year=2024").content.decode()
    assert "export.xlsx?year=2024" in html
    for bad in ("abc", "1800", "-1", "20255"):
        assert client.get(f"/u/{cast.banner.code}/figures/?year={bad}").status_code == 200


def _page_queries(client: Client, url: str) -> int:
    """The queries of a page rendered anew (a cache miss)."""
    from django.core.cache import cache

    from nutag.stats.caching import unit_path_for_code

    client.get(url)
    cache.clear()
    # The unit's path, which a worker keeps until the units change; with Redis the clear
    # above forgets the generation it is kept under, so read it again outside the count.
    unit_path_for_code(url.split("/")[2])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_run_the_same_queries_for_3_and_40_units(db, client):
    small = make_unit(parent=None, kind=UnitKind.BANNER, name="小旗", code="150801")
    town = make_unit(parent=small, kind=UnitKind.TOWNSHIP, name="小镇")
    assess(
        assessment_round(unit=small, year=2025), make_unit(parent=town, kind="village", name="村")
    )
    big = make_unit(parent=None, kind=UnitKind.BANNER, name="大旗", code="150802")
    rnd = assessment_round(unit=big, year=2025)
    deployed = task(unit=big, due_on=dt.date(2026, 3, 1))
    towns = []
    for t in range(3):
        towns.append(make_unit(parent=big, kind=UnitKind.TOWNSHIP, name=f"镇{t}"))
        report(deployed, towns[-1], status=ReportStatus.SUBMITTED)
        for v in range(12):
            village = make_unit(parent=towns[-1], kind=UnitKind.VILLAGE, name=f"村{t}{v}")
            assess(rnd, village, passed=v % 2 == 0)
            make_care_worker(person=PersonFactory(unit=village), unit=village)
    for page in PAGES:
        # the unit, then the dashboard's five reads (see the module docstring of
        # nutag/stats/selectors/dashboard.py; four when no round covers the unit), and each
        # app's fixed number of reads for its part: the residents' voice (six, on the
        # dashboard only: nutag/voice/selectors/figures.py), study and youth care (six:
        # nutag/youth/selectors/figures.py) on the dashboard and the print page; the workbook
        # has neither
        expected = {
            PAGES[0]: 6
            + VOICE_FIGURE_QUERIES
            + STUDY_FIGURE_QUERIES
            + YOUTH_FIGURE_QUERIES
            + DISCLOSURE_DASHBOARD_QUERIES  # the units from the seed table
            + MARKET_FIGURE_QUERIES
            + TOURISM_FIGURE_QUERIES
            + REVIVAL_FIGURE_QUERIES
            + GRID_FIGURE_QUERIES,
            PAGES[1]: 6,
            PAGES[2]: 6 + STUDY_FIGURE_QUERIES + YOUTH_FIGURE_QUERIES + TOURISM_FIGURE_QUERIES,
        }[page]
        assert _page_queries(client, page.format(small.code)) == expected
        assert _page_queries(client, page.format(big.code)) == expected
        assert _page_queries(client, page.format(town.code)) == expected
        assert _page_queries(client, page.format(towns[0].code)) == expected


# --- Exports ---------------------------------------------------------------------------------


def test_workbook_opens_with_chinese_headers_and_the_figures(cast, client):
    _work(cast)
    r = client.get(f"/u/{cast.township1.code}/figures/export.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"] and ".xlsx" in r["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == [SUMMARY_TITLE, CHILDREN_TITLE, SIBLINGS_TITLE]
    summary = book[SUMMARY_TITLE]
    assert [c.value for c in summary[1]] == ["项目", "数值", "说明"]
    items = {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert items["单位"] == cast.township1.name
    assert items["关工委"] == 4
    assert items["基层关工委"] == 3
    assert items["五好基层关工委"] == 1
    assert items["五好率（%）"] == 33.3
    assert items["应报任务"] == 1  # the township's report to the banner
    assert items["　按时上报"] == 1
    children = book[CHILDREN_TITLE]
    assert [c.value for c in children[1]] == ROW_HEADERS
    assert "五好关工委" in ROW_HEADERS and "关工委工作人员" in ROW_HEADERS
    names = [row[0] for row in children.iter_rows(min_row=2, values_only=True)]
    assert names == [
        cast.village1a.name,
        cast.village1b.name,
        cast.school1.name,
        f"合计（{cast.township1.name}）",
    ]
    siblings = [row[0] for row in book[SIBLINGS_TITLE].iter_rows(min_row=2, values_only=True)]
    assert siblings[0] == f"{cast.township1.name}（本单位）"
    assert siblings[-1] == f"合计（{cast.banner.name}）"


def test_print_report_is_a4_without_navigation(cast, client):
    _work(cast)
    r = client.get(f"/u/{cast.township1.code}/figures/print/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "@page { size: A4; margin: 15mm }" in html
    assert "break-inside:avoid" in html and "thead{display:table-header-group}" in html
    assert 'class="bar"' not in html  # no navigation bar
    assert "language_switch" not in html and "/text-size/" not in html
    head = html[html.index('<header class="report-head">') : html.index("</header>")]
    assert cast.township1.name in head
    assert timezone.localdate().strftime("%Y-%m-%d") in head
    assert cast.village1a.name in html  # the units below, on paper too
