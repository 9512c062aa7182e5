from __future__ import annotations

import datetime as dt

from ninja import Schema

from nutag.orgs.models import Unit


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class UnitRef(Schema):
    code: str
    name: str
    kind: str


def unit_ref(unit: Unit) -> dict[str, str]:
    """A unit as ``UnitRef``."""
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


class UnitOut(Schema):
    code: str
    name: str
    name_mn: str
    kind: str
    kind_label: str
    status: str
    parent: UnitRef | None
    children: int


class CommitteesOut(Schema):
    total: int
    by_kind: dict[str, int]


class FiveGoodOut(Schema):
    """Five-good committees (五好) of the latest year with an accepted five-good assessment,
    over the active grassroots committees (below township level) of the subtree."""

    count: int
    base: int
    rate: float  # count / base, rounded to 3 decimals; 0 when base is 0
    year: int | None


class YouthFiguresOut(Schema):
    """Youth care over the subtree: counts only, never a person (``youth.selectors.figures``)."""

    young_people: int
    by_circumstance: dict[str, int]
    pairs: int
    visits_by_month: dict[str, int]
    needs: int
    needs_resolved: int
    good_deeds: int
    people_helped: int


class StatsOut(Schema):
    unit: UnitRef
    committees: CommitteesOut
    participants: int
    five_elders: int
    five_elders_by_category: dict[str, int]
    five_good: FiveGoodOut
    youth: YouthFiguresOut


class UnitIn(Schema):
    code: str
    kind: str
    name: str
    name_mn: str = ""


class PartyIn(Schema):
    joined_on: dt.date | None = None
    is_mobile: bool = False
    current_location: str = ""


class CareIn(Schema):
    elder_category: str = ""
    since: dt.date | None = None


class YouthIn(Schema):
    school: str = ""


class PersonIn(Schema):
    name: str
    gender: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    id_number: str = ""
    is_resident: bool = False
    is_retired: bool = False
    note: str = ""
    party: PartyIn | None = None
    care: CareIn | None = None
    youth: YouthIn | None = None


class PersonOut(Schema):
    id: int
    name: str
    unit: UnitRef
    gender: str
    ethnicity: str
    birth_date: dt.date | None
    phone: str
    id_number: str
    roles: list[str]


class PositionIn(Schema):
    person_id: int
    title: str
    represents: str = ""


class PositionOut(Schema):
    id: int
    unit: UnitRef
    person_id: int
    person_name: str
    title: str
    access: str
    started_on: dt.date | None
    ended_on: dt.date | None
