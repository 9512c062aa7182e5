"""Who may do what, where. Rights are granted by positions and flow *down* the unit tree.

A position at unit U with an ``Access`` grants that access's permissions at U and at every
unit below U — never at a sibling, never at the unit above. Platform admins (superusers)
have every permission everywhere. Roles without a position (volunteer, resident) get only
what their own records allow; see ``docs/permissions.md`` for the whole table.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from django.db.models import QuerySet

from nutag.core.actors import Actor, AnyUser, SystemActor
from nutag.core.errors import NotFound
from nutag.orgs.models import Access, Position, Unit, UnitStatus
from nutag.orgs.paths import is_within, minimal_paths, subtrees_q


class Perm(StrEnum):
    VIEW_UNIT = "orgs.view_unit"  # see the unit in the workbench and the admin
    CHANGE_UNIT = "orgs.change_unit"  # edit the unit's names and bodies
    RESTRUCTURE = "orgs.restructure"  # add units below, move, merge, close, delete them
    MANAGE_POSITIONS = "orgs.manage_positions"  # assign and end positions
    VIEW_HISTORY = "orgs.view_history"  # read who changed what
    VIEW_PEOPLE = "people.view_person"  # list and read people
    CHANGE_PEOPLE = "people.change_person"  # add, edit, import people
    VIEW_PHONE = "people.view_phone"  # phone numbers unmasked
    VIEW_ID_NUMBER = "people.view_id_number"  # ID numbers unmasked
    VIEW_STATS = "stats.view_stats"  # aggregate figures, when they are not public
    WRITE_ARTICLES = "sites.write_articles"  # write drafts and submit them
    PUBLISH_ARTICLES = "sites.publish_articles"  # publish, return, push down, columns
    VIEW_WORK = "assess.view_work"  # read rounds, assessments, tasks and reports
    SELF_ASSESS = "assess.self_assess"  # fill in and submit the unit's self-assessment
    REPORT_TASKS = "assess.report_tasks"  # fill in and submit the unit's task reports
    ISSUE_TASKS = "assess.issue_tasks"  # issue tasks to units below; inspect their reports
    REVIEW = "assess.review"  # score, accept or return assessments of units *below*
    MANAGE_STANDARDS = "assess.manage_standards"  # define standards, open and finish rounds
    INVITE_PEOPLE = "people.invite"  # give people a login by invitation; see who has not accepted
    MANAGE_LOGINS = "people.manage_logins"  # switch logins off/on, unlock, reset; join requests
    HANDLE_CONCERNS = "voice.handle_concerns"  # accept, answer, pass on residents' concerns
    RUN_POLLS = "voice.run_polls"  # put a question to the unit's residents (secretaries)
    MANAGE_STUDY = "study.manage_study"  # courses, 三会一课 records, study reminders, points acts
    VIEW_YOUTH = "youth.view_youth"  # open young people's records (each opening audited)
    CHANGE_YOUTH = "youth.change_youth"  # keep young people's records, pairs and needs
    EXPORT_YOUTH = "youth.export_youth"  # export young people's records (audited)
    SIGN_OFF_DISCLOSURE = "disclosure.sign_off"  # supervisory committee's sign-off (secretaries)
    MANAGE_REVIVAL = "revival.manage_revival"  # the revitalisation ledger (each opening audited)


OFFICER_PERMS = frozenset(
    {
        Perm.VIEW_UNIT,
        Perm.VIEW_PEOPLE,
        Perm.CHANGE_PEOPLE,
        Perm.VIEW_PHONE,
        Perm.VIEW_STATS,
        Perm.WRITE_ARTICLES,
        Perm.VIEW_WORK,
        Perm.SELF_ASSESS,
        Perm.REPORT_TASKS,
        Perm.ISSUE_TASKS,
        Perm.INVITE_PEOPLE,
        Perm.HANDLE_CONCERNS,
        Perm.MANAGE_STUDY,
    }
)
SECRETARY_PERMS = frozenset(Perm)
# An officer given the youth right (the care committee's youth officer): an officer's rights
# plus young people's records. Exporting them stays with secretaries.
YOUTH_OFFICER_PERMS = OFFICER_PERMS | {Perm.VIEW_YOUTH, Perm.CHANGE_YOUTH}

ACCESS_PERMS: dict[str, frozenset[Perm]] = {
    Access.NONE: frozenset(),
    Access.OFFICER: OFFICER_PERMS,
    Access.SECRETARY: SECRETARY_PERMS,
    Access.YOUTH: YOUTH_OFFICER_PERMS,
}


def accesses_granting(perm: Perm) -> list[str]:
    return [access for access, perms in ACCESS_PERMS.items() if perm in perms]


def _grants(user: AnyUser) -> dict[str, list[str]]:
    """``{access: [unit paths]}`` for the user's current positions; cached on the user."""
    cached: dict[str, list[str]] | None = getattr(user, "_nutag_grants", None)
    if cached is not None:
        return cached
    grants: dict[str, list[str]] = {}
    if user.is_authenticated and user.is_active:
        rows = (
            Position.objects.filter(
                person__user_id=user.pk,
                ended_on__isnull=True,
                unit__status=UnitStatus.ACTIVE,
            )
            .exclude(access=Access.NONE)
            .values_list("access", "unit__path")
        )
        for access, path in rows:
            grants.setdefault(access, []).append(path)
    user._nutag_grants = grants  # type: ignore[union-attr]
    return grants


def forget_grants(user: Any) -> None:
    """Drop the cached grants (after positions change within one request or test)."""
    if hasattr(user, "_nutag_grants"):
        del user._nutag_grants


def is_platform_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def granted_paths(*, user: AnyUser, perm: Perm) -> list[str]:
    """The minimal list of subtree roots (paths) where ``user`` holds ``perm``."""
    grants = _grants(user)
    paths = [p for access in accesses_granting(perm) for p in grants.get(access, [])]
    return minimal_paths(paths)


def units_where(*, user: AnyUser, perm: Perm) -> QuerySet[Unit]:
    """Every unit where ``user`` holds ``perm``: the subtrees under their positions."""
    if is_platform_admin(user):
        return Unit.objects.all()
    paths = granted_paths(user=user, perm=perm)
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(subtrees_q(paths))


def has_unit_perm(*, user: AnyUser, perm: Perm, unit: Unit) -> bool:
    if is_platform_admin(user):
        return True
    return any(is_within(unit.path, p) for p in granted_paths(user=user, perm=perm))


def has_any_unit_perm(*, user: AnyUser, perm: Perm) -> bool:
    """Whether ``user`` holds ``perm`` anywhere (e.g. a right that asks for a second factor)."""
    return is_platform_admin(user) or bool(granted_paths(user=user, perm=perm))


def can_restructure(*, user: AnyUser, unit: Unit) -> bool:
    """Moving, merging, closing or deleting ``unit`` needs the right at a unit *above* it."""
    return has_perm_above(user=user, perm=Perm.RESTRUCTURE, unit=unit)


def has_perm_above(*, user: AnyUser, perm: Perm, unit: Unit) -> bool:
    """``perm`` held at a unit strictly *above* ``unit`` (reviewing needs a superior's right)."""
    if is_platform_admin(user):
        return True
    parent_path = unit.path[: -Unit.steplen]
    if not parent_path:
        return False
    return any(is_within(parent_path, p) for p in granted_paths(user=user, perm=perm))


def require_perm(user: Actor, perm: Perm, unit: Unit) -> None:
    """For services: ``perm`` at ``unit`` (or above), else ``NotFound`` (missing and not yours
    answer alike). ``SYSTEM`` is the platform itself (management commands, the demo loader)."""
    if isinstance(user, SystemActor):
        return
    if not has_unit_perm(user=user, perm=perm, unit=unit):
        raise NotFound


def require_perm_above(user: Actor, perm: Perm, unit: Unit) -> None:
    """For services: ``perm`` at a unit strictly above ``unit``, else ``NotFound``."""
    if isinstance(user, SystemActor):
        return
    if not has_perm_above(user=user, perm=perm, unit=unit):
        raise NotFound


T = TypeVar("T")


def require(actor: Actor, rule: Callable[[AnyUser, T], bool], obj: T) -> None:
    """For services: the action's rule ``can_<action>(user, obj)`` (each app's
    ``permissions.py``) must allow it, else ``NotFound``. ``SYSTEM`` passes."""
    if isinstance(actor, SystemActor):
        return
    if not rule(actor, obj):
        raise NotFound
