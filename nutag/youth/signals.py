"""A young person moved to another unit (``people``' person update saves their role with the
new unit): their record follows them (``services.records_follow_young``). ``people`` cannot
import youth, so youth listens to the role's save."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from nutag.core.actors import SYSTEM
from nutag.people.models import YoungPerson


def _young_saved(sender: Any, instance: YoungPerson, created: bool, **kwargs: Any) -> None:
    if created or kwargs.get("raw"):
        return
    from nutag.youth.services import records_follow_young

    records_follow_young(acting_user=SYSTEM, young=instance)


def connect() -> None:
    post_save.connect(_young_saved, sender=YoungPerson, dispatch_uid="youth:young-moved")
