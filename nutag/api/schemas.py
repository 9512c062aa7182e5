from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, StrictInt

from nutag.orgs.models import Unit, UnitKind
from nutag.people.ethnicity import Ethnicity
from nutag.people.models import ElderCategory, Gender


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


class DisclosurePeriodStatsOut(Schema):
    period: str
    start: str
    end: str
    due_on: str
    units: int
    on_time: int
    late: int
    missing: int
    not_yet_due: int


# the disclosure calendar's figures (nutag/disclosure/selectors/figures.py)
class DisclosureStatsOut(Schema):
    kind: str
    due_days: int
    periods: list[DisclosurePeriodStatsOut]


class ShopFiguresOut(Schema):
    """The local products shop over the subtree (``market.selectors.figures``)."""

    products_listed: int
    orders: int
    orders_by_state: dict[str, int]
    completed_value: str  # yuan, two decimals: the completed orders' totals
    average_rating: float | None


class TourismFiguresOut(Schema):
    """Tourism over the subtree (``tourism.selectors.figures``)."""

    places: int
    places_by_kind: dict[str, int]
    year: int
    bookings_by_state: dict[str, int]
    guests_confirmed: int


class RevivalFiguresOut(Schema):
    """Households under watch over the subtree: counts and one average, never a household
    (``revival.selectors.figures``)."""

    households: int
    by_category: dict[str, int]
    by_status: dict[str, int]
    measures_by_kind: dict[str, int]
    visits_this_year: int
    monitoring_line: int
    income_year: int | None
    income_households: int
    average_income: int | None
    below_line: int


class GridFiguresOut(Schema):
    """Grid governance over the subtree: counts only, never a party (``grid.selectors.figures``)."""

    grids: int
    grids_with_worker: int
    incidents: int
    by_kind: dict[str, int]
    by_state: dict[str, int]
    resolved: int
    resolved_within_30_days: int
    resolved_within_30_days_share: float | None
    follow_ups_overdue: int


class EconomyOut(Schema):
    """The local economy's figures; each part is optional (issue 19)."""

    shop: ShopFiguresOut | None = None
    tourism: TourismFiguresOut | None = None
    revival: RevivalFiguresOut | None = None
    grid: GridFiguresOut | None = None


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
    disclosure: DisclosureStatsOut | None = None
    economy: EconomyOut = EconomyOut()


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
# What the schema states is what the services accept (schemathesis checks both ways,
# nutag/api/tests/test_fuzz.py). Phone: an 11-digit mobile number (with +86 / 0086 / 86 in
# front, spaces or dashes between groups) or a landline number with its area code.
# ID number: 18 characters with a birth date of real months and days; the rules no pattern
# can state (the date's existence and the check digit, GB 11643) stay the services'.
Phone = Annotated[
    str,
    Field(
        pattern=r"^((\+86|0086|86)[ -]?)?1[3-9][0-9]([ -]?[0-9]){8}$"
        r"|^0[0-9]{2,3}[ -]?[0-9]{7,8}$|^$"
    ),
]
IdNumber = Annotated[
    str,
    Field(
        pattern=r"^([0-9]{6}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])"
        r"[0-9]{3}[0-9Xx])?$"
    ),
]


# A character Python's str.strip() keeps (not ``\S``: regex engines and the generators that
# fuzz the schema disagree on whether U+0085 or U+001C are spaces; this list is explicit).
VISIBLE = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def text(max_length: int, *, required: bool = False) -> Any:
    """A text field: at most ``max_length`` characters; ``required``: with a visible one."""
    if required:
        return Field(min_length=1, max_length=max_length, pattern=VISIBLE)
    return Field(max_length=max_length)


def one_of(values: list[str]) -> Any:
    """A text field whose values the schema lists (the service refuses any other)."""
    extra: dict[str, Any] = {"enum": values}
    return Field(json_schema_extra=extra)


def _json_int(value: Any) -> Any:
    """JSON has one kind of number: 5.0 is the integer 5 (JSON Schema says so too); a
    string or a boolean is not an integer."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[StrictInt, BeforeValidator(_json_int)]


def _in_utc(value: dt.datetime) -> dt.datetime:
    """An aware moment in UTC: ISO 8601 allows offsets up to ±23:59, PostgreSQL only ±15:59
    ("time zone displacement out of range"), so the offset is resolved here, once."""
    if value.tzinfo is None:
        return value  # the server's time zone, as Django reads a naive time
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as e:
        raise ValueError("Enter a date and time within the years 1 to 9999.") from e


# A date and time sent to the API (a poll's opening, a meeting's start …).
Moment = Annotated[dt.datetime, AfterValidator(_in_utc)]


def bounds(low: int, high: int) -> Any:
    """``Annotated[JsonInt, bounds(low, high)]``: the range stated in the OpenAPI schema as
    minimum and maximum (after a ``BeforeValidator`` pydantic writes ``ge``/``le`` there,
    which no client and no fuzzer reads)."""
    return Field(ge=low, le=high, json_schema_extra={"minimum": low, "maximum": high})


UNIT_CODE = Field(pattern=r"^[0-9]{6,12}$")


class UnitIn(Schema):
    code: Annotated[str, UNIT_CODE]
    # a unit under this one: any kind but the banner (which kind may sit under which is the
    # service's rule, answered as 400 on ``kind``)
    kind: Annotated[str, one_of([k for k in UnitKind.values if k != UnitKind.BANNER])]
    name: Annotated[str, text(100, required=True)]
    name_mn: Annotated[str, text(200)] = ""


class PartyIn(Schema):
    joined_on: Date | None = None
    is_mobile: StrictBool = False
    current_location: Annotated[str, text(100)] = ""


class CareIn(Schema):
    elder_category: Annotated[str, one_of(["", *ElderCategory.values])] = ""
    since: Date | None = None


class YouthIn(Schema):
    school: Annotated[str, text(100)] = ""


class PersonIn(Schema):
    name: Annotated[str, text(50, required=True)]
    gender: Annotated[str, one_of(["", *Gender.values])] = ""
    ethnicity: Annotated[str, one_of(["", *Ethnicity.values])] = ""
    birth_date: Date | None = None
    phone: Phone = ""
    id_number: IdNumber = ""
    is_resident: StrictBool = False
    is_retired: StrictBool = False
    note: Annotated[str, text(200)] = ""
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


# The declared errors of most operations: a read (login, missing or out of reach) and a write
# (its input refused, login, forbidden, missing or out of reach).
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ValidationErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
}
