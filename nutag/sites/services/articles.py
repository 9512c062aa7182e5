"""The article lifecycle: create, edit, submit, publish, return, withdraw."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, diff, snapshot, user_or_none
from nutag.core.media import delete_after_commit, saving
from nutag.core.models import AuditAction
from nutag.core.sanitize import clean_html, clean_text
from nutag.core.tasks import enqueue
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.permissions import require
from nutag.sites import bodies, notices
from nutag.sites.events import announce_site_change
from nutag.sites.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Placement,
    PlacementVia,
)
from nutag.sites.permissions import can_publish, can_write, can_write_at
from nutag.sites.services._common import (
    ARTICLE_FIELDS,
    EDITABLE,
    PUBLISHABLE,
    ArticleFiles,
    ArticleInput,
    _locked,
    _shown_on,
)
from nutag.sites.services.columns import _column_for
from nutag.sites.services.files import _add_attachments, _apply_files, _unused_photos


def _apply_text(article: Article, data: ArticleInput) -> None:
    if data.kind not in ArticleKind.values:
        raise ValidationError({"kind": _("Choose an article or a notice.")})
    article.kind = data.kind
    article.title = clean_text(data.title)
    article.summary = clean_text(data.summary)
    article.title_mn = clean_text(data.title_mn)
    article.summary_mn = clean_text(data.summary_mn)
    article.body = clean_html(bodies.expand_photos(data.body, article.photos, alt=article.title))
    article.body_mn = clean_html(data.body_mn)
    article.pinned = bool(data.pinned)
    article.publish_at = data.publish_at
    article.column = _column_for(article.unit, data.column_key)
    if not article.title:
        raise ValidationError({"title": _("An article needs a title.")})


def article_create(
    *,
    acting_user: Actor,
    unit: Unit,
    data: ArticleInput,
    files: ArticleFiles | None = None,
) -> Article:
    """A new draft at ``unit``, written by ``acting_user``."""
    require(acting_user, can_write_at, unit)
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError(_("A closed unit cannot publish on its site."))
    files = files or ArticleFiles()

    def run(written: list[str]) -> Article:
        article = Article(unit=unit, author=user_or_none(acting_user), status=ArticleStatus.DRAFT)
        _apply_text(article, data)
        _apply_files(article, files, written)
        article.full_clean(exclude=["author", "approved_by"])
        article.save()
        attached = _add_attachments(article, files.attachments, written)
        changes = diff({}, snapshot(article, ARTICLE_FIELDS))
        if attached:
            changes["attachments"] = [None, ", ".join(attached)]
        audit_record(
            actor=acting_user, action=AuditAction.CREATE, obj=article, unit=unit, changes=changes
        )
        return article

    article: Article = saving(run)
    return article


def article_update(
    *,
    acting_user: Actor,
    article: Article,
    data: ArticleInput,
    files: ArticleFiles | None = None,
) -> Article:
    """Change a draft, a returned or a withdrawn article (never a submitted or published one)."""
    require(acting_user, can_write, article)
    files = files or ArticleFiles()

    def run(written: list[str]) -> Article:
        locked = _locked(article)
        if locked.status not in EDITABLE:
            raise ValidationError(
                _("A submitted or published article cannot be changed: take it back first.")
            )
        before, body_before = snapshot(locked, ARTICLE_FIELDS), locked.body
        _apply_text(locked, data)
        replaced = _apply_files(locked, files, written)
        replaced += _unused_photos(locked)
        locked.full_clean(exclude=["author", "approved_by"])
        locked.save()
        attached = _add_attachments(locked, files.attachments, written)
        changes = diff(before, snapshot(locked, ARTICLE_FIELDS))
        if attached:
            changes["attachments"] = [None, ", ".join(attached)]
        note = _("text changed") if locked.body != body_before else ""
        if changes or note or files.cover is not None or files.audio is not None:
            audit_record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=locked,
                unit=locked.unit,
                changes=changes,
                note=note,
            )
        delete_after_commit(replaced)
        return locked

    updated: Article = saving(run)
    return updated


def _set_status(
    acting_user: Actor,
    article: Article,
    status: str,
    *,
    note: str = "",
    extra: dict[str, list[Any]] | None = None,
) -> None:
    before = article.status
    article.status = status
    article.full_clean(exclude=["author", "approved_by"])
    article.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=article,
        unit=article.unit,
        changes={"status": [before, status], **(extra or {})},
        note=note,
    )


@transaction.atomic
def article_submit(*, acting_user: Actor, article: Article) -> Article:
    """Send the article to the unit's secretary for approval."""
    require(acting_user, can_write, article)
    article = _locked(article)
    if article.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned article can be submitted."))
    _set_status(acting_user, article, ArticleStatus.SUBMITTED)
    notices.article_submitted(acting_user, article)
    return article


@transaction.atomic
def article_publish(*, acting_user: Actor, article: Article) -> Article:
    """Publish on the unit's own site (at ``publish_at`` if that lies ahead)."""
    require(acting_user, can_publish, article)
    article = _locked(article)
    if article.status not in PUBLISHABLE:
        raise ValidationError(_("This article is already published."))
    if article.unit.status != UnitStatus.ACTIVE:
        raise ValidationError(_("A closed unit cannot publish on its site."))
    now = timezone.now()
    article.published_at = max(now, article.publish_at) if article.publish_at else now
    article.approved_by = user_or_none(acting_user)
    reason = article.return_reason
    article.return_reason = ""
    _set_status(
        acting_user,
        article,
        ArticleStatus.PUBLISHED,
        extra={"return_reason": [reason, ""]} if reason else None,
    )
    Placement.objects.get_or_create(
        article=article, unit=article.unit, defaults={"via": PlacementVia.OWN, "accepted": True}
    )
    announce_site_change(unit_ids=_shown_on(article), article_ids=[article.pk], slots=False)
    if settings.NUTAG_SPEECH:  # read aloud by the server, for phones with no voice
        enqueue("nutag.sites.services.speech.speech_render", article_id=article.pk)
    return article


@transaction.atomic
def article_return(*, acting_user: Actor, article: Article, reason: str) -> Article:
    """Send a submitted article back to its writer, saying why."""
    require(acting_user, can_publish, article)
    article = _locked(article)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the article goes back, so it can be fixed.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    if article.status != ArticleStatus.SUBMITTED:
        raise ValidationError(_("Only an article waiting for approval can be returned."))
    before = article.return_reason
    article.return_reason = reason
    _set_status(
        acting_user, article, ArticleStatus.RETURNED, extra={"return_reason": [before, reason]}
    )
    notices.article_returned(acting_user, article)
    return article


@transaction.atomic
def article_withdraw(*, acting_user: Actor, article: Article) -> Article:
    """Take a submitted article back to draft (its writer), or take a published one off every
    site it shows on (a secretary)."""
    article = _locked(article)
    if article.status == ArticleStatus.SUBMITTED:
        require(acting_user, can_write, article)
        _set_status(acting_user, article, ArticleStatus.DRAFT)
    elif article.status == ArticleStatus.PUBLISHED:
        require(acting_user, can_publish, article)
        _set_status(acting_user, article, ArticleStatus.WITHDRAWN)
        announce_site_change(unit_ids=_shown_on(article), article_ids=[article.pk], slots=False)
    else:
        require(acting_user, can_write, article)
        raise ValidationError(_("Only a submitted or published article can be withdrawn."))
    return article
