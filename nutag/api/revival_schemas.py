"""Schemas of the revitalisation ledger's API: a household as its page shows it, a list row
(head's name masked) (the figures are
``schemas.RevivalFiguresOut``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema

from nutag.api.schemas import UnitRef


class HouseholdRowOut(Schema):
    id: int
    unit: UnitRef
    head: str  # masked
    members: int
    category: str
    status: str


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_on: dt.date
    reason: str


class PairingOut(Schema):
    id: int
    cadre: str
    started_on: dt.date
    ended_on: dt.date | None


class MeasureOut(Schema):
    kind: str
    description: str
    taken_on: dt.date
    amount: Decimal | None


class HouseholdVisitOut(Schema):
    visited_on: dt.date
    cadre: str | None
    notes: str


class IncomeOut(Schema):
    year: int
    per_capita: Decimal
    sources: str


class HouseholdOut(Schema):
    id: int
    unit: UnitRef
    head: str
    members: int
    category: str
    status: str
    watched_since: dt.date
    notes: str
    changes: list[StatusChangeOut]
    pairings: list[PairingOut]
    measures: list[MeasureOut]
    visits: list[HouseholdVisitOut]
    incomes: list[IncomeOut]
