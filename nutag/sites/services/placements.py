"""Where a published article shows: pushed down to units below, recommended up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import require
from nutag.sites import notices
from nutag.sites.events import announce_site_change
from nutag.sites.models import (
    Article,
    ArticleStatus,
    Placement,
    PlacementVia,
)
from nutag.sites.permissions import can_decide_recommendation, can_publish, can_write
from nutag.sites.services._common import (
    _locked,
)


def units_below(*, unit: Unit) -> Any:
    """Active units strictly below ``unit``, in tree order."""
    return (
        Unit.objects.filter(subtree_q(unit.path), status=UnitStatus.ACTIVE)
        .exclude(pk=unit.pk)
        .order_by("path")
    )


@transaction.atomic
def article_push(
    *,
    acting_user: Actor,
    article: Article,
    unit_ids: Iterable[int] = (),
    all_below: bool = False,
) -> int:
    """Show a published article on all or some units below its own. Idempotent; returns how
    many units were added. A unit outside the publisher's subtree, or not strictly below the
    article's unit, is ``NotFound``."""
    require(acting_user, can_publish, article)
    article = _locked(article)
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError(_("Only a published article can be pushed down."))
    below = units_below(unit=article.unit)
    if all_below:
        targets = list(below)
    else:
        try:
            wanted = {int(pk) for pk in unit_ids}
        except (TypeError, ValueError) as exc:
            raise NotFound from exc
        if not wanted:
            raise ValidationError({"units": _("Choose at least one unit.")})
        targets = list(below.filter(pk__in=wanted))
        if len(targets) != len(wanted):
            raise NotFound
    # Every target lies strictly below the article's unit, where the publisher holds the
    # right, so every target lies inside the publisher's subtree.
    present = set(
        Placement.objects.filter(article=article, unit__in=targets).values_list(
            "unit_id", flat=True
        )
    )
    keys = article.list_keys()  # bulk_create calls no save(): the copies are set here
    new = [
        Placement(article=article, unit=u, via=PlacementVia.PUSHED, accepted=True, **keys)
        for u in targets
        if u.pk not in present
    ]
    Placement.objects.bulk_create(new, batch_size=500)
    if new:
        names = [p.unit.name for p in new]
        shown = ", ".join(names[:10]) + (f" … (+{len(names) - 10})" if len(names) > 10 else "")
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=article,
            unit=article.unit,
            note=_("pushed down to %(count)d units: %(units)s")
            % {"count": len(new), "units": shown},
        )
        announce_site_change(
            unit_ids=[p.unit_id for p in new], article_ids=[article.pk], slots=False
        )
    return len(new)


@transaction.atomic
def article_recommend(*, acting_user: Actor, article: Article) -> Placement:
    """Propose a published article to the site of the unit above; its secretary decides."""
    require(acting_user, can_write, article)
    article = _locked(article)
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError(_("Only a published article can be recommended."))
    parent = Unit.objects.get_parent(article.unit)
    if parent is None or parent.status != UnitStatus.ACTIVE:
        raise ValidationError(_("This unit has no unit above it to recommend to."))
    placement, created = Placement.objects.get_or_create(
        article=article,
        unit=parent,
        defaults={"via": PlacementVia.RECOMMENDED, "accepted": False},
    )
    if created:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=article,
            unit=article.unit,
            note=_("recommended to %(unit)s") % {"unit": parent.name},
        )
        notices.article_recommended(acting_user, article, parent)
    return placement


def _recommendation(placement: Placement) -> Placement:
    found = (
        Placement.objects.select_for_update()
        .select_related("article", "article__unit", "unit")
        .filter(pk=placement.pk, via=PlacementVia.RECOMMENDED)
        .first()
    )
    if found is None:
        raise NotFound
    return found


@transaction.atomic
def recommendation_accept(*, acting_user: Actor, placement: Placement) -> Placement:
    """The unit above shows the recommended article on its own site."""
    require(acting_user, can_decide_recommendation, placement)
    placement = _recommendation(placement)
    if not placement.accepted:
        placement.accepted = True
        placement.save(update_fields=["accepted"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=placement.article,
            unit=placement.unit,
            note=_("recommendation accepted by %(unit)s") % {"unit": placement.unit.name},
        )
        announce_site_change(
            unit_ids=[placement.unit_id], article_ids=[placement.article_id], slots=False
        )
    return placement


@transaction.atomic
def recommendation_decline(*, acting_user: Actor, placement: Placement) -> None:
    """The unit above does not take the recommended article (it may be proposed again)."""
    require(acting_user, can_decide_recommendation, placement)
    placement = _recommendation(placement)
    was_shown = placement.accepted
    placement.delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=placement.article,
        unit=placement.unit,
        note=_("recommendation declined by %(unit)s") % {"unit": placement.unit.name},
    )
    if was_shown:
        announce_site_change(
            unit_ids=[placement.unit_id], article_ids=[placement.article_id], slots=False
        )
