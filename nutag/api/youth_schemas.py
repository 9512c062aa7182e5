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


class ActivityOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    title: str
    held_on: dt.date
    place: str
    capacity: int
    signed_up: int
    present: int
    report_article_id: int | None


class SignUpIn(Schema):
    young_id: int  # the young person's person id
    consent_by: int | None = None  # the consenting guardian's person id (minors)
    consent_how: str = ""  # paper, phone, person, message
    photo_consent: bool = False


class SignUpOut(Schema):
    id: int
    activity_id: int
    name: str  # masked
    consent_relation: str
    consent_how: str
    consent_at: dt.datetime | None
    photo_consent: bool
    checked_in_at: dt.datetime | None


class CheckInIn(Schema):
    token: str  # the signed code behind the activity's QR
    phone: str  # the consenting guardian's phone number


class CheckInOut(Schema):
    checked_in: int  # how many young people (never who)
