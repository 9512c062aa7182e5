"""The banner's concern categories and its townships' routing rules, edited in the workbench
by the banner's secretaries and officers (``can_manage_categories``): add a category, change
its name, time limit and whether it may be anonymous, retire it (a category is never deleted:
its concerns keep pointing at it; a retired one is no longer offered) or bring it back; set
or remove a township's rule sending a category's concerns to a chosen unit of the township.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within
from nutag.orgs.permissions import require
from nutag.voice.models import Category, RoutingRule
from nutag.voice.permissions import can_manage_categories

TOWNSHIP_DEPTH = 2


def _check(name: str, days_limit: int) -> tuple[str, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("Give the category a name.")]
    if not 1 <= int(days_limit or 0) <= 365:
        errors["days_limit"] = [_("From 1 to 365 days.")]
    return name, errors


@transaction.atomic
def category_create(
    *, acting_user: Actor, banner: Unit, name: str, days_limit: int, allows_anonymous: bool
) -> Category:
    require(acting_user, can_manage_categories, banner)
    name, errors = _check(name, days_limit)
    if not errors and Category.objects.filter(banner=banner, name=name).exists():
        errors["name"] = [_("There is already a category of that name.")]
    if errors:
        raise ValidationError(errors)
    n = Category.objects.filter(banner=banner).count()
    key = f"c{n + 1}"
    while Category.objects.filter(banner=banner, key=key).exists():
        n += 1
        key = f"c{n + 1}"
    category = Category(
        banner=banner,
        key=key,
        name=name,
        days_limit=days_limit,
        allows_anonymous=allows_anonymous,
        order=n,
    )
    category.full_clean()
    category.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=category, unit=banner)
    return category


@transaction.atomic
def category_update(
    *,
    acting_user: Actor,
    category: Category,
    name: str,
    days_limit: int,
    allows_anonymous: bool,
) -> Category:
    """Change the name, the time limit (for concerns raised from now on) and whether it may
    be anonymous."""
    require(acting_user, can_manage_categories, category.banner)
    name, errors = _check(name, days_limit)
    if errors:
        raise ValidationError(errors)
    changes = {
        field: [str(getattr(category, field)), str(value)]
        for field, value in (
            ("name", name),
            ("days_limit", days_limit),
            ("allows_anonymous", allows_anonymous),
        )
        if getattr(category, field) != value
    }
    category.name = name
    category.days_limit = days_limit
    category.allows_anonymous = allows_anonymous
    category.full_clean()
    category.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=category,
        unit=category.banner,
        changes=changes,
    )
    return category


@transaction.atomic
def category_retire(*, acting_user: Actor, category: Category, retired: bool = True) -> Category:
    """Retire a category (no longer offered; its concerns keep it), or bring it back. The
    last offered category cannot be retired."""
    require(acting_user, can_manage_categories, category.banner)
    if retired and not (
        Category.objects.filter(banner_id=category.banner_id, retired=False)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise ValidationError(_("Keep at least one category for residents to choose."))
    category.retired = retired
    category.save(update_fields=["retired"])
    audit_record(
        actor=acting_user,
        action=AuditAction.CLOSE if retired else AuditAction.REOPEN,
        obj=category,
        unit=category.banner,
    )
    return category


@transaction.atomic
def routing_rule_set(
    *,
    acting_user: Actor,
    banner: Unit,
    township: Unit,
    category: Category,
    target: Unit | None,
) -> RoutingRule | None:
    """Send the township's concerns of ``category`` to ``target`` (a unit of the township,
    the township itself included); ``None`` removes the rule (back to the resident's own
    village or community)."""
    require(acting_user, can_manage_categories, banner)
    if township.depth != TOWNSHIP_DEPTH or not is_within(township.path, banner.path):
        raise ValidationError({"township": [_("Give the code of a township of the banner.")]})
    if category.banner_id != banner.pk:
        raise NotFound
    if target is None:
        RoutingRule.objects.filter(township=township, category=category).delete()
        audit_record(
            actor=acting_user,
            action=AuditAction.DELETE,
            obj=category,
            unit=township,
            note="routing rule removed",
        )
        return None
    if not is_within(target.path, township.path):
        raise ValidationError({"target": [_("The unit must be in the township.")]})
    rule, _made = RoutingRule.objects.update_or_create(
        township=township, category=category, defaults={"target": target}
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=rule,
        unit=township,
        note=f"routing: {category.key} → {target.code}",
    )
    return rule
