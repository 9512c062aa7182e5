"""The dashboard as a formatted workbook: a summary sheet and one sheet per comparison.

Headers and item names are **Chinese whatever the UI language** (as for the roster: offices
pass these files up the tree and keep them with their own, see ``nutag.people.columns``).
Rates are written as numbers of percent (70.3, not "70.3%") so the cells stay computable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from nutag.core.xlsx import Sheet, sheets_to_xlsx
from nutag.orgs.models import UnitKind
from nutag.people.columns import ELDER_TEXT
from nutag.stats.selectors import Dashboard, UnitRow

KIND_TEXT: dict[str, str] = {
    UnitKind.BANNER: "旗",
    UnitKind.TOWNSHIP: "苏木（镇）",
    UnitKind.SUBDISTRICT: "街道办事处",
    UnitKind.ORGAN: "旗直机关",
    UnitKind.VILLAGE: "嘎查（村）",
    UnitKind.COMMUNITY: "社区",
    UnitKind.STATE_FIRM: "国有企业",
    UnitKind.PRIVATE_FIRM: "民营企业",
    UnitKind.SCHOOL: "中小学",
}

SUMMARY_TITLE = "汇总"
CHILDREN_TITLE = "下级单位"
SIBLINGS_TITLE = "同级比较"
SUMMARY_HEADERS = ["项目", "数值", "说明"]
ROW_HEADERS = [
    "单位",
    "单位代码",
    "类别",
    "关工委",
    "关工委工作人员",
    "五老",
    "基层关工委",
    "五好关工委",
    "五好率（%）",
    "上年五好关工委",
    "应报任务",
    "按时上报",
    "逾期上报",
    "逾期未报",
    "未到期待报",
    "按时率（%）",
    "考核总数",
    "已验收",
    "达标",
]
TOTAL = "合计"
THIS_UNIT = "（本单位）"


def _pct(rate: float) -> float:
    return round(rate * 100, 1)


def _year(year: int | None) -> str:
    return f"{year}年度" if year else "尚无已验收的考核"


def summary_rows(board: Dashboard, *, today: dt.date) -> list[list[Any]]:
    """The seed's table, the five-good figures, the work figures and the change, as
    ``(item, value, note)`` rows."""
    f, fg, tasks, progress = board.figures, board.five_good, board.tasks, board.progress
    total = board.total
    rows: list[list[Any]] = [
        ["单位", board.unit.name, f"代码 {board.unit.code}"],
        ["统计日期", today, "按系统记录实时计算，含本单位及所有下级单位"],
        ["关工委", f.committees, "个"],
        *([f"　其中：{KIND_TEXT[kind]}", n, ""] for kind, n in f.committees_by_kind.items() if n),
        ["关工委工作人员", f.participants, "人"],
        ["五老", f.five_elders, "人"],
        *([f"　其中：{ELDER_TEXT[cat]}", n, ""] for cat, n in f.elders_by_category.items()),
        ["基层关工委", fg.base, "苏木（镇）以下（含街道）"],
        ["五好基层关工委", fg.count, _year(fg.year)],
        ["五好率（%）", _pct(fg.rate), _year(fg.year)],
        ["应报任务", tasks.due, f"{tasks.year}年到期"],
        ["　按时上报", tasks.on_time, ""],
        ["　逾期上报", tasks.late, ""],
        ["　逾期未报", tasks.overdue, ""],
        ["　未到期待报", tasks.waiting, ""],
        ["按时率（%）", _pct(tasks.on_time_rate), ""],
        ["考核总数", progress.total, "；".join(r.title for r in board.rounds)],
        ["　未提交", progress.draft, ""],
        ["　待审核", progress.submitted, ""],
        ["　已退回", progress.returned, ""],
        ["　已验收", progress.accepted, ""],
        ["　其中达标", progress.passed, ""],
    ]
    if fg.year is not None:
        rows += [
            [
                "五好基层关工委较上年",
                total.five_good_change.count,
                f"{fg.year - 1}年度 {total.five_good_previous.count} 个",
            ],
            ["五好率较上年（百分点）", _pct(total.five_good_change.rate), ""],
        ]
    rows += [
        [
            "按时上报较上年",
            total.tasks_on_time_change,
            f"{tasks.year - 1}年 {total.tasks_previous.on_time} 次",
        ],
        ["按时率较上年（百分点）", _pct(total.tasks_on_time_rate_change), ""],
    ]
    return rows


def unit_row(row: UnitRow, *, name: str | None = None) -> list[Any]:
    f, fg, tasks, progress = row.figures, row.five_good, row.tasks, row.progress
    return [
        name or row.unit.name,
        row.unit.code,
        KIND_TEXT.get(row.unit.kind, row.unit.kind),
        f.committees,
        f.participants,
        f.five_elders,
        fg.base,
        fg.count,
        _pct(fg.rate),
        row.five_good_previous.count,
        tasks.due,
        tasks.on_time,
        tasks.late,
        tasks.overdue,
        tasks.waiting,
        _pct(tasks.on_time_rate),
        progress.total,
        progress.accepted,
        progress.passed,
    ]


def dashboard_sheets(board: Dashboard, *, today: dt.date) -> list[Sheet]:
    children: list[Sequence[Any]] = [unit_row(r) for r in board.children]
    children.append(unit_row(board.total, name=f"{TOTAL}（{board.unit.name}）"))
    sheets: list[Sheet] = [
        (SUMMARY_TITLE, SUMMARY_HEADERS, summary_rows(board, today=today)),
        (CHILDREN_TITLE, ROW_HEADERS, children),
    ]
    if board.siblings is not None and board.parent_total is not None:
        siblings: list[Sequence[Any]] = [
            unit_row(r, name=r.unit.name + (THIS_UNIT if r.is_current else ""))
            for r in board.siblings
        ]
        siblings.append(
            unit_row(board.parent_total, name=f"{TOTAL}（{board.parent_total.unit.name}）")
        )
        sheets.append((SIBLINGS_TITLE, ROW_HEADERS, siblings))
    return sheets


def dashboard_to_xlsx(*, board: Dashboard, today: dt.date) -> bytes:
    return sheets_to_xlsx(dashboard_sheets(board, today=today))
