"""Figures over a unit and its subtree, each read in a fixed number of queries.

- ``figures``: the seed's table (committees by kind, people in care work, five elders);
- ``five_good``: five-good committees and their rate over grassroots committees;
- ``dashboard``: all of it for a unit, its children and its siblings, with the work figures
  (tasks, assessment progress) and the change since last year.
"""

from nutag.stats.selectors.dashboard import (
    ChartRow,
    Dashboard,
    Progress,
    RoundRef,
    TaskFigures,
    UnitRow,
    dashboard,
)
from nutag.stats.selectors.figures import UnitFigures, unit_figures
from nutag.stats.selectors.five_good import FiveGood, FiveGoodChange, five_good, five_good_change

__all__ = [
    "ChartRow",
    "Dashboard",
    "FiveGood",
    "FiveGoodChange",
    "Progress",
    "RoundRef",
    "TaskFigures",
    "UnitFigures",
    "UnitRow",
    "dashboard",
    "five_good",
    "five_good_change",
    "unit_figures",
]
