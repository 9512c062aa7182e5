"""Evidence: photos, files and links attached to an assessment item or to a task report.

Pictures are re-encoded (``core.media.store_image``: EXIF dropped, phone-sized variants);
files must really be PDF or Office files (``check_attachment``); links must point at a
record on this platform (a path starting with ``/``). An assessment item accepts only the
kinds of evidence its standard item asks for. Evidence can be added or removed only while
the owner can still be changed (an assessment not submitted or returned; a report not
yet submitted or returned).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nutag.assess.models import (
    AssessmentItem,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    ReportStatus,
    TaskReport,
    TaskStatus,
)
from nutag.assess.permissions import can_report, can_self_assess
from nutag.assess.services._common import actor, delete_after_commit, require, saving
from nutag.core import media
from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_text

MAX_EVIDENCE = 20  # per item or report
ASSESSMENT_EDITABLE = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})
REPORT_EDITABLE = frozenset({ReportStatus.PENDING, ReportStatus.RETURNED})


def _check_owner(acting_user: Actor, owner: AssessmentItem | TaskReport) -> None:
    if isinstance(owner, AssessmentItem):
        assessment = owner.assessment
        require(acting_user, can_self_assess, assessment)
        if assessment.status not in ASSESSMENT_EDITABLE:
            raise ValidationError(
                _("This self-assessment has been submitted; it can no longer be changed.")
            )
    else:
        require(acting_user, can_report, owner)
        if owner.status not in REPORT_EDITABLE:
            raise ValidationError(_("This report has been submitted; it can no longer be changed."))
        if owner.task.status != TaskStatus.OPEN:
            raise ValidationError(_("This task is closed: reports can no longer be changed."))


def _check_kind(owner: AssessmentItem | TaskReport, kind: str) -> None:
    if kind not in (EvidenceKind.PHOTO, EvidenceKind.FILE, EvidenceKind.LINK):
        raise ValidationError({"kind": _("Choose a photo, a file or a link.")})
    if isinstance(owner, AssessmentItem):
        accepts = owner.item.accepts or []
        if accepts and kind not in accepts:
            wanted = "、".join(str(EvidenceKind(k).label) for k in accepts if k in EvidenceKind)
            raise ValidationError(
                {
                    "kind": _("“%(item)s” asks for: %(wanted)s. A %(kind)s is not accepted here.")
                    % {
                        "item": owner.item.title,
                        "wanted": wanted,
                        "kind": str(EvidenceKind(kind).label),
                    }
                }
            )


def evidence_add(
    *,
    acting_user: Actor,
    owner: AssessmentItem | TaskReport,
    kind: str,
    upload: Any = None,
    url: str = "",
    name: str = "",
) -> Evidence:
    """Attach a photo or a file (``upload``) or a link (``url``) to ``owner``."""
    _check_owner(acting_user, owner)
    _check_kind(owner, kind)
    unit = owner.assessment.unit if isinstance(owner, AssessmentItem) else owner.unit
    field = "assessment_item" if isinstance(owner, AssessmentItem) else "report"
    if Evidence.objects.filter(**{field: owner}).count() >= MAX_EVIDENCE:
        raise ValidationError(
            _("At most %(n)d pieces of evidence per item: remove one first.") % {"n": MAX_EVIDENCE}
        )

    def run(written: list[str]) -> Evidence:
        evidence = Evidence(unit=unit, kind=kind, added_by=actor(acting_user), **{field: owner})
        if kind == EvidenceKind.LINK:
            link = (url or "").strip()
            if not link.startswith("/") or link.startswith("//") or len(link) > 300:
                raise ValidationError(
                    {
                        "url": _(
                            "Give the address of a record on this platform, "
                            "starting with “/” (for example /u/150725/a/12/)."
                        )
                    }
                )
            evidence.url = link
            evidence.name = clean_text(name)[:120] or link[:120]
        else:
            if upload is None:
                raise ValidationError({"upload": _("Choose a file to upload.")})
            if kind == EvidenceKind.PHOTO:
                stored = media.store_image(upload, folder=f"evidence/{unit.pk}")
                written += media.image_files(stored.as_dict())
                evidence.file.name = stored.name
                evidence.image = stored.as_dict()
                evidence.name = media.clean_file_name(getattr(upload, "name", "") or "photo")[:120]
            else:
                display = media.check_attachment(upload)
                ext = display.rpartition(".")[2].lower()
                path = media.store_file(upload, folder=f"evidence/{unit.pk}", ext=ext)
                written.append(path)
                evidence.file.name = path
                evidence.name = display[:120]
            evidence.size = int(getattr(upload, "size", 0) or 0)
        evidence.full_clean(exclude=["added_by", "file"])
        evidence.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=owner,
            unit=unit,
            changes={"evidence": [None, evidence.name]},
        )
        return evidence

    return saving(run)


@transaction.atomic
def evidence_remove(*, acting_user: Actor, evidence: Evidence) -> None:
    owner: AssessmentItem | TaskReport = evidence.assessment_item or evidence.report  # type: ignore[assignment]
    _check_owner(acting_user, owner)
    names = media.image_files(evidence.image) if evidence.image else []
    if evidence.file and evidence.file.name not in names:
        names.append(evidence.file.name)
    name = evidence.name
    evidence.delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=owner,
        unit=evidence.unit,
        changes={"evidence": [name, None]},
    )
    delete_after_commit(names)
