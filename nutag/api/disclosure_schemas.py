"""Schemas of the disclosure API (``nutag/api/disclosure.py``; ``"disclosure"`` in the stats
is ``DisclosureStatsOut`` in ``schemas.py``). Amounts are JSON text (``"1234.50"``): yuan with
at most two decimals, never negative, so the schema states every rule the services check."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from nutag.api.schemas import JsonInt, UnitRef, bounds, one_of, text
from nutag.disclosure.models import Direction, DisclosureKind

Money = Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
PERIOD = Field(pattern=r"^20[0-9]{2}-(Q[1-4]|0[1-9]|1[0-2])$")


class DisclosureIn(Schema):
    kind: Annotated[str, one_of(DisclosureKind.values)]
    period: Annotated[str, PERIOD]
    title: Annotated[str, text(120, required=True)]
    body: Annotated[str, text(4000)] = ""
    income_total: Money | None = None
    spending_total: Money | None = None


class FinanceLineIn(Schema):
    direction: Annotated[str, one_of(Direction.values)]
    item: Annotated[str, text(120, required=True)]
    amount: Money
    note: Annotated[str, text(200)] = ""


class ProjectLineIn(Schema):
    name: Annotated[str, text(120, required=True)]
    budget: Money
    contractor: Annotated[str, text(120)] = ""
    progress: Annotated[JsonInt, bounds(0, 100)] = 0


class SubsidyLineIn(Schema):
    household: Annotated[str, text(60, required=True)]
    kind: Annotated[str, text(60, required=True)]
    amount: Money


class FinanceLineOut(Schema):
    id: int
    direction: str
    item: str
    amount: str
    note: str


class ProjectLineOut(Schema):
    id: int
    name: str
    budget: str
    contractor: str
    progress: int


class SubsidyLineOut(Schema):
    id: int
    household: str  # masked by the banner's rule, always
    kind: str
    amount: str


class DisclosureRowOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    period_start: dt.date
    period_end: dt.date
    title: str
    status: str
    version: int
    supersedes: int | None
    signed_off_at: dt.datetime | None


class ChangeOut(Schema):
    table: str
    what: str
    label: str
    before: str
    after: str


class DisclosureOut(DisclosureRowOut):
    body: str
    correction_note: str
    income_total: str | None
    spending_total: str | None
    finance: list[FinanceLineOut]
    projects: list[ProjectLineOut]
    subsidies: list[SubsidyLineOut]
    changes: list[ChangeOut]
