"""When a person deletes their login (``nutag.people.accounts.deletion``): what they raised,
wrote and posted stays with the unit (its work, its figures, the public board), but no longer
points to them. Registered as an account-deletion hook in ``VoiceConfig.ready``."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.models import AuditAction
from nutag.people.models import Person
from nutag.voice.models import AidPost, Comment, Concern, InboxMessage
from nutag.voice.services.concerns import concerns_anonymise_person
from nutag.voice.services.inbox import threads_anonymise_person


@transaction.atomic
def voice_forget_login(*, acting_user: Actor, user: User, person: Person | None) -> None:
    """Concerns and inbox threads lose their person; concerns raised by the login itself (not
    on someone's behalf) lose it too, with the rough location; comments keep only their masked
    name ("牧民 王**"); the resident's inbox messages and aid posts lose their author (and the
    aid post its contact)."""
    if person is not None:
        concerns_anonymise_person(acting_user=acting_user, person=person)
        threads_anonymise_person(acting_user=acting_user, person=person)
    Concern.objects.filter(raised_by=user, on_behalf=False).update(raised_by=None, location="")
    comments = Comment.objects.filter(author=user).update(author=None)
    InboxMessage.objects.filter(author=user, from_resident=True).update(author=None)
    aid = AidPost.objects.filter(posted_by=user)
    if person is not None:
        aid = aid | AidPost.objects.filter(person=person)
    posts = aid.update(person=None, posted_by=None, contact="")
    if person is not None and (comments or posts):
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=person,
            unit=person.unit,
            note=f"{comments} comments and {posts} aid posts anonymised",
        )
