"""Comments on the articles of a unit's site and on its public concerns, and their moderation.

A verified resident of the unit (``can_comment``) writes a comment. It is published at once,
or held for the secretary when the unit chose moderation *before* publication, or when it
contains a word of the banner's list. Abuse reports from distinct logins are counted; at
``REPORT_THRESHOLD`` a published comment is held again until the secretary decides. The
secretary (``can_moderate_comments``) publishes, hides or restores a comment: a
compare-and-set on ``Comment.version``; nothing is ever deleted, and every decision writes
an audit row (who hid what, when, why). A change of what the public sees purges the cached
pages of the unit's site (``sites.events.announce_site_change``).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, SystemActor
from nutag.core.audit import audit_record, user_or_none
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.sites.models import Article
from nutag.voice.models import (
    Comment,
    CommentReport,
    CommentState,
    Concern,
    Moderation,
    TalkSettings,
)
from nutag.voice.permissions import can_comment, can_edit_word_list, can_moderate_comments
from nutag.voice.services.concerns import banner_of

MAX_COMMENT = 1000
REPORT_THRESHOLD = 3
HELD_MODERATION = "moderation"
HELD_WORDS = "words"
HELD_REPORTS = "reports"


def _system(actor: Actor) -> bool:
    return isinstance(actor, SystemActor)


def _settings(unit: Unit) -> TalkSettings:
    return TalkSettings.objects.filter(unit=unit).first() or TalkSettings(unit=unit)


def _words_of(unit: Unit) -> list[str]:
    return _settings(banner_of(unit)).word_list()


def _shown_name(person: Person | None) -> str:
    if person is None or not person.name:
        return _("A resident")
    return person.name[:1] + "**"


def _announce(comment: Comment) -> None:
    from nutag.sites.events import announce_site_change

    announce_site_change(
        unit_ids=[comment.unit_id], article_ids=[comment.article_id] if comment.article_id else []
    )


@transaction.atomic
def comment_post(
    *,
    acting_user: Actor,
    unit: Unit,
    text: str,
    article: Article | None = None,
    concern: Concern | None = None,
) -> Comment:
    """Comment on ``article`` as shown on ``unit``'s site (the caller has fetched it through
    ``sites.selectors.access_public_article``) or on a public concern raised at ``unit``."""
    if not _system(acting_user):
        require(acting_user, can_comment, unit)
    if (article is None) == (concern is None):
        raise NotFound
    if concern is not None and (not concern.is_public or concern.origin_id != unit.pk):
        raise NotFound
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": [_("Write your comment.")]})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": MAX_COMMENT}]})
    lowered = text.lower()
    held_for = ""
    if any(word in lowered for word in _words_of(unit)):
        held_for = HELD_WORDS
    elif _settings(unit).moderation == Moderation.BEFORE:
        held_for = HELD_MODERATION
    person = (
        Person.objects.filter(user_id=acting_user.pk).first()
        if isinstance(acting_user, User)
        else None
    )
    comment = Comment(
        unit=unit,
        unit_path=unit.path,
        article=article,
        concern=concern,
        author=user_or_none(acting_user),
        author_name=_shown_name(person),
        text=text,
        state=CommentState.HELD if held_for else CommentState.PUBLISHED,
        held_for=held_for,
    )
    comment.full_clean()
    comment.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=comment, unit=unit)
    if not held_for:
        _announce(comment)
    return comment


@transaction.atomic
def comment_report(*, acting_user: Actor, comment: Comment, reason: str = "") -> Comment:
    """Report a published comment as abusive (once per login). At ``REPORT_THRESHOLD``
    reports it is held until the secretary decides."""
    if comment.state != CommentState.PUBLISHED or not isinstance(acting_user, User):
        raise NotFound
    try:
        with transaction.atomic():
            CommentReport.objects.create(
                comment=comment, user=acting_user, reason=(reason or "").strip()[:200]
            )
    except IntegrityError:
        raise ValidationError(_("You have already reported this comment."), code="twice") from None
    Comment.objects.filter(pk=comment.pk).update(reports=F("reports") + 1)
    held = Comment.objects.filter(
        pk=comment.pk, state=CommentState.PUBLISHED, reports__gte=REPORT_THRESHOLD
    ).update(state=CommentState.HELD, held_for=HELD_REPORTS, version=F("version") + 1)
    comment.refresh_from_db()
    if held:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=comment,
            unit=comment.unit,
            changes={"state": [CommentState.PUBLISHED, CommentState.HELD]},
            note="reports",
        )
        _announce(comment)
    return comment


DECISIONS = {"publish": CommentState.PUBLISHED, "hide": CommentState.HIDDEN}


@transaction.atomic
def comment_moderate(
    *, acting_user: Actor, comment: Comment, version: int, decision: str, note: str = ""
) -> Comment:
    """Publish (or restore) or hide a comment. Compare-and-set on the version: two
    secretaries deciding at once end with one decision and the other told to reload."""
    if not _system(acting_user):
        require(acting_user, can_moderate_comments, comment.unit)
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose publish or hide.")]})
    before = comment.state
    after = DECISIONS[decision]
    if before == after:
        raise ValidationError(_("The comment is already so."), code="same")
    done = Comment.objects.filter(pk=comment.pk, version=version).update(
        state=after, version=version + 1, held_for=""
    )
    if not done:
        raise ValidationError(
            _("This comment was changed by someone else meanwhile. Reload the page."),
            code="changed",
        )
    comment.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=comment,
        unit=comment.unit,
        changes={"state": [before, after]},
        note=(note or "").strip()[:500],
    )
    _announce(comment)
    return comment


@transaction.atomic
def talk_settings_set(*, acting_user: Actor, unit: Unit, moderation: str) -> TalkSettings:
    """The unit's moderation: before or after publication."""
    if not _system(acting_user):
        require(acting_user, can_moderate_comments, unit)
    row = _settings(unit)
    before = row.moderation
    row.moderation = moderation
    row.full_clean()
    row.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=row,
        unit=unit,
        changes={"moderation": [before, moderation]},
    )
    return row


@transaction.atomic
def word_list_set(*, acting_user: Actor, banner: Unit, words: str) -> TalkSettings:
    """The banner's word list, one word or phrase a line (matches hold a comment)."""
    if not _system(acting_user):
        require(acting_user, can_edit_word_list, banner)
    if banner.depth != 1:
        raise NotFound
    row = _settings(banner)
    lines = sorted({w.strip() for w in (words or "").splitlines() if w.strip()})
    row.words = "\n".join(lines)
    row.full_clean()
    row.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=banner,
        unit=banner,
        note=f"comment word list: {len(lines)} entries",
    )
    return row
