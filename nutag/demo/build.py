"""Writing the demo to the database: units, people, positions and logins, idempotently."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import translation

from nutag.core.actors import SYSTEM
from nutag.core.text import clean_name, name_initials, name_pinyin
from nutag.orgs.models import (
    DEFAULT_ACCESS,
    Access,
    Branch,
    CareCommittee,
    Position,
    PositionTitle,
    Unit,
)
from nutag.orgs.services import default_body_names, unit_create
from nutag.people.models import (
    CareWorker,
    Guardianship,
    PartyMembership,
    Person,
    YoungPerson,
)
from nutag.people.tallies import care_tally_refresh

from .accounts import ensure_accounts
from .aid import ensure_aid
from .data import BANNER_CODE, DEFAULT_PASSWORD, PASSWORD_ENV
from .disclosure import ensure_disclosure
from .grid import ensure_grid
from .market import ensure_market
from .mongolian import ensure_mongolian
from .notices import ensure_notifications
from .plan import DemoPlan, plan_people
from .revival import ensure_revival
from .rosters import ensure_roster_details
from .site import ensure_site_content
from .speech import ensure_speech
from .study import ensure_study
from .tourism import ensure_tourism
from .units import UnitSpec, unit_specs
from .voice import ensure_voice
from .voice_talk import ensure_voice_talk
from .wechat import ensure_wechat
from .work import ensure_work
from .youth import ensure_activities, ensure_youth


class DemoRefusedError(RuntimeError):
    """The demo is never loaded into a production database."""


@dataclasses.dataclass
class DemoLogin:
    username: str
    role: str
    unit: str


@dataclasses.dataclass
class DemoResult:
    banner: Unit
    units_created: int
    people_created: int
    users_created: int
    passwords_changed: int
    password: str
    logins: list[DemoLogin]
    articles_created: int = 0
    work_created: int = 0  # rounds and tasks


def demo_password() -> str:
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def _ensure_units(specs: list[UnitSpec]) -> tuple[dict[str, Unit], int]:
    existing = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in specs])}
    created = 0
    for spec in specs:
        if spec.code in existing:
            continue
        parent = None if spec.parent is None else Unit.objects.get(code=spec.parent)
        existing[spec.code] = unit_create(
            acting_user=SYSTEM,
            parent=parent,
            code=spec.code,
            kind=spec.kind,
            name=spec.name,
            name_mn=spec.name_mn,
        )
        created += 1
    # Units found rather than made still get their two bodies, as unit_create would give them.
    units = list(existing.values())
    has_branch = set(Branch.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    has_committee = set(
        CareCommittee.objects.filter(unit__in=units).values_list("unit_id", flat=True)
    )
    for unit in units:
        branch_name, committee_name = default_body_names(unit.name)
        if unit.pk not in has_branch:
            Branch.objects.create(unit=unit, name=branch_name)
        if unit.pk not in has_committee:
            CareCommittee.objects.create(unit=unit, name=committee_name)
    # Paths may have shifted while siblings were inserted: read them back.
    return {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in specs])}, created


def _chunks(values: list[str], size: int = 900) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing_people(ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        found.update(Person.objects.filter(id_number__in=chunk).values_list("id_number", "pk"))
    return found


# --- The bulk path ----------------------------------------------------------------------------


def bulk_insert_people(plan: DemoPlan, units: dict[str, Unit]) -> tuple[dict[int, int], int]:
    """THE DEMO'S BULK PATH: insert the planned people that are missing (by ID number), with
    their roles, positions and guardianships, through ``bulk_create``.

    Everything else in the demo goes through the services; the ~4,700 people, their roles and
    posts do not (``person_create``, ``position_assign`` and ``guardian_add`` would take
    minutes and write an audit row each). So this function keeps by hand what those services
    keep, and ``nutag/demo/tests/test_bulk.py`` checks it against them on the same plan:

    - the ``unit_path`` copies on ``Person``, ``PartyMembership``, ``CareWorker`` and
      ``YoungPerson`` rows equal their unit's path (units are made by ``unit_create``, so the
      tree's ``path``/``depth``/``numchild`` are treebeard's own);
    - names are cleaned and their pinyin and initials set as ``person_create`` sets them, and a
      five elder is retired;
    - the care tallies (``people/tallies.py``) are recounted for every unit that got care
      workers;
    - a post's access is its title's default, as ``position_assign`` gives it.

    What it does not do: audit rows (the history shows the demo's people as never changed).
    Returns ``{plan index: person pk}`` for every planned person, and how many were new.
    """
    ids = [p.data.id_number for p in plan.people]
    found = _existing_people(ids)
    new_people: list[tuple[int, Person]] = []
    for index, planned in enumerate(plan.people):
        data = planned.data
        if data.id_number in found:
            continue
        unit = units[planned.unit_code]
        name = clean_name(data.name)
        new_people.append(
            (
                index,
                Person(
                    unit=unit,
                    unit_path=unit.path,
                    name=name,
                    name_pinyin=name_pinyin(name),
                    name_initials=name_initials(name),
                    gender=data.gender,
                    ethnicity=data.ethnicity,
                    birth_date=data.birth_date,
                    phone=data.phone,
                    id_number=data.id_number,
                    is_resident=data.is_resident,
                    is_retired=data.is_retired or bool(data.care and data.care.elder_category),
                    note=data.note,
                ),
            )
        )
    Person.objects.bulk_create([p for _i, p in new_people], batch_size=500)
    pks = {plan.people[i].data.id_number: p.pk for i, p in new_people}
    pks.update(found)
    by_index = {i: pks[p.data.id_number] for i, p in enumerate(plan.people)}
    new_indexes = {i for i, _p in new_people}

    parties, cares, youths = [], [], []
    for index, person in new_people:
        data, unit = plan.people[index].data, person.unit
        if data.party is not None:
            parties.append(
                PartyMembership(
                    person=person, unit=unit, unit_path=unit.path, **dataclasses.asdict(data.party)
                )
            )
        if data.care is not None:
            cares.append(
                CareWorker(
                    person=person, unit=unit, unit_path=unit.path, **dataclasses.asdict(data.care)
                )
            )
        if data.youth is not None:
            youths.append(
                YoungPerson(
                    person=person, unit=unit, unit_path=unit.path, **dataclasses.asdict(data.youth)
                )
            )
    PartyMembership.objects.bulk_create(parties, batch_size=500)
    CareWorker.objects.bulk_create(cares, batch_size=500)
    care_tally_refresh(unit_ids={care.unit_id for care in cares})
    YoungPerson.objects.bulk_create(youths, batch_size=500)

    Position.objects.bulk_create(
        [
            Position(
                unit=units[p.unit_code],
                person_id=by_index[p.person],
                title=p.title,
                represents=p.represents,
                access=p.access or DEFAULT_ACCESS.get(PositionTitle(p.title), Access.NONE),
                started_on=p.started_on,
            )
            for p in plan.positions
            if p.person in new_indexes
        ],
        batch_size=500,
    )
    pairs = [g for g in plan.guardianships if g.young in new_indexes or g.guardian in new_indexes]
    if pairs:
        young_ids = dict(
            YoungPerson.objects.filter(
                person_id__in=[by_index[g.young] for g in pairs]
            ).values_list("person_id", "pk")
        )
        existing_pairs = set(
            Guardianship.objects.filter(young_id__in=young_ids.values()).values_list(
                "young_id", "guardian_id"
            )
        )
        Guardianship.objects.bulk_create(
            [
                Guardianship(
                    young_id=young_ids[by_index[g.young]],
                    guardian_id=by_index[g.guardian],
                    relation=g.relation,
                )
                for g in pairs
                if by_index[g.young] in young_ids
                and (young_ids[by_index[g.young]], by_index[g.guardian]) not in existing_pairs
            ],
            batch_size=500,
        )
    return by_index, len(new_people)


# --- The demo logins ---------------------------------------------------------------------------

LOGIN_ROLES = {
    "demo-admin": "platform admin (superuser)",
    "demo-banner": "banner care-committee office officer",
    "demo-township": "township branch secretary and committee chair",
    "demo-village": "village branch secretary and committee chair",
    "demo-village2": "village branch secretary and committee chair (another township)",
    "demo-elder": "five elder, care-work volunteer, no management position",
    "demo-resident": "resident",
}


class _SharedPassword:
    """One password hash for all demo logins: hashing is slow on purpose (PBKDF2), and the
    logins share the password anyway, so it is hashed (or verified) once per run."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.encoded: str | None = None
        self.changed = 0

    def hash(self) -> str:
        if self.encoded is None:
            self.encoded = make_password(self.password)
        return self.encoded

    def keep(self, user: Any) -> None:
        """Leave the user alone unless the demo password changed since it was set."""
        if user.password == self.encoded:
            return
        if self.encoded is None and user.check_password(self.password):
            self.encoded = user.password
            return
        user.password = self.hash()
        user.save(update_fields=["password"])
        self.changed += 1


def _ensure_logins(
    plan: DemoPlan, by_index: dict[int, int], password: str
) -> tuple[list[DemoLogin], int, int]:
    user_model = get_user_model()
    shared = _SharedPassword(password)
    existing = {u.username: u for u in user_model.objects.filter(username__in=LOGIN_ROLES)}
    created = 0

    def user_for(username: str, **extra: Any) -> Any:
        nonlocal created
        user = existing.get(username)
        if user is None:
            user = user_model(username=username, password=shared.hash(), **extra)
            user.save()
            created += 1
        else:
            shared.keep(user)
        return user

    logins = [DemoLogin("demo-admin", LOGIN_ROLES["demo-admin"], "all units")]
    user_for("demo-admin", is_staff=True, is_superuser=True)
    people = Person.objects.select_related("unit").in_bulk(list(by_index.values()))
    for username, index in plan.logins.items():
        person = people[by_index[index]]
        user = user_for(username)
        if person.user_id is None and not Person.objects.filter(user=user).exists():
            person.user = user
            person.save(update_fields=["user"])
        logins.append(DemoLogin(username, LOGIN_ROLES[username], person.unit.name))
    return logins, created, shared.changed


def build_demo(*, password: str | None = None) -> DemoResult:
    """Create whatever of the demo banner is missing; a second run changes nothing. Written
    in the site's language whatever language the caller has active (a test before it, a
    command), as a request in it would write it: the notes its services record read so."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build_demo(password=password)


def _build_demo(*, password: str | None) -> DemoResult:
    if settings.NUTAG_IS_PRODUCTION:
        raise DemoRefusedError(
            "Refusing to load the demo: NUTAG_IS_PRODUCTION is true. The demo adds "
            "synthetic people and logins with a published password; load it only into a "
            "demo or development database."
        )
    password = password or demo_password()
    specs = unit_specs()
    plan = plan_people(specs)
    with transaction.atomic():
        units, units_created = _ensure_units(specs)
        by_index, people_created = bulk_insert_people(plan, units)
        logins, users_created, passwords_changed = _ensure_logins(plan, by_index, password)
        articles_created = ensure_site_content(units)
        work_created = ensure_work(units)
        ensure_roster_details(units)
        ensure_accounts(password=password)
        ensure_mongolian(units)
        ensure_notifications(units)
        ensure_wechat(units)
        ensure_speech(units)
        ensure_voice(units)
        ensure_voice_talk(units)
        ensure_aid(units)
        ensure_study(units)
        ensure_youth()
        ensure_activities()
        ensure_disclosure(units)
        ensure_market(units)
        ensure_tourism(units)
        ensure_revival(units)
        ensure_grid(units)
    return DemoResult(
        banner=units[BANNER_CODE],
        units_created=units_created,
        people_created=people_created,
        users_created=users_created,
        passwords_changed=passwords_changed,
        password=password,
        logins=logins,
        articles_created=articles_created,
        work_created=work_created,
    )
