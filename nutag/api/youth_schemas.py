"""Schemas of the youth API: a record as the record page shows it (phones masked), and the
youth figures (counts only)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from nutag.api.schemas import UnitRef


class GuardianOut(Schema):
    name: str
    relation: str
    phone: str  # masked


class VisitOut(Schema):
    visited_on: dt.date
    kind: str
    mood: str
    study: str
    hardship: str
    guardianship: str
    help_given: str
    next_step: str


class PairOut(Schema):
    id: int
    elders: list[str]
    started_on: dt.date
    ended_on: dt.date | None
    visits: list[VisitOut]


class NeedOut(Schema):
    id: int
    need: str
    resource: str
    resolved_on: dt.date | None


class YouthRecordOut(Schema):
    id: int
    unit: UnitRef
    name: str
    age: int | None
    school: str
    school_class: str
    circumstances: list[str]
    notes: str
    status: str
    guardians: list[GuardianOut]
    pairs: list[PairOut]
    needs: list[NeedOut]


class YouthRowOut(Schema):
    id: int
    unit: UnitRef
    name: str  # masked
    age: int | None
    circumstances: list[str]
