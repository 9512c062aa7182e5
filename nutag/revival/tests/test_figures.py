"""The revitalisation figures: counts only, small cells left out, a fixed number of queries,
rolled up the tree, in the dashboard and the stats API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.factories import make_household
from nutag.revival import services
from nutag.revival.selectors.figures import REVIVAL_FIGURE_QUERIES, revival_figures

TODAY = dt.date(2026, 12, 5)


def _ledger(cast):  # type: ignore[no-untyped-def]
    made = []
    for i, (unit, category) in enumerate(
        [
            (cast.village1a, "unstable"),
            (cast.village1a, "unstable"),
            (cast.village1b, "unstable"),
            (cast.village1b, "hardship"),
            (cast.village2a, "marginal"),
        ]
    ):
        h = make_household(unit=unit, name=f"户主{i}", category=category)
        made.append(h)
    for h, income in zip(made[:4], [6000, 7500, 8200, 9000], strict=True):
        services.income_set(acting_user=SYSTEM, household=h, year=2025, per_capita=Decimal(income))
    services.visit_add(
        acting_user=SYSTEM, household=made[0], visited_on=dt.date(2026, 3, 1), notes="走访"
    )
    services.visit_add(
        acting_user=SYSTEM, household=made[0], visited_on=dt.date(2025, 3, 1), notes="去年走访"
    )
    services.measure_add(
        acting_user=SYSTEM,
        household=made[1],
        kind="jobs",
        description="公益岗",
        taken_on=dt.date(2026, 1, 1),
    )
    return made


def test_figures_name_nobody_and_leave_small_cells_out(cast, django_assert_num_queries):
    _ledger(cast)
    with django_assert_num_queries(REVIVAL_FIGURE_QUERIES):
        town = revival_figures(unit=cast.township1, today=TODAY)
    assert town.households == 4
    assert town.by_category == {"unstable": 3}  # one hardship household: left out
    assert town.by_status == {"watched": 4}
    assert town.measures_by_kind == {"jobs": 1}
    assert town.visits_this_year == 1
    assert town.income_year == 2025 and town.income_households == 4
    assert town.average_income == 7675 and town.below_line == 1
    assert town.monitoring_line == 7000
    assert "户主" not in str(town.as_api())


def test_average_of_fewer_than_three_is_left_out(cast):
    _ledger(cast)
    village = revival_figures(unit=cast.village1a, today=TODAY)
    assert village.households == 2
    assert village.by_category == {} and village.average_income is None
    assert village.income_households == 0


def test_rolled_up_to_the_banner(cast, settings):
    settings.NUTAG_REVIVAL_MONITORING_LINE = 8000
    _ledger(cast)
    banner = revival_figures(unit=cast.banner, today=TODAY)
    assert banner.households == 5 and banner.below_line == 2 and banner.monitoring_line == 8000


def test_in_the_stats_api_and_the_dashboard(cast):
    _ledger(cast)
    data = Client().get(f"/api/v1/units/{cast.banner.code}/stats").json()
    revival = data["economy"]["revival"]
    assert revival["households"] == 5
    assert set(revival) >= {"by_category", "by_status", "measures_by_kind", "average_income"}
    page = Client().get(f"/u/{cast.township1.code}/figures/")
    assert page.status_code == 200
    assert 'id="revival"' in page.content.decode()


def _queryset_income(unit, today):  # type: ignore[no-untyped-def]
    """The incomes' queryset ``revival_figures`` read before issue 17's fixed SQL (the
    reference): ``(year, households, average, below the line)`` of the chosen year."""
    from django.db.models import Avg, Count, Q

    from nutag.orgs.paths import subtree_q
    from nutag.revival.models import IncomeRecord, monitoring_line
    from nutag.revival.selectors.figures import SMALLEST_SHOWN

    years = list(
        IncomeRecord.objects.filter(
            subtree_q(unit.path, "unit_path"), year__gte=today.year - 2, year__lte=today.year
        )
        .values("year")
        .annotate(
            n=Count("id"),
            avg=Avg("per_capita"),
            below=Count("id", filter=Q(per_capita__lt=monitoring_line())),
        )
        .order_by("-year")
    )
    chosen = next((y for y in years if y["n"] >= SMALLEST_SHOWN), None)
    if chosen is None:
        return (None, 0, None, 0)
    return (chosen["year"], chosen["n"], round(chosen["avg"]), chosen["below"])


def test_the_fixed_sql_gives_the_querysets_incomes_on_varied_data(cast):
    """Incomes with cents (averages at .5 and near it), on the line, of three years and one
    too old, in sibling villages: the chosen year, its count, average and those below the line
    are the queryset's for every unit."""
    incomes = {
        cast.village1a: [(2026, "7000.00"), (2026, "6999.99"), (2026, "7001.50"), (2023, "1.00")],
        cast.village1b: [(2026, "12345.67"), (2025, "8000.25"), (2025, "6000.75")],
        cast.village2a: [(2025, "7000.50"), (2025, "7001.50"), (2025, "7002.50"),
                         (2024, "100.10"), (2024, "0.00"), (2024, "99999.99")],
    }  # fmt: skip
    for unit, rows in incomes.items():
        for i, (year, amount) in enumerate(rows):
            h = make_household(unit=unit, name=f"户{unit.pk}-{i}", category="unstable")
            services.income_set(
                acting_user=SYSTEM, household=h, year=year, per_capita=Decimal(amount)
            )
    chosen = set()
    for unit in [cast.banner, cast.township1, cast.township2, cast.village1a, cast.village1b,
                 cast.village2a, cast.school1]:  # fmt: skip
        new = revival_figures(unit=unit, today=TODAY)
        got = (new.income_year, new.income_households, new.average_income, new.below_line)
        assert got == _queryset_income(unit, TODAY), unit
        chosen.add(got)
    assert (2025, 3, 7002, 0) in chosen  # village2a: 7001.5 rounds half to even
    assert (2026, 3, 7000, 1) in chosen  # village1a: the 2023 income is too old
    assert (None, 0, None, 0) in chosen  # village1b: no year with three households
