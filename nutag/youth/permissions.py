"""Who may do what with young people's records: one rule per action (docs/permissions.md).

The unit of a record, its pairs, visits and needs is the young person's unit. Officers need
the youth right (``Perm.VIEW_YOUTH`` / ``Perm.CHANGE_YOUTH``: secretaries, and officers given
the *youth* access) at that unit or above; a plain officer has none. An elder paired with a
young person (a current pair) reads that one record and writes its visits and needs — no
other. Archived records (coming of age) are read only with the youth right at the root of
the tree (the banner's youth officer). Exports need ``Perm.EXPORT_YOUTH``.
"""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm, is_platform_admin
from nutag.youth.models import Activity, Pairing, RecordStatus, SignUp, YouthRecord


def is_paired_elder(user: AnyUser, record: YouthRecord) -> bool:
    """``user`` is an elder of a current pair with this record's young person."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Pairing.objects.filter(
        record_id=record.pk, ended_on__isnull=True, elders__user_id=user.pk
    ).exists()


def _unit(record: YouthRecord) -> Unit:
    """The record's unit as far as rights go (its path): no query."""
    return Unit(path=record.unit_path)


def _root_youth_right(user: AnyUser, record: YouthRecord) -> bool:
    root = Unit(path=record.unit_path[: Unit.steplen])
    return has_unit_perm(user=user, perm=Perm.VIEW_YOUTH, unit=root)


def can_view_record(user: AnyUser, record: YouthRecord) -> bool:
    if record.status == RecordStatus.ARCHIVED:
        return is_platform_admin(user) or _root_youth_right(user, record)
    if has_unit_perm(user=user, perm=Perm.VIEW_YOUTH, unit=_unit(record)):
        return True
    return is_paired_elder(user, record)


def can_change_record(user: AnyUser, record: YouthRecord) -> bool:
    """Edit the record, pair elders with the young person, end a pair."""
    return record.status == RecordStatus.ACTIVE and has_unit_perm(
        user=user, perm=Perm.CHANGE_YOUTH, unit=_unit(record)
    )


def can_write_visit(user: AnyUser, record: YouthRecord) -> bool:
    """Write a visit or a need: the paired elder, or whoever keeps the record."""
    if record.status != RecordStatus.ACTIVE:
        return False
    return can_change_record(user, record) or is_paired_elder(user, record)


def can_list_records(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.VIEW_YOUTH, unit=unit)


def can_add_record(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.CHANGE_YOUTH, unit=unit)


def can_export_records(user: AnyUser, unit: Unit) -> bool:
    return has_unit_perm(user=user, perm=Perm.EXPORT_YOUTH, unit=unit)


def can_delete_record(user: AnyUser, record: YouthRecord) -> bool:
    """Delete a record at a guardian's request: those who may export (secretaries)."""
    return has_unit_perm(user=user, perm=Perm.EXPORT_YOUTH, unit=_unit(record))


def can_log_deeds(user: AnyUser, unit: Unit) -> bool:
    """Read and write the unit's good-deeds log: its officers and secretaries (the right to
    report the unit's work)."""
    return has_unit_perm(user=user, perm=Perm.REPORT_TASKS, unit=unit)


# --- Activities ---------------------------------------------------------------------------


def can_manage_activities(user: AnyUser, unit: Unit) -> bool:
    """Create the unit's activities, sign anyone up, mark attendance, add photos, show the
    check-in code and publish the report: officers with the youth right to change records."""
    return has_unit_perm(user=user, perm=Perm.CHANGE_YOUTH, unit=unit)


def can_view_activity(user: AnyUser, activity: Activity) -> bool:
    """The activity's page (participants masked): its managers, and the care committee's
    elders of the unit or below who may sign their own young people up."""
    return can_manage_activities(user, Unit(path=activity.unit_path)) or _is_elder_within(
        user, activity.unit_path
    )


def _is_elder_within(user: AnyUser, path: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Pairing.objects.filter(
        unit_path__startswith=path, ended_on__isnull=True, elders__user_id=user.pk
    ).exists()


def can_sign_up(user: AnyUser, activity: Activity, record: YouthRecord | None) -> bool:
    """Sign a young person up: the activity's managers; a paired elder, their own young
    person only (``record`` is that young person's record, if any)."""
    if can_manage_activities(user, Unit(path=activity.unit_path)):
        return True
    return record is not None and is_paired_elder(user, record)


def can_withdraw_signup(user: AnyUser, signup: SignUp) -> bool:
    """Withdraw a sign-up or its photo consent at a guardian's request: the activity's
    managers, and the elder paired with that young person (their own child only)."""
    if can_manage_activities(user, Unit(path=signup.unit_path)):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return Pairing.objects.filter(
        record__young_id=signup.young_id, ended_on__isnull=True, elders__user_id=user.pk
    ).exists()


def can_view_record_photo(user: AnyUser, record: YouthRecord) -> bool:
    """A visit's photo: whoever may read the record."""
    return can_view_record(user, record)


def can_set_youth_rules(user: AnyUser, unit: Unit) -> bool:
    """The banner's youth rules (visits, coming of age, how long archives are kept): the youth
    right at the root of the tree (the banner's youth officer)."""
    return len(unit.path) == Unit.steplen and has_unit_perm(
        user=user, perm=Perm.CHANGE_YOUTH, unit=unit
    )
