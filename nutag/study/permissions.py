"""Each study action's rule, once (docs/permissions.md). Views, the API and services call these."""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within
from nutag.orgs.permissions import Perm, has_unit_perm, is_platform_admin
from nutag.study.models import Course


def can_manage_study(user: AnyUser, unit: Unit) -> bool:
    """Make courses for ``unit`` and below, record its 三会一课, remind, log acts for points."""
    return has_unit_perm(user=user, perm=Perm.MANAGE_STUDY, unit=unit)


def can_view_study_records(user: AnyUser, unit: Unit) -> bool:
    """Who studied what, attendance, quiz results of the people of ``unit``: only at the unit
    and above it (never a sibling branch)."""
    return has_unit_perm(user=user, perm=Perm.VIEW_PEOPLE, unit=unit)


def can_set_point_rules(user: AnyUser, unit: Unit) -> bool:
    """The points rules are the banner's: the standards right at the root unit."""
    return unit.depth == 1 and has_unit_perm(user=user, perm=Perm.MANAGE_STANDARDS, unit=unit)


def can_read_course(user: AnyUser, course: Course, *, person_path: str | None = None) -> bool:
    """A public course is read by anyone; an assigned one by the people of the units it went
    to (``person_path``: the reader's unit path) and by officers there."""
    if course.is_public or is_platform_admin(user):
        return True
    if person_path is not None and is_within(person_path, course.unit_path):
        return True
    return has_unit_perm(user=user, perm=Perm.VIEW_UNIT, unit=course.unit)
