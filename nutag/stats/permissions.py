"""Who may read aggregate figures: anyone, unless the banner made them private."""

from django.conf import settings

from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm


def can_view_figures(*, user: AnyUser, unit: Unit) -> bool:
    if settings.NUTAG_PUBLIC_STATS:
        return True
    return has_unit_perm(user=user, perm=Perm.VIEW_STATS, unit=unit)
