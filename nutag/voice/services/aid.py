"""Mutual aid (社群互助): a verified resident posts a request or an offer of help at their
unit (an officer may post on someone's behalf); the poster or an officer marks it met; an
officer hides an abusive post (audited, with the reason; the row stays).

Every change announces the unit's site change, so the cached column page is purged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.media import image_files, saving, store_image
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.voice.models import AidKind, AidPost, AidStatus, AidTopic
from nutag.voice.permissions import can_close_aid, can_moderate_aid, can_post_aid

MAX_AID_PHOTOS = 3


def _announce(unit: Unit) -> None:
    from nutag.sites.events import announce_site_change

    announce_site_change(unit_ids=[unit.pk])


def aid_post_create(
    *,
    acting_user: Actor,
    unit: Unit,
    kind: str,
    topic: str,
    title: str,
    text: str = "",
    marks: str = "",
    contact: str = "",
    photos: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> AidPost:
    """A request or an offer at ``unit``, with up to three photos (checked by content)."""
    if not isinstance(acting_user, SystemActor):
        require(acting_user, can_post_aid, unit)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("Say in a few words what is needed or offered.")]
    if kind not in AidKind.values:
        errors["kind"] = [_("Choose a request or an offer.")]
    if topic not in AidTopic.values:
        errors["topic"] = [_("Choose what it is about.")]
    if len(photos) > MAX_AID_PHOTOS:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": MAX_AID_PHOTOS}]
    if errors:
        raise ValidationError(errors)
    person = None
    user = user_or_none(acting_user)
    if user is not None:
        person = Person.objects.filter(user_id=user.pk, unit=unit).first()

    def run(written: list[str]) -> AidPost:
        stored = []
        for upload in photos:
            image = store_image(upload, folder="voice/aid")
            written.extend(image_files(image.as_dict()))
            stored.append(image.as_dict())
        post = AidPost(
            unit=unit,
            unit_path=unit.path,
            kind=kind,
            topic=topic,
            title=title[:120],
            text=(text or "").strip()[:2000],
            marks=(marks or "").strip()[:200],
            contact=(contact or "").strip()[:60],
            photos=stored,
            person=person,
            posted_by=user_or_none(acting_user),
        )
        post.full_clean()
        post.save()
        if now is not None:  # the demo's past posts
            AidPost.objects.filter(pk=post.pk).update(created_at=now)
            post.created_at = now
        audit_record(actor=acting_user, action=AuditAction.CREATE, obj=post, unit=unit)
        _announce(unit)
        return post

    return saving(run)


@transaction.atomic
def aid_post_close(*, acting_user: Actor, post: AidPost, now: dt.datetime | None = None) -> AidPost:
    """Mark a post met (the poster or an officer). Closing a closed post changes nothing."""
    if not isinstance(acting_user, SystemActor):
        require(acting_user, can_close_aid, post)
    if post.status != AidStatus.OPEN:
        raise ValidationError(_("This post is no longer open."), code="closed")
    done = AidPost.objects.filter(pk=post.pk, status=AidStatus.OPEN).update(
        status=AidStatus.MET, closed_at=now or timezone.now()
    )
    if not done:
        raise ValidationError(_("This post is no longer open."), code="closed")
    post.refresh_from_db()
    audit_record(actor=acting_user, action=AuditAction.CLOSE, obj=post, unit=post.unit, note="met")
    _announce(post.unit)
    return post


@transaction.atomic
def aid_post_hide(*, acting_user: Actor, post: AidPost, reason: str) -> AidPost:
    """Hide an abusive post from the site (an officer of its unit and above). The row and
    the audit stay; the reason is required."""
    if not isinstance(acting_user, SystemActor):
        require(acting_user, can_moderate_aid, post.unit)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why the post is hidden.")]})
    AidPost.objects.filter(pk=post.pk).update(status=AidStatus.HIDDEN)
    post.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=post,
        unit=post.unit,
        note=f"hidden: {reason[:200]}",
    )
    _announce(post.unit)
    return post
