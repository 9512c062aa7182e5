from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool, StrictInt

from nutag.orgs.models import Unit


class ErrorOut(Schema):
    """The one shape of every error the API answers (400, 401, 403, 404 …).

    ``detail`` says what went wrong in the caller's language; ``errors`` maps a field
    (``"payload.name"``, ``"query.limit"``, ``"__all__"`` for the request as a whole) to its
    messages, and is ``{}`` when no field is to blame (not found, not logged in).
    """

    detail: str
    errors: dict[str, list[str]]


ValidationErrorOut = ErrorOut  # the same shape: one error body everywhere


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


class VoiceStatsOut(Schema):
    """Residents' concerns handled in the subtree (``nutag.voice.selectors.figures``)."""

    concerns: int
    by_state: dict[str, int]
    by_category: dict[str, int]
    answered: int
    answered_in_time: int
    in_time_rate: float | None  # answered within the category's limit / answered
    median_hours_to_answer: float | None
    rated: int
    satisfaction: float | None  # mean rating, 1-5
    overdue: int
    polls_held: int
    aid_requests: int  # mutual-aid requests posted (hidden ones left out)
    aid_requests_met: int
    aid_offers: int
    emergencies: int  # published with the top of their area in the subtree


class StudyStatsOut(Schema):
    year: int
    lessons_completed: int
    learners: int
    hours: float
    party_members: int
    members_studied: int
    members_rate: float
    points: int
    column_reads: int


class MeetingsStatsOut(Schema):
    year: int
    branches: int
    branches_on_rhythm: int
    branches_behind: int
    held: dict[str, int]
    expected: dict[str, int]


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
    activities: int = 0
    participants: int = 0


class StatsOut(Schema):
    unit: UnitRef
    committees: CommitteesOut
    participants: int
    five_elders: int
    five_elders_by_category: dict[str, int]
    five_good: FiveGoodOut
    voice: VoiceStatsOut
    study: StudyStatsOut
    meetings: MeetingsStatsOut
    youth: YouthFiguresOut


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _date_text(value: Any) -> Any:
    """A date is JSON text ``YYYY-MM-DD`` (``format: date``), nothing else: no numbers (which
    pydantic would read as timestamps), no date-times."""
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


# Input types that accept exactly what the schema says (pydantic's lax mode would take
# "yes" for a boolean, "12" for an integer, 1700000000 for a date).
Date = Annotated[dt.date, BeforeValidator(_date_text)]
# Phone and ID number: the characters a person writes them with; the services then check
# the rules no pattern can state (the ID number's birth date and check digit).
Phone = Annotated[str, Field(pattern=r"^[0-9+() -]{0,30}$")]
IdNumber = Annotated[str, Field(pattern=r"^([0-9]{17}[0-9Xx])?$")]


class UnitIn(Schema):
    code: str
    kind: str
    name: str
    name_mn: str = ""


class PartyIn(Schema):
    joined_on: Date | None = None
    is_mobile: StrictBool = False
    current_location: str = ""


class CareIn(Schema):
    elder_category: str = ""
    since: Date | None = None


class YouthIn(Schema):
    school: str = ""


class PersonIn(Schema):
    name: str
    gender: str = ""
    ethnicity: str = ""
    birth_date: Date | None = None
    phone: Phone = ""
    id_number: IdNumber = ""
    is_resident: StrictBool = False
    is_retired: StrictBool = False
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
    person_id: StrictInt
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
