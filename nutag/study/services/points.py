"""Points (积分) from verified acts only: a lesson completed, a quiz passed, a meeting
attended, volunteering logged by an officer. Posting earns nothing.

Each act has a unique ``key`` (``lesson:<person>:<lesson>`` …): the same act sent twice, or
replayed from an offline queue, finds its key taken and counts nothing. The banner sets the
points per act and the cap per person per day (``PointRule`` at the root unit; the defaults
are ``models.DEFAULT_POINTS``); the day is the server's, never the phone's.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, diff
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.study.models import DEFAULT_POINTS, Act, PointEntry, PointRule
from nutag.study.permissions import can_manage_study, can_set_point_rules


def rule_for(*, unit_path: str, act: str) -> tuple[int, int]:
    """``(points, daily cap)`` for ``act`` under the banner at the root of ``unit_path``."""
    root = unit_path[: Unit.steplen]
    rule = PointRule.objects.filter(unit__path=root, act=act).first()
    if rule is not None:
        return rule.points, rule.daily_cap
    return DEFAULT_POINTS[act]


def points_award(
    *, person: Person, act: str, key: str, note: str = "", now: dt.datetime | None = None
) -> PointEntry | None:
    """Record one verified act (inside the caller's transaction). ``None`` when ``key`` was
    counted already. Past the day's cap the act is recorded with 0 points, so the person sees
    why it earned nothing."""
    if PointEntry.objects.filter(key=key).exists():
        return None
    day = timezone.localdate(now or timezone.now())
    points, cap = rule_for(unit_path=person.unit_path, act=act)
    used = (
        PointEntry.objects.filter(person=person, day=day, act=act).aggregate(s=Sum("points"))["s"]
        or 0
    )
    granted = max(0, min(points, cap - used))
    try:
        with transaction.atomic():
            return PointEntry.objects.create(
                person=person,
                unit_id=person.unit_id,
                unit_path=person.unit_path,
                act=act,
                key=key,
                points=granted,
                day=day,
                note=note[:200],
            )
    except IntegrityError:  # the same act, counted by a concurrent request
        return None


@transaction.atomic
def point_rule_set(
    *, acting_user: Actor, unit: Unit, act: str, points: int, daily_cap: int
) -> PointRule:
    """The banner sets how many points an act earns and the most per person per day."""
    require(acting_user, can_set_point_rules, unit)
    if act not in Act.values:
        raise ValidationError({"act": _("Unknown act.")})
    if points < 0 or daily_cap < 0 or points > 100 or daily_cap > 1000:
        raise ValidationError({"points": _("Points must be between 0 and 100 per act.")})
    rule = PointRule.objects.filter(unit=unit, act=act).first() or PointRule(unit=unit, act=act)
    before = {"points": rule.points, "daily_cap": rule.daily_cap} if rule.pk else {}
    rule.points, rule.daily_cap = points, daily_cap
    rule.full_clean()
    rule.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=rule,
        unit=unit,
        changes=diff(before, {"points": points, "daily_cap": daily_cap}),
    )
    return rule


@transaction.atomic
def points_log_volunteering(
    *, acting_user: Actor, person: Person, ref: str, note: str
) -> PointEntry | None:
    """An officer at the person's unit (or above) logs volunteering the person did; ``ref``
    (the form's one-time id) makes a resent form count once."""
    require(acting_user, can_manage_study, person.unit)
    if not note.strip():
        raise ValidationError({"note": _("Say what the volunteering was.")})
    entry = points_award(
        person=person, act=Act.VOLUNTEERING, key=f"volunteering:{person.pk}:{ref}"[:120], note=note
    )
    if entry is not None:
        audit_record(
            actor=acting_user, action=AuditAction.CREATE, obj=entry, unit=person.unit, note=note
        )
    return entry
