"""Files of study: a lesson's PDF and pictures, a meeting's photos.

The project's upload checks (``nutag.core.media``): a PDF is refused unless its content is a
PDF, a picture unless it opens as one (size and pixel limits included); files are stored under
random names, and deleted again if the database write fails (``media.saving``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nutag.core import media
from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.models import AuditAction
from nutag.orgs.permissions import require
from nutag.study.models import Lesson, Meeting
from nutag.study.permissions import can_manage_study

MAX_PHOTOS = 12


def check_pdf(upload: Any) -> str:
    """The clean display name of a real PDF within the attachment limit, else refused."""
    name = media.check_attachment(upload)
    if not name.lower().endswith(".pdf"):
        raise ValidationError(_("Only a PDF file can be added to a lesson."), code="bad_type")
    return name


def store_lesson_files(
    lesson: Lesson, *, pdf: Any, images: Sequence[Any], written: list[str]
) -> None:
    """Store ``pdf`` and ``images`` on ``lesson`` (not saved yet)."""
    folder = f"study/{lesson.course.unit_id}"
    if pdf is not None:
        lesson.pdf_name = check_pdf(pdf)
        lesson.pdf.name = media.store_file(pdf, folder=folder, ext="pdf")
        written.append(lesson.pdf.name)
    for upload in images:
        stored = media.store_image(upload, folder=folder).as_dict()
        written += media.image_files(stored)
        lesson.images = [*(lesson.images or []), stored]


def meeting_photos_add(*, acting_user: Actor, meeting: Meeting, photos: Sequence[Any]) -> Meeting:
    """Add photos to a meeting's record (at most ``MAX_PHOTOS`` in all)."""
    require(acting_user, can_manage_study, meeting.unit)
    if len(meeting.photos or []) + len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(n)s photos per meeting.") % {"n": MAX_PHOTOS}}
        )

    def run(written: list[str]) -> Meeting:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        for upload in photos:
            stored = media.store_image(upload, folder=f"study/{locked.unit_id}/meetings")
            written += media.image_files(stored.as_dict())
            locked.photos = [*(locked.photos or []), stored.as_dict()]
        locked.save(update_fields=["photos", "updated_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            unit=locked.unit,
            changes={"photos": len(photos)},
        )
        return locked

    done: Meeting = media.saving(run)
    return done
