"""The deterministic plan of the demo's people, positions and guardianships.

Seeded, with ages counted from ``REFERENCE_DATE``: every call plans exactly the same people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from nutag.orgs.models import PositionTitle, UnitKind
from nutag.people.models import ElderCategory, Gender
from nutag.people.services import CareInput, PartyInput, PersonInput, YouthInput

from .data import (
    BANNER_CODE,
    CARE_WORKERS,
    CHAIR_NOT_SECRETARY,
    DEVIATIONS,
    ELDERS_BY_CATEGORY,
    FIVE_ELDERS,
    MOBILE_KINDS,
    MOBILE_LOCATIONS,
    NO_VICE_CHAIR,
    OFFICERS,
    OTHERS,
    REFERENCE_DATE,
    REPRESENTS,
    SEED,
    VICE_CHAIR_NOT_RETIRED,
    VOLUNTEER_WEIGHTS,
)
from .synthetic import _Gen
from .units import UnitSpec, unit_specs


@dataclasses.dataclass
class PlannedPerson:
    unit_code: str
    data: PersonInput


@dataclasses.dataclass
class PlannedPosition:
    person: int  # index into DemoPlan.people
    unit_code: str
    title: str
    represents: str = ""
    access: str | None = None
    started_on: dt.date | None = None


@dataclasses.dataclass
class PlannedGuardianship:
    young: int
    guardian: int
    relation: str


@dataclasses.dataclass
class DemoPlan:
    people: list[PlannedPerson]
    positions: list[PlannedPosition]
    guardianships: list[PlannedGuardianship]
    logins: dict[str, int]  # username -> index into people


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _Planner:
    def __init__(self) -> None:
        self.gen = _Gen(SEED)
        self.rng = self.gen.rng
        self.people: list[PlannedPerson] = []
        self.surnames: list[str] = []
        self.positions: list[PlannedPosition] = []
        self.guardianships: list[PlannedGuardianship] = []
        categories = [c for c, n in ELDERS_BY_CATEGORY.items() for _ in range(n)]
        self.rng.shuffle(categories)
        self.elder_pool = categories
        self.non_elders_used = 0

    # one person ------------------------------------------------------------------------------

    def person(
        self,
        unit_code: str,
        *,
        min_age: int,
        max_age: int,
        gender: str | None = None,
        ethnicity: str | None = None,
        surname: str | None = None,
        party: bool | float = False,
        mobile: bool = False,
        care: str | None = None,  # None: no committee work; "": volunteer; else a category
        youth_school: str | None = None,
        resident: bool = False,
        retired: bool = False,
        phone_share: float = 0.95,
    ) -> int:
        gen = self.gen
        gender = gender or gen.gender()
        ethnicity = ethnicity or gen.ethnicity(unit_code)
        name, family = gen.name(ethnicity, gender, surname)
        born = gen.birth_date(min_age, max_age)
        is_party = party if isinstance(party, bool) else self.rng.random() < party
        party_input = None
        if is_party:
            joined = gen.date_between(
                born + dt.timedelta(days=365 * 19), REFERENCE_DATE - dt.timedelta(days=200)
            )
            party_input = PartyInput(
                joined_on=joined,
                joined_on_precision="day",  # build.py copies the fields into the model
                is_mobile=mobile,
                current_location=self.rng.choice(MOBILE_LOCATIONS) if mobile else "",
            )
        care_input = None
        if care is not None:
            care_input = CareInput(
                elder_category=care,
                since=gen.date_between(dt.date(2005, 1, 1), REFERENCE_DATE),
            )
            if not care:
                self.non_elders_used += 1
        data = PersonInput(
            name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_date=born,
            phone=gen.phone() if min_age >= 18 and self.rng.random() < phone_share else "",
            id_number=gen.id_number(born, gender),
            is_resident=resident,
            is_retired=retired or bool(care),
            party=party_input,
            care=care_input,
            youth=YouthInput(school=youth_school) if youth_school is not None else None,
        )
        self.people.append(PlannedPerson(unit_code, data))
        self.surnames.append(family)
        return len(self.people) - 1

    def elder(self, unit_code: str, *, party: bool | float | None = None) -> int:
        category = self.elder_pool.pop()
        ages = (72, 92) if category == ElderCategory.VETERAN else (60, 84)
        if party is None:
            party = 0.9 if category in {ElderCategory.CADRE, ElderCategory.VETERAN} else 0.35
        return self.person(
            unit_code,
            min_age=ages[0],
            max_age=ages[1],
            party=party,
            care=category,
            retired=True,
            phone_share=0.7,
        )

    def hold(self, person: int, unit_code: str, title: str, represents: str = "") -> None:
        born = self.people[person].data.birth_date or REFERENCE_DATE
        started = self.gen.date_between(
            max(dt.date(2012, 1, 1), born + dt.timedelta(days=365 * 25)),
            REFERENCE_DATE - dt.timedelta(days=30),
        )
        self.positions.append(
            PlannedPosition(person, unit_code, title, represents, started_on=started)
        )

    # one unit's committee -------------------------------------------------------------------

    def staff(self, spec: UnitSpec) -> dict[str, int]:
        code, deviation = spec.code, DEVIATIONS.get(spec.code)
        staff: dict[str, int] = {}
        in_committee = deviation != CHAIR_NOT_SECRETARY
        secretary = self.person(
            code, min_age=35, max_age=56, party=True, care="" if in_committee else None
        )
        staff["secretary"] = secretary
        self.hold(secretary, code, PositionTitle.BRANCH_SECRETARY)
        if in_committee:
            self.hold(secretary, code, PositionTitle.CHAIR)
        else:
            chair = self.person(code, min_age=40, max_age=58, party=0.5, care="")
            self.hold(chair, code, PositionTitle.CHAIR)
        if deviation != NO_VICE_CHAIR:
            if deviation == VICE_CHAIR_NOT_RETIRED:
                vice = self.person(code, min_age=28, max_age=40, party=True, care="")
            else:
                vice = self.elder(code, party=True)
            self.hold(vice, code, PositionTitle.EXEC_VICE_CHAIR)
            self.hold(vice, code, PositionTitle.BRANCH_MEMBER)
        for represents in REPRESENTS[spec.kind]:
            member = self.person(code, min_age=26, max_age=55, party=0.5, care="")
            self.hold(member, code, PositionTitle.MEMBER, represents)
        officers = OFFICERS.get(spec.kind, 0)
        for _ in range(officers):
            officer = self.person(code, min_age=26, max_age=50, party=0.7, care="")
            self.hold(officer, code, PositionTitle.OFFICER)
            staff.setdefault("officer", officer)
        return staff

    def others(self, spec: UnitSpec, schools: dict[str, str]) -> dict[str, int]:
        code = spec.code
        members, residents, youths = OTHERS[spec.kind]
        found: dict[str, int] = {}
        for _ in range(members):
            mobile = spec.kind in MOBILE_KINDS and self.rng.random() < 0.2
            max_age = 50 if mobile else 70  # mobile members are those working away
            self.person(code, min_age=22, max_age=max_age, party=True, mobile=mobile)
        for _ in range(residents):
            index = self.person(code, min_age=20, max_age=78, party=0.08, resident=True)
            found.setdefault("resident", index)
        in_school = spec.kind == UnitKind.SCHOOL
        for _ in range(youths):
            ethnicity = self.gen.ethnicity(code)
            age = self.rng.randint(6, 15)  # still minors for a couple of years after 2026
            parent_gender = self.gen.gender()
            parent = self.person(
                code,
                min_age=age + 22,
                max_age=age + 36,
                gender=parent_gender,
                ethnicity=ethnicity,
                resident=not in_school,
            )
            young = self.person(
                code,
                min_age=age,
                max_age=age,
                ethnicity=ethnicity,
                # A child takes the father's surname (Mongol families often have none).
                surname=self.surnames[parent] if parent_gender == Gender.MALE else None,
                youth_school=spec.name if in_school else schools[code],
                resident=not in_school,
            )
            relation = "父亲" if parent_gender == Gender.MALE else "母亲"
            self.guardianships.append(PlannedGuardianship(young, parent, relation))
            if self.rng.random() < 0.35:
                grandparent_gender = self.gen.gender()
                grandparent = self.person(
                    code,
                    min_age=age + 48,
                    max_age=age + 64,
                    gender=grandparent_gender,
                    ethnicity=ethnicity,
                    resident=not in_school,
                    retired=True,
                    phone_share=0.6,
                )
                relation = "祖父" if grandparent_gender == Gender.MALE else "祖母"
                self.guardianships.append(PlannedGuardianship(young, grandparent, relation))
        return found


def _nearest_school(specs: list[UnitSpec]) -> dict[str, str]:
    """For each village and community: the school its young people attend."""
    by_parent = {s.parent: s.name for s in specs if s.kind == UnitKind.SCHOOL}
    default = next(s.name for s in specs if s.kind == UnitKind.SCHOOL)
    return {
        s.code: by_parent.get(s.parent, default)
        for s in specs
        if s.kind in {UnitKind.VILLAGE, UnitKind.COMMUNITY}
    }


LOGIN_UNITS = {
    "demo-township": "150725100",
    "demo-village": "150725100201",
    "demo-village2": "150725104201",
}


def plan_people(specs: list[UnitSpec] | None = None) -> DemoPlan:
    """Every demo person, position and guardianship, the same on every call."""
    specs = specs or unit_specs()
    planner = _Planner()
    staff = {spec.code: planner.staff(spec) for spec in specs}
    # Volunteers: the rest of the 1,679, spread by weight over the units.
    weights = [VOLUNTEER_WEIGHTS[s.kind] for s in specs]
    elders_left = len(planner.elder_pool)
    non_elders_left = CARE_WORKERS - FIVE_ELDERS - planner.non_elders_used
    if non_elders_left < 0:
        raise ValueError(f"The committees' officers alone exceed {CARE_WORKERS} care workers.")
    first_elder: dict[str, int] = {}
    for spec, n_elders, n_others in zip(
        specs, _apportion(elders_left, weights), _apportion(non_elders_left, weights), strict=True
    ):
        for _ in range(n_elders):
            index = planner.elder(spec.code)
            first_elder.setdefault(spec.code, index)
        for _ in range(n_others):
            planner.person(spec.code, min_age=24, max_age=62, party=0.4, care="")
    schools = _nearest_school(specs)
    other = {spec.code: planner.others(spec, schools) for spec in specs}
    village = LOGIN_UNITS["demo-village"]
    logins = {
        "demo-banner": staff[BANNER_CODE]["officer"],
        **{user: staff[code]["secretary"] for user, code in LOGIN_UNITS.items()},
        "demo-elder": first_elder[village],
        "demo-resident": other[village]["resident"],
    }
    return DemoPlan(planner.people, planner.positions, planner.guardianships, logins)
