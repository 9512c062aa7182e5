"""Who may do what with residents' concerns: one rule per action.

Each ``can_<action>(user, obj)`` is the single statement of its rule; the pages, the API and
the services (through ``nutag.orgs.permissions.require``) call it. ``SYSTEM`` passes every
rule in the services.
"""

from __future__ import annotations

from typing import Any, cast

from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.people.models import Person
from nutag.voice.models import AidPost, Concern, Emergency, InboxThread


def _person_of(user: AnyUser) -> Person | None:
    if not user.is_authenticated:
        return None
    cached: Any = getattr(user, "_nutag_voice_person", False)
    if cached is not False:
        return cast(Person | None, cached)
    person = Person.objects.filter(user_id=user.pk).only("id", "unit_id", "unit_path").first()
    setattr(user, "_nutag_voice_person", person)  # noqa: B010 - cached per request
    return person


def can_handle_concerns(user: AnyUser, unit: Unit) -> bool:
    """Read the concerns handled at ``unit`` (and below), accept, answer and pass them on:
    the unit's officers and secretaries, and those above them."""
    return has_unit_perm(user=user, perm=Perm.HANDLE_CONCERNS, unit=unit)


def can_raise_concern(user: AnyUser, unit: Unit) -> bool:
    """Raise a concern at ``unit``: a verified resident of the unit itself (a person of it
    with a login), or its officers on someone's behalf (a phone call, a visit)."""
    person = _person_of(user)
    if person is not None and person.unit_id == unit.pk:
        return True
    return can_handle_concerns(user, unit)


def is_raiser(user: AnyUser, concern: Concern) -> bool:
    """The login that raised the concern, or the person it was raised for."""
    if not user.is_authenticated:
        return False
    if concern.raised_by_id == user.pk and not concern.on_behalf:
        return True
    person = _person_of(user)
    return person is not None and concern.person_id == person.pk


def can_handle_concern(user: AnyUser, concern: Concern) -> bool:
    return can_handle_concerns(user, concern.unit)


def can_read_concern(user: AnyUser, concern: Concern) -> bool:
    """A public concern is read by anyone (personal details hidden); a private one only by
    the resident and the officers of the handling unit or of the unit it came from, and
    those above them."""
    return (
        concern.is_public
        or is_raiser(user, concern)
        or can_handle_concern(user, concern)
        or can_handle_concerns(user, concern.origin)  # the resident's own unit, after a pass
    )


def can_close_concern(user: AnyUser, concern: Concern) -> bool:
    """Close with a rating, or reopen: the resident alone."""
    return is_raiser(user, concern)


def can_run_polls(user: AnyUser, unit: Unit) -> bool:
    """Put a poll to the unit's residents or Party members: its secretaries and those above."""
    return has_unit_perm(user=user, perm=Perm.RUN_POLLS, unit=unit)


# --- Comments and the secretary's inbox ----------------------------------------------------


def can_comment(user: AnyUser, unit: Unit) -> bool:
    """Comment on an article shown on ``unit``'s site or on a public concern raised there:
    a verified resident of the unit itself (a person of it with a login, as for raising a
    concern), or the officers of the unit and those above it."""
    return can_raise_concern(user, unit)


def can_moderate_comments(user: AnyUser, unit: Unit) -> bool:
    """Publish, hide or restore the comments on ``unit``'s site and choose its moderation
    (before or after publication): those who publish its articles (the secretaries)."""
    return has_unit_perm(user=user, perm=Perm.PUBLISH_ARTICLES, unit=unit)


def can_edit_word_list(user: AnyUser, unit: Unit) -> bool:
    """The word list is kept per banner: the banner's secretaries (and platform admins)."""
    return unit.depth == 1 and has_unit_perm(user=user, perm=Perm.PUBLISH_ARTICLES, unit=unit)


def can_write_inbox(user: AnyUser, unit: Unit) -> bool:
    """Start a private thread with ``unit``'s secretary (or committee): a verified resident
    of the unit itself, nobody else (officers answer, they do not start threads)."""
    person = _person_of(user)
    return person is not None and person.unit_id == unit.pk


def can_answer_inbox(user: AnyUser, unit: Unit) -> bool:
    """Read and answer the residents' threads of ``unit``: its officers and secretaries,
    and those above them (the township can step in when a village does not answer)."""
    return can_handle_concerns(user, unit)


def is_thread_resident(user: AnyUser, thread: InboxThread) -> bool:
    person = _person_of(user)
    return person is not None and thread.person_id == person.pk


def can_read_thread(user: AnyUser, thread: InboxThread) -> bool:
    """The resident of the thread and those who answer the unit's inbox; 404 for anyone
    else (another resident, an officer of a sibling village)."""
    return is_thread_resident(user, thread) or can_answer_inbox(user, thread.unit)


# --- Mutual aid and emergencies ------------------------------------------------------------


def can_post_aid(user: AnyUser, unit: Unit) -> bool:
    """Post a request or an offer of help at ``unit``: like raising a concern, a verified
    resident of the unit itself, or its officers on someone's behalf."""
    return can_raise_concern(user, unit)


def can_moderate_aid(user: AnyUser, unit: Unit) -> bool:
    """Hide an abusive aid post, or mark anyone's met: those who handle concerns there."""
    return can_handle_concerns(user, unit)


def can_close_aid(user: AnyUser, post: AidPost) -> bool:
    """Mark a post met: the one who posted it (or the person it was posted for), or an
    officer of its unit and above."""
    if user.is_authenticated and post.posted_by_id == user.pk:
        return True
    person = _person_of(user)
    if person is not None and post.person_id == person.pk:
        return True
    return can_moderate_aid(user, post.unit)


def can_publish_emergency(user: AnyUser, top: Unit) -> bool:
    """Publish an emergency whose area has ``top`` at its head (``voice.areas.area_top``):
    those who may send notices (issue tasks) there, so every unit reached is within their
    own subtree; never a sibling's or the unit above's people."""
    return has_unit_perm(user=user, perm=Perm.ISSUE_TASKS, unit=top)


def can_manage_emergency(user: AnyUser, emergency: Emergency) -> bool:
    """See who is safe and who needs help, and close the emergency."""
    return can_publish_emergency(user, emergency.unit)


def can_manage_categories(user: AnyUser, banner: Unit) -> bool:
    """Edit the banner's concern categories and its townships' routing rules: the banner's
    own secretaries and officers (those who handle concerns at the root), nobody below."""
    return banner.depth == 1 and has_unit_perm(user=user, perm=Perm.HANDLE_CONCERNS, unit=banner)
