"""Uploads of an article: cover, body photos, audio and attachments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nutag.core import media
from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.media import delete_after_commit, saving
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_html
from nutag.orgs.permissions import require
from nutag.sites import bodies
from nutag.sites.models import (
    Article,
    Attachment,
)
from nutag.sites.permissions import can_write
from nutag.sites.services._common import (
    EDITABLE,
    ArticleFiles,
    _locked,
)


def _apply_files(article: Article, files: ArticleFiles, written: list[str]) -> list[str]:
    """Store the uploads on ``article`` (not yet saved); the files that become unused."""
    unit_id = article.unit_id
    replaced: list[str] = []
    if files.cover is not None or files.remove_cover:
        replaced += media.image_files(article.cover_image)
        if article.cover and article.cover.name not in replaced:
            replaced.append(article.cover.name)
        article.cover.name = ""
        article.cover_image, article.cover_width, article.cover_height = {}, None, None
    if files.cover is not None:
        stored = media.store_image(files.cover, folder=f"covers/{unit_id}")
        written += media.image_files(stored.as_dict())
        article.cover.name = stored.name
        article.cover_image = stored.as_dict()
        article.cover_width, article.cover_height = stored.width, stored.height
    blocks = []
    for photo in files.photos:
        stored = media.store_image(photo, folder=f"photos/{unit_id}")
        written += media.image_files(stored.as_dict())
        article.photos = [*(article.photos or []), stored.as_dict()]
        blocks.append(bodies.photo_block(stored.as_dict(), alt=article.title))
    if blocks:
        article.body = clean_html("\n\n".join([article.body, *blocks]).strip())
    if files.audio is not None or files.remove_audio:
        if article.audio:
            replaced.append(article.audio.name)
        article.audio.name = ""
    if files.audio is not None:
        media.check_audio(files.audio)
        ext = media.clean_file_name(files.audio.name).rpartition(".")[2].lower()
        name = media.store_file(files.audio, folder=f"audio/{unit_id}", ext=ext)
        written.append(name)
        article.audio.name = name
    return replaced


def _add_attachments(article: Article, uploads: Iterable[Any], written: list[str]) -> list[str]:
    names = []
    for upload in uploads:
        name = media.check_attachment(upload)
        ext = name.rpartition(".")[2].lower()
        path = media.store_file(upload, folder=f"attachments/{article.unit_id}", ext=ext)
        written.append(path)
        attachment = Attachment(article=article, name=name, size=upload.size)
        attachment.file.name = path
        attachment.full_clean()
        attachment.save()
        names.append(name)
    return names


def _unused_photos(article: Article) -> list[str]:
    """Files of body photos whose picture the writer deleted from the text."""
    kept, unused = [], []
    for stored in article.photos or []:
        if stored.get("name") and stored["name"].rpartition(".")[0] in article.body:
            kept.append(stored)
        else:
            unused += media.image_files(stored)
    article.photos = kept
    return unused


def attachment_add(*, acting_user: Actor, article: Article, upload: Any) -> Attachment:
    """Attach a PDF or Office file to an article that can still be edited."""
    require(acting_user, can_write, article)

    def run(written: list[str]) -> Attachment:
        locked = _locked(article)
        if locked.status not in EDITABLE:
            raise ValidationError(
                _("A submitted or published article cannot be changed: take it back first.")
            )
        _add_attachments(locked, [upload], written)
        attachment = Attachment.objects.filter(article=locked).latest("pk")
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            unit=locked.unit,
            changes={"attachments": [None, attachment.name]},
        )
        return attachment

    attachment: Attachment = saving(run)
    return attachment


@transaction.atomic
def attachment_remove(*, acting_user: Actor, attachment: Attachment) -> None:
    article = attachment.article
    require(acting_user, can_write, article)
    locked = _locked(article)
    if locked.status not in EDITABLE:
        raise ValidationError(
            _("A submitted or published article cannot be changed: take it back first.")
        )
    name, path = attachment.name, attachment.file.name
    attachment.delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        unit=locked.unit,
        changes={"attachments": [name, None]},
    )
    delete_after_commit([path])
