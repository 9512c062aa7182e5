"""Every write to people and their roles: atomic, validated, audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction, AuditEntry
from nutag.core.text import clean_name, clean_phone, name_initials, name_pinyin
from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.people.idcard import (
    id_number_birth_date,
    id_number_gender,
    normalize_id_number,
    validate_id_number,
)
from nutag.people.models import CareWorker, Guardianship, PartyMembership, Person, YoungPerson
from nutag.people.partial_dates import DatePrecision, PartialDate
from nutag.people.tallies import care_tally_refresh

PERSON_FIELDS = [
    "name", "unit", "gender", "ethnicity", "birth_date", "phone", "id_number",
    "is_resident", "is_retired", "note", "birth_date_precision", "extra",
]  # fmt: skip


@dataclasses.dataclass
class PartyInput:
    joined_on: dt.date | None = None
    is_mobile: bool = False
    current_location: str = ""
    # None: a full date, unless ``joined_on`` is the date stored, whose precision is kept.
    joined_on_precision: str | None = None


@dataclasses.dataclass
class CareInput:
    elder_category: str = ""
    since: dt.date | None = None


@dataclasses.dataclass
class YouthInput:
    school: str = ""


@dataclasses.dataclass
class PersonInput:
    """Everything a form, the API or an import row can say about a person."""

    name: str
    gender: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    id_number: str = ""
    is_resident: bool = False
    is_retired: bool = False
    note: str = ""
    party: PartyInput | None = None
    care: CareInput | None = None
    youth: YouthInput | None = None
    # DatePrecision of ``birth_date``; None: a full date, unless ``birth_date`` is the date
    # stored, whose precision is kept (so a form showing 1950-05-01 keeps "May 1950").
    birth_date_precision: str | None = None
    # Other information ({header: text}, from an import's extra columns); None keeps it.
    extra: dict[str, str] | None = None


def _precision(given: str | None, day: dt.date | None, stored: dt.date | None, kept: str) -> str:
    if day is None:
        return DatePrecision.DAY
    if given:
        return given
    return kept if stored is not None and day == stored else DatePrecision.DAY


def _first_day(day: dt.date | None, precision: str) -> dt.date | None:
    """The date a date field stores for ``day`` known to ``precision``: its first day."""
    return None if day is None else PartialDate.of(day, precision).first_day


def birth_date_from_id(id_number: str, birth: PartialDate | None) -> PartialDate | None:
    """The birth date to store beside a well-formed ``id_number``: the ID number's own date
    when ``birth`` is blank or agrees with it (a month or year that contains it);
    ``ValidationError`` on a real conflict."""
    born = id_number_birth_date(id_number)
    if born is None:
        return birth
    if birth is None or birth.contains(born):
        return PartialDate.of(born)
    raise ValidationError(
        {"birth_date": _("The birth date does not match the one in the ID number.")},
        code="birth_date_id",
    )


def _person_snapshot(person: Person) -> dict[str, Any]:
    data = snapshot(person, PERSON_FIELDS)
    party = getattr(person, "party", None) if person.pk else None
    care = getattr(person, "care", None) if person.pk else None
    youth = getattr(person, "youth", None) if person.pk else None
    data["party_member"] = party is not None
    if party is not None:
        data.update(
            snapshot(party, ["joined_on", "joined_on_precision", "is_mobile", "current_location"])
        )
    data["care_worker"] = care is not None
    if care is not None:
        data.update(snapshot(care, ["elder_category"]))
    data["young_person"] = youth is not None
    if youth is not None:
        data.update(snapshot(youth, ["school"]))
    return data


def _apply(person: Person, unit: Unit, data: PersonInput) -> None:
    person.unit = unit
    person.unit_path = unit.path
    person.name = clean_name(data.name)
    person.name_pinyin = name_pinyin(person.name)
    person.name_initials = name_initials(person.name)
    person.gender = data.gender
    person.ethnicity = data.ethnicity
    person.birth_date_precision = _precision(
        data.birth_date_precision, data.birth_date, person.birth_date, person.birth_date_precision
    )
    person.birth_date = _first_day(data.birth_date, person.birth_date_precision)
    if data.extra is not None:
        person.extra = {str(k): str(v) for k, v in data.extra.items() if str(v).strip()}
    person.phone = clean_phone(data.phone) if data.phone else ""
    person.id_number = normalize_id_number(data.id_number) if data.id_number else ""
    person.is_resident = data.is_resident
    person.is_retired = data.is_retired or bool(data.care and data.care.elder_category)
    person.note = data.note.strip()
    if person.id_number:
        try:
            validate_id_number(person.id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
        birth = birth_date_from_id(person.id_number, person.birth)
        if birth is not None:
            person.birth_date, person.birth_date_precision = birth.first_day, birth.precision
        if not person.gender:
            person.gender = id_number_gender(person.id_number)
        clash = Person.objects.filter(id_number=person.id_number).exclude(pk=person.pk).first()
        if clash is not None:
            raise ValidationError(
                {"id_number": _("Another person already has this ID number.")}, code="duplicate"
            )
    person.full_clean(exclude=["user"])


def _save_roles(person: Person, data: PersonInput) -> None:
    unit = person.unit
    old_care_unit = (
        CareWorker.objects.filter(person=person).values_list("unit_id", flat=True).first()
        if person.pk
        else None
    )
    role_models: list[tuple[type[Any], Any, dict[str, Any]]] = [
        (PartyMembership, data.party, dataclasses.asdict(data.party) if data.party else {}),
        (CareWorker, data.care, dataclasses.asdict(data.care) if data.care else {}),
        (YoungPerson, data.youth, dataclasses.asdict(data.youth) if data.youth else {}),
    ]
    for model, given, values in role_models:
        if given is None:
            model.objects.filter(person=person).delete()
            continue
        stored = model.objects.filter(person=person).first() if person.pk else None
        if model is PartyMembership:
            values["joined_on_precision"] = _precision(
                values.get("joined_on_precision"),
                values.get("joined_on"),
                stored.joined_on if stored else None,
                stored.joined_on_precision if stored else DatePrecision.DAY,
            )
            values["joined_on"] = _first_day(values["joined_on"], values["joined_on_precision"])
        role, _created = model.objects.get_or_create(
            person=person, defaults={"unit": unit, "unit_path": unit.path, **values}
        )
        for key, value in values.items():
            setattr(role, key, value)
        role.unit = unit
        role.unit_path = unit.path
        role.full_clean()
        role.save()
    for name in ("party", "care", "youth"):
        # Drop cached reverse one-to-one accessors so the snapshot reads fresh rows.
        person._state.fields_cache.pop(name, None)
    if old_care_unit is not None or data.care is not None:
        care_tally_refresh(unit_ids=[old_care_unit, unit.pk if data.care is not None else None])


@transaction.atomic
def person_create(*, acting_user: Actor, unit: Unit, data: PersonInput) -> Person:
    """Add a person to ``unit`` (404 if the user has no right there)."""
    if not isinstance(acting_user, SystemActor) and not has_unit_perm(
        user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=unit
    ):
        raise NotFound
    if not unit.is_active:
        raise ValidationError(_("A closed unit cannot receive people."))
    person = Person()
    _apply(person, unit, data)
    person.save()
    _save_roles(person, data)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=person,
        unit=unit,
        changes=diff({}, _person_snapshot(person)),
    )
    return person


@transaction.atomic
def person_update(*, acting_user: Actor, person: Person, unit: Unit, data: PersonInput) -> Person:
    """Change a person, possibly moving them to ``unit``; both units must be in reach."""
    if not isinstance(acting_user, SystemActor) and not (
        has_unit_perm(user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=person.unit)
        and has_unit_perm(user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=unit)
    ):
        raise NotFound
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    before = _person_snapshot(person)
    old_unit = person.unit
    _apply(person, unit, data)
    person.save()
    _save_roles(person, data)
    changes = diff(before, _person_snapshot(person))
    if changes:
        audit_record(
            actor=acting_user, action=AuditAction.UPDATE, obj=person, unit=old_unit, changes=changes
        )
        if old_unit.pk != unit.pk:
            audit_record(
                actor=acting_user, action=AuditAction.MOVE, obj=person, unit=unit, changes=changes
            )
    return person


def young_person_read_log(*, acting_user: AnyUser, person: Person) -> None:
    """Every read of a young person's record leaves an audit row."""
    sensitive_read_log(
        acting_user=acting_user, people=[person], where=_("young person's record read")
    )


MINOR_AGE = 18


def _is_minor(person: Person, today: dt.date) -> bool:
    if getattr(person, "youth", None) is not None:
        return True
    age = person.age_on(today)
    return age is not None and age < MINOR_AGE


def sensitive_shown(*, user: AnyUser, person: Person, today: dt.date | None = None) -> list[str]:
    """What of ``person`` a response to ``user`` shows that must be audited.

    ``"minor"`` (a young person's record, or anyone under 18), ``"phone"`` and ``"id_number"``
    (shown in full: the person has one and ``user`` holds the right to read it unmasked).
    """
    shown = []
    if _is_minor(person, today or timezone.localdate()):
        shown.append("minor")
    if person.phone and has_unit_perm(user=user, perm=Perm.VIEW_PHONE, unit=person.unit):
        shown.append("phone")
    if person.id_number and has_unit_perm(user=user, perm=Perm.VIEW_ID_NUMBER, unit=person.unit):
        shown.append("id_number")
    return shown


@transaction.atomic
def sensitive_read_log(
    *,
    acting_user: AnyUser,
    people: Iterable[Person],
    where: str,
    unit: Unit | None = None,
    always: bool = False,
) -> AuditEntry | None:
    """ONE audit row for a response that shows sensitive data, listing the people shown.

    Call it from every place that shows people's records (pages, edit forms, API lists and
    details, exports, the admin), once per response, with every person the response shows.
    It writes a ``view`` row when any of them is a minor or has a phone or ID number shown
    unmasked to ``acting_user`` (``sensitive_shown``), and nothing otherwise (``always``
    writes one anyway, e.g. for an export). The row names the list's ``unit`` (or, for one
    person, that person), and its changes list the people's ids and what was shown:
    ``{"people": [None, [ids]], "shown": [None, ["minor", "phone", "id_number"]]}``.
    ``where`` is the route (``request.path``). Numbers themselves are never stored.
    """
    today = timezone.localdate()
    ids: list[int] = []
    kinds: set[str] = set()
    listed = list(people)
    for person in listed:
        shown = sensitive_shown(user=acting_user, person=person, today=today)
        if shown:
            ids.append(person.pk)
            kinds.update(shown)
    if not ids and not always:
        return None
    obj: Any = listed[0] if len(listed) == 1 and unit is None else unit
    if obj is None:
        obj = listed[0].unit if listed else None
    if obj is None:
        return None
    target_unit = obj.unit if isinstance(obj, Person) else obj
    order = ["minor", "phone", "id_number"]
    return audit_record(
        actor=acting_user,
        action=AuditAction.VIEW,
        obj=obj,
        unit=target_unit,
        changes={
            "people": [None, ids],
            "shown": [None, [k for k in order if k in kinds]],
        },
        note=where,
    )


@transaction.atomic
def guardian_add(
    *, acting_user: Actor, young: Person, guardian_id: int, relation: str = ""
) -> Guardianship:
    """Record that ``guardian`` looks after the young person ``young``. Both must be in reach."""
    from nutag.people.selectors import people_visible

    if not isinstance(acting_user, SystemActor) and not has_unit_perm(
        user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=young.unit
    ):
        raise NotFound
    youth = YoungPerson.objects.filter(person=young).first()
    if youth is None:
        raise ValidationError(_("Only a young person in the committee's care has guardians."))
    people = (
        Person.objects.all()
        if isinstance(acting_user, SystemActor)
        else people_visible(user=acting_user)
    )
    guardian = people.filter(pk=guardian_id).first()
    if guardian is None:
        raise NotFound
    if guardian.pk == young.pk:
        raise ValidationError({"guardian": _("A young person cannot be their own guardian.")})
    if guardian.is_minor:
        raise ValidationError({"guardian": _("A guardian must be an adult.")})
    if Guardianship.objects.filter(young=youth, guardian=guardian).exists():
        raise ValidationError({"guardian": _("This guardian is already recorded.")})
    link = Guardianship(young=youth, guardian=guardian, relation=relation.strip())
    link.full_clean()
    link.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=young,
        unit=young.unit,
        changes={
            "guardian": [
                None,
                f"{guardian.name} ({link.relation})" if link.relation else guardian.name,
            ]
        },
    )
    return link


@transaction.atomic
def guardian_remove(*, acting_user: Actor, link: Guardianship) -> None:
    young = link.young.person
    if not isinstance(acting_user, SystemActor) and not has_unit_perm(
        user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=young.unit
    ):
        raise NotFound
    name = link.guardian.name
    link.delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=young,
        unit=young.unit,
        changes={"guardian": [name, None]},
    )
