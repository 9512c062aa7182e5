"""Visit photos: kept private (``youth.storage``), readable only by those who can read the
record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.models import AuditAction
from nutag.orgs.permissions import require
from nutag.youth.models import Visit, VisitPhoto
from nutag.youth.permissions import can_write_visit
from nutag.youth.storage import delete_private, store_private_photo

MAX_PER_VISIT = 6


def visit_photo_add(*, acting_user: Actor, visit: Visit, upload: Any) -> VisitPhoto:
    """Add a photo to a visit (its writer or whoever keeps the record)."""
    require(acting_user, can_write_visit, visit.pairing.record)
    if VisitPhoto.objects.filter(visit=visit).count() >= MAX_PER_VISIT:
        raise ValidationError(_("A visit keeps at most %(n)s photos.") % {"n": MAX_PER_VISIT})
    name = store_private_photo(upload, folder=f"youth/visits/{visit.pk}")
    try:
        with transaction.atomic():
            photo = VisitPhoto(visit=visit, image=name)
            photo.full_clean()
            photo.save()
            audit_record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=photo,
                unit=visit.unit,
                changes={"visit": [None, visit.pk]},
            )
    except BaseException:
        delete_private([name])
        raise
    return photo
