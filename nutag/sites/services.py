"""Every write to the unit sites: columns, articles and their workflow, push down, recommend up.

Workflow of an article (``ArticleStatus``)::

    draft ──submit──▶ submitted ──publish──▶ published ──withdraw──▶ withdrawn
      ▲  ◀─withdraw──┘    │return(reason)                               │
      │                   ▼                                             │
      └──── edit ──── returned ◀────────── edit, submit, publish ───────┘

- writing (create, edit, submit, take back, attachments, recommend up) needs
  ``Perm.WRITE_ARTICLES`` at the article's unit (officers and secretaries);
- publishing, returning, withdrawing a published article, pushing down, accepting a
  recommendation and editing columns need ``Perm.PUBLISH_ARTICLES`` (secretaries).

Rights flow down the tree, so a township secretary may publish a village's article. Anything
out of reach raises ``NotFound`` (a 404, the same as a missing object). ``acting_user=None``
is the system (the demo loader): rights are not checked. Every call is atomic and writes an
audit row; a change of what a public page shows is announced after commit
(``nutag.sites.events.site_changed``). Files are written before the rows that point to them
and deleted again if the transaction fails; files a change replaces are deleted after commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit, UnitStatus
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.orgs.services import NotFound
from nutag.sites import bodies, media
from nutag.sites.columns import DEFAULT_COLUMNS, DEFAULT_KEYS
from nutag.sites.events import announce_site_change
from nutag.sites.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Attachment,
    Column,
    Placement,
    PlacementVia,
)
from nutag.sites.sanitize import clean_html, clean_text

ARTICLE_FIELDS = [
    "kind", "column", "title", "summary", "title_mn", "summary_mn", "pinned", "publish_at",
    "status",
]  # fmt: skip
COLUMN_FIELDS = ["title", "title_mn", "enabled"]
# What a writer may still change; submitted and published articles are frozen (a published
# one is withdrawn first, then edited and published again).
EDITABLE = frozenset({ArticleStatus.DRAFT, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN})
PUBLISHABLE = frozenset(
    {
        ArticleStatus.DRAFT,
        ArticleStatus.SUBMITTED,
        ArticleStatus.RETURNED,
        ArticleStatus.WITHDRAWN,
    }
)


@dataclasses.dataclass
class ArticleInput:
    """Everything a form, the API or the demo can say about an article's text."""

    title: str
    kind: str = ArticleKind.ARTICLE
    column_key: str = ""
    summary: str = ""
    body: str = ""
    title_mn: str = ""
    summary_mn: str = ""
    body_mn: str = ""
    pinned: bool = False
    publish_at: dt.datetime | None = None


@dataclasses.dataclass
class ArticleFiles:
    """Uploads that come with a save. Each is checked again here (the form checked first)."""

    cover: Any = None
    remove_cover: bool = False
    photos: Sequence[Any] = ()
    audio: Any = None
    remove_audio: bool = False
    attachments: Sequence[Any] = ()


def _require(user: AnyUser | None, perm: Perm, unit: Unit) -> None:
    if user is not None and not has_unit_perm(user=user, perm=perm, unit=unit):
        raise NotFound


def _actor(user: AnyUser | None) -> User | None:
    return user if isinstance(user, User) else None


def _locked(article: Article) -> Article:
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("unit", "column")
        .get(pk=article.pk)
    )


def _shown_on(article: Article) -> list[int]:
    return list(
        Placement.objects.filter(article=article, accepted=True).values_list("unit_id", flat=True)
    )


# --- columns ---------------------------------------------------------------------------


def _materialise_columns(unit: Unit) -> list[Column]:
    """Save the default columns the unit lacks (parents first), in the seed's order. Titles
    are stored in the site's default language; the secretary may rename them."""
    existing = {c.key: c for c in Column.objects.filter(unit=unit)}
    missing = [c for c in DEFAULT_COLUMNS if c.key not in existing]
    if not missing:
        return sorted(existing.values(), key=lambda c: (c.position, c.pk))
    next_position = max((c.position for c in existing.values()), default=-1) + 1
    with translation.override(settings.LANGUAGE_CODE):
        for inside in (False, True):  # the groups first, then the columns inside them
            rows = []
            for default in missing:
                if bool(default.parent) is not inside:
                    continue
                column = Column(
                    unit=unit,
                    key=default.key,
                    title=str(default.title)[:40],
                    parent=existing.get(default.parent) if default.parent else None,
                    position=next_position + DEFAULT_COLUMNS.index(default),
                    enabled=True,
                )
                column.full_clean(
                    exclude=["unit", "parent"], validate_unique=False, validate_constraints=False
                )
                rows.append(column)
            Column.objects.bulk_create(rows)
            existing = {c.key: c for c in Column.objects.filter(unit=unit)}
    announce_site_change(unit_ids=[unit.pk])
    return sorted(existing.values(), key=lambda c: (c.position, c.pk))


@transaction.atomic
def columns_ensure(*, acting_user: AnyUser | None, unit: Unit) -> list[Column]:
    """The unit's columns, saving the seed's defaults (incl. the 党建之家 group) it lacks."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, unit)
    return _materialise_columns(unit)


@transaction.atomic
def column_update(
    *, acting_user: AnyUser | None, column: Column, title: str, title_mn: str, enabled: bool
) -> Column:
    """Rename, show or hide a column."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, column.unit)
    column = Column.objects.select_for_update(of=("self",)).select_related("unit").get(pk=column.pk)
    before = snapshot(column, COLUMN_FIELDS)
    column.title = clean_text(title)
    column.title_mn = clean_text(title_mn)
    column.enabled = enabled
    if not column.title:
        raise ValidationError({"title": _("A column needs a title.")})
    column.full_clean(exclude=["unit", "parent"])
    column.save()
    changes = diff(before, snapshot(column, COLUMN_FIELDS))
    if changes:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=column,
            unit=column.unit,
            changes=changes,
        )
        announce_site_change(unit_ids=[column.unit_id])
    return column


@transaction.atomic
def columns_reorder(
    *, acting_user: AnyUser | None, unit: Unit, ordered_ids: Sequence[int]
) -> list[Column]:
    """Put the unit's columns in the order given: every column of the unit, each once."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, unit)
    columns = {c.pk: c for c in Column.objects.select_for_update().filter(unit=unit)}
    ids = [int(i) for i in ordered_ids]
    if len(ids) != len(set(ids)) or set(ids) != set(columns):
        raise ValidationError(_("The new order must list every column of the unit once."))
    changed = []
    for position, pk in enumerate(ids):
        column = columns[pk]
        if column.position != position:
            column.position = position
            changed.append(column)
    if changed:
        Column.objects.bulk_update(changed, ["position"])
        announce_site_change(unit_ids=[unit.pk])
    return [columns[pk] for pk in ids]


@transaction.atomic
def column_move(*, acting_user: AnyUser | None, column: Column, up: bool) -> list[Column]:
    """Swap a column with the one before (``up``) or after it among its siblings."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, column.unit)
    ordered = list(Column.objects.filter(unit_id=column.unit_id).order_by("position", "id"))
    siblings = [c for c in ordered if c.parent_id == column.parent_id]
    index = next((i for i, c in enumerate(siblings) if c.pk == column.pk), None)
    if index is None:
        raise NotFound
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return ordered  # already first or last: nothing to do
    a, b = ordered.index(siblings[index]), ordered.index(siblings[other])
    ordered[a], ordered[b] = ordered[b], ordered[a]
    return columns_reorder(
        acting_user=acting_user, unit=column.unit, ordered_ids=[c.pk for c in ordered]
    )


# --- articles ---------------------------------------------------------------------------


def _column_for(unit: Unit, key: str) -> Column | None:
    if not key:
        return None
    column = Column.objects.filter(unit=unit, key=key).first()
    if column is None and key in DEFAULT_KEYS:
        column = next((c for c in _materialise_columns(unit) if c.key == key), None)
    if column is None:
        raise ValidationError({"column_key": _("Choose one of the unit's columns.")})
    return column


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


def _delete_after_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: media.delete_files(names))


def _saving(run: Any) -> Any:
    """Run ``run(written)`` atomically; delete the files it wrote if anything fails."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return run(written)
    except BaseException:
        media.delete_files(written)
        raise


def article_create(
    *,
    acting_user: AnyUser | None,
    unit: Unit,
    data: ArticleInput,
    files: ArticleFiles | None = None,
) -> Article:
    """A new draft at ``unit``, written by ``acting_user``."""
    _require(acting_user, Perm.WRITE_ARTICLES, unit)
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError(_("A closed unit cannot publish on its site."))
    files = files or ArticleFiles()

    def run(written: list[str]) -> Article:
        article = Article(unit=unit, author=_actor(acting_user), status=ArticleStatus.DRAFT)
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

    article: Article = _saving(run)
    return article


def article_update(
    *,
    acting_user: AnyUser | None,
    article: Article,
    data: ArticleInput,
    files: ArticleFiles | None = None,
) -> Article:
    """Change a draft, a returned or a withdrawn article (never a submitted or published one)."""
    _require(acting_user, Perm.WRITE_ARTICLES, article.unit)
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
        _delete_after_commit(replaced)
        return locked

    updated: Article = _saving(run)
    return updated


def _set_status(
    acting_user: AnyUser | None,
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
def article_submit(*, acting_user: AnyUser | None, article: Article) -> Article:
    """Send the article to the unit's secretary for approval."""
    _require(acting_user, Perm.WRITE_ARTICLES, article.unit)
    article = _locked(article)
    if article.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned article can be submitted."))
    _set_status(acting_user, article, ArticleStatus.SUBMITTED)
    return article


@transaction.atomic
def article_publish(*, acting_user: AnyUser | None, article: Article) -> Article:
    """Publish on the unit's own site (at ``publish_at`` if that lies ahead)."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, article.unit)
    article = _locked(article)
    if article.status not in PUBLISHABLE:
        raise ValidationError(_("This article is already published."))
    if article.unit.status != UnitStatus.ACTIVE:
        raise ValidationError(_("A closed unit cannot publish on its site."))
    now = timezone.now()
    article.published_at = max(now, article.publish_at) if article.publish_at else now
    article.approved_by = _actor(acting_user)
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
    announce_site_change(unit_ids=_shown_on(article), article_ids=[article.pk])
    return article


@transaction.atomic
def article_return(*, acting_user: AnyUser | None, article: Article, reason: str) -> Article:
    """Send a submitted article back to its writer, saying why."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, article.unit)
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
    return article


@transaction.atomic
def article_withdraw(*, acting_user: AnyUser | None, article: Article) -> Article:
    """Take a submitted article back to draft (its writer), or take a published one off every
    site it shows on (a secretary)."""
    article = _locked(article)
    if article.status == ArticleStatus.SUBMITTED:
        _require(acting_user, Perm.WRITE_ARTICLES, article.unit)
        _set_status(acting_user, article, ArticleStatus.DRAFT)
    elif article.status == ArticleStatus.PUBLISHED:
        _require(acting_user, Perm.PUBLISH_ARTICLES, article.unit)
        _set_status(acting_user, article, ArticleStatus.WITHDRAWN)
        announce_site_change(unit_ids=_shown_on(article), article_ids=[article.pk])
    else:
        _require(acting_user, Perm.WRITE_ARTICLES, article.unit)
        raise ValidationError(_("Only a submitted or published article can be withdrawn."))
    return article


def units_below(*, unit: Unit) -> Any:
    """Active units strictly below ``unit``, in tree order."""
    return (
        Unit.objects.filter(subtree_q(unit.path), status=UnitStatus.ACTIVE)
        .exclude(pk=unit.pk)
        .order_by("path")
    )


@transaction.atomic
def article_push(
    *,
    acting_user: AnyUser | None,
    article: Article,
    unit_ids: Iterable[int] = (),
    all_below: bool = False,
) -> int:
    """Show a published article on all or some units below its own. Idempotent; returns how
    many units were added. A unit outside the publisher's subtree, or not strictly below the
    article's unit, is ``NotFound``."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, article.unit)
    article = _locked(article)
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError(_("Only a published article can be pushed down."))
    below = units_below(unit=article.unit)
    if all_below:
        targets = list(below)
    else:
        try:
            wanted = {int(pk) for pk in unit_ids}
        except (TypeError, ValueError) as exc:
            raise NotFound from exc
        if not wanted:
            raise ValidationError({"units": _("Choose at least one unit.")})
        targets = list(below.filter(pk__in=wanted))
        if len(targets) != len(wanted):
            raise NotFound
    # Every target lies strictly below the article's unit, where the publisher holds the
    # right, so every target lies inside the publisher's subtree.
    present = set(
        Placement.objects.filter(article=article, unit__in=targets).values_list(
            "unit_id", flat=True
        )
    )
    new = [
        Placement(article=article, unit=u, via=PlacementVia.PUSHED, accepted=True)
        for u in targets
        if u.pk not in present
    ]
    Placement.objects.bulk_create(new, batch_size=500)
    if new:
        names = [p.unit.name for p in new]
        shown = ", ".join(names[:10]) + (f" … (+{len(names) - 10})" if len(names) > 10 else "")
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=article,
            unit=article.unit,
            note=_("pushed down to %(count)d units: %(units)s")
            % {"count": len(new), "units": shown},
        )
        announce_site_change(unit_ids=[p.unit_id for p in new], article_ids=[article.pk])
    return len(new)


@transaction.atomic
def article_recommend(*, acting_user: AnyUser | None, article: Article) -> Placement:
    """Propose a published article to the site of the unit above; its secretary decides."""
    _require(acting_user, Perm.WRITE_ARTICLES, article.unit)
    article = _locked(article)
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError(_("Only a published article can be recommended."))
    parent = article.unit.get_parent()
    if parent is None or parent.status != UnitStatus.ACTIVE:
        raise ValidationError(_("This unit has no unit above it to recommend to."))
    placement, created = Placement.objects.get_or_create(
        article=article,
        unit=parent,
        defaults={"via": PlacementVia.RECOMMENDED, "accepted": False},
    )
    if created:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=article,
            unit=article.unit,
            note=_("recommended to %(unit)s") % {"unit": parent.name},
        )
    return placement


def _recommendation(placement: Placement) -> Placement:
    found = (
        Placement.objects.select_for_update()
        .select_related("article", "article__unit", "unit")
        .filter(pk=placement.pk, via=PlacementVia.RECOMMENDED)
        .first()
    )
    if found is None:
        raise NotFound
    return found


@transaction.atomic
def recommendation_accept(*, acting_user: AnyUser | None, placement: Placement) -> Placement:
    """The unit above shows the recommended article on its own site."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, placement.unit)
    placement = _recommendation(placement)
    if not placement.accepted:
        placement.accepted = True
        placement.save(update_fields=["accepted"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=placement.article,
            unit=placement.unit,
            note=_("recommendation accepted by %(unit)s") % {"unit": placement.unit.name},
        )
        announce_site_change(unit_ids=[placement.unit_id], article_ids=[placement.article_id])
    return placement


@transaction.atomic
def recommendation_decline(*, acting_user: AnyUser | None, placement: Placement) -> None:
    """The unit above does not take the recommended article (it may be proposed again)."""
    _require(acting_user, Perm.PUBLISH_ARTICLES, placement.unit)
    placement = _recommendation(placement)
    was_shown = placement.accepted
    placement.delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=placement.article,
        unit=placement.unit,
        note=_("recommendation declined by %(unit)s") % {"unit": placement.unit.name},
    )
    if was_shown:
        announce_site_change(unit_ids=[placement.unit_id], article_ids=[placement.article_id])


def attachment_add(*, acting_user: AnyUser | None, article: Article, upload: Any) -> Attachment:
    """Attach a PDF or Office file to an article that can still be edited."""
    _require(acting_user, Perm.WRITE_ARTICLES, article.unit)

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

    attachment: Attachment = _saving(run)
    return attachment


@transaction.atomic
def attachment_remove(*, acting_user: AnyUser | None, attachment: Attachment) -> None:
    article = attachment.article
    _require(acting_user, Perm.WRITE_ARTICLES, article.unit)
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
    _delete_after_commit([path])
