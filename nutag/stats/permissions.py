"""Who may read aggregate figures: anyone, unless the banner made them private."""

from django.conf import settings

from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_perm_above, has_unit_perm


def figures_are_public() -> bool:
    """Anyone may read every unit's aggregate figures (``NUTAG_PUBLIC_STATS``, the default):
    then a cached answer needs no unit to be read first."""
    return bool(settings.NUTAG_PUBLIC_STATS)


def can_view_figures(*, user: AnyUser, unit: Unit) -> bool:
    if figures_are_public():
        return True
    return has_unit_perm(user=user, perm=Perm.VIEW_STATS, unit=unit)


def can_compare_with_siblings(*, user: AnyUser, unit: Unit) -> bool:
    """The siblings' figures show next to a unit's only to whoever may read its parent's
    (they are all part of the parent's figures). The root has no siblings."""
    if unit.depth <= 1:
        return False
    if settings.NUTAG_PUBLIC_STATS:
        return True
    return has_perm_above(user=user, perm=Perm.VIEW_STATS, unit=unit)
