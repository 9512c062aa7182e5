"""Reads of people, always for a user: what they may see, masked as their right requires."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from nutag.core.errors import NotFound
from nutag.core.masking import mask_id_number, mask_phone
from nutag.core.text import clean_name, to_halfwidth
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q, subtrees_q
from nutag.orgs.permissions import AnyUser, Perm, granted_paths, has_unit_perm, is_platform_admin
from nutag.people.models import Person, RoleFilter


def people_visible(*, user: AnyUser) -> QuerySet[Person]:
    """Every person whose home unit lies in a subtree where ``user`` may view people."""
    if is_platform_admin(user):
        return Person.objects.all()
    paths = granted_paths(user=user, perm=Perm.VIEW_PEOPLE)
    if not paths:
        return Person.objects.none()
    return Person.objects.filter(subtrees_q(paths, "unit_path"))


def access_person(*, user: AnyUser, pk: int | str, perm: Perm = Perm.VIEW_PEOPLE) -> Person:
    """The person, if ``user`` holds ``perm`` at their unit; 404 for missing *and* not yours."""
    try:
        person = Person.objects.select_related("unit", "party", "care", "youth", "user").get(
            pk=int(pk)
        )
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not has_unit_perm(user=user, perm=perm, unit=person.unit):
        raise NotFound
    return person


def search_q(query: str) -> Q:
    """Match a name (simplified or traditional), its pinyin, or its pinyin initials."""
    text = to_halfwidth(query).strip()
    if not text:
        return Q()
    lowered = text.lower().replace(" ", "")
    q = Q(name__contains=clean_name(text))
    if lowered.isascii() and lowered.isalpha():
        q |= Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=text.lower())
    return q


def role_q(role: str) -> Q:
    match role:
        case RoleFilter.PARTY_MEMBER:
            return Q(party__isnull=False)
        case RoleFilter.MOBILE_MEMBER:
            return Q(party__is_mobile=True)
        case RoleFilter.FIVE_ELDER:
            return Q(care__isnull=False) & ~Q(care__elder_category="")
        case RoleFilter.CARE_WORKER:
            return Q(care__isnull=False)
        case RoleFilter.YOUTH:
            return Q(youth__isnull=False)
        case RoleFilter.RESIDENT:
            return Q(is_resident=True)
    return Q()


def people_of_unit(
    *, user: AnyUser, unit: Unit, query: str = "", role: str = ""
) -> QuerySet[Person]:
    """People of ``unit`` and its subtree, for the workbench list. One query, any size."""
    if not has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=unit):
        raise NotFound
    qs = Person.objects.filter(subtree_q(unit.path, "unit_path"))
    if query:
        qs = qs.filter(search_q(query))
    if role:
        qs = qs.filter(role_q(role))
    order: list[Any] = ["name_pinyin", "id"]
    if query:
        # Ordered by an expression no index serves, so the planner starts from the subtree's
        # path range and sorts the matches, instead of walking the whole table's name_pinyin
        # index and filtering out every other banner's people (docs/scaling.md: 3.5 s for a
        # banner of 26,000 in a province of 1 M).
        order[0] = Concat("name_pinyin", Value(""))
    return qs.select_related("unit", "party", "care", "youth").order_by(*order)


def shown_phone(*, user: AnyUser, person: Person) -> str:
    if has_unit_perm(user=user, perm=Perm.VIEW_PHONE, unit=person.unit):
        return person.phone
    return mask_phone(person.phone)


def shown_id_number(*, user: AnyUser, person: Person) -> str:
    if has_unit_perm(user=user, perm=Perm.VIEW_ID_NUMBER, unit=person.unit):
        return person.id_number
    return mask_id_number(person.id_number)
