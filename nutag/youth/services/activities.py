"""Activities for young people: create, sign up with a guardian's consent, check in by a
signed QR code, mark attendance, add photos (private; public only with everyone's consent),
publish a report to the unit site's care column (through ``sites``' services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from nutag.core.actors import SYSTEM, Actor, SystemActor
from nutag.core.audit import audit_record, diff
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within
from nutag.orgs.permissions import require
from nutag.people.models import Guardianship, Person, YoungPerson
from nutag.sites.events import announce_site_change
from nutag.sites.permissions import can_publish, can_write_at
from nutag.sites.services import ArticleInput, article_create, article_publish, article_submit
from nutag.youth.models import Activity, ActivityPhoto, SignUp, YouthRecord
from nutag.youth.permissions import can_manage_activities, can_sign_up, can_withdraw_signup
from nutag.youth.storage import delete_private, store_private_photo

CHECKIN_SALT = "youth.checkin"
CARE_COLUMN = "next_generation"  # the 关工委 column of a unit's site (sites.columns)
MINOR_AGE = 18


def _unit_of(activity: Activity) -> Unit:
    """The activity's unit as far as rights and audit rows go: no query."""
    return Unit(pk=activity.unit_id, path=activity.unit_path)


@transaction.atomic
def activity_create(
    *,
    acting_user: Actor,
    unit: Unit,
    kind: str,
    title: str,
    held_on: dt.date,
    place: str,
    capacity: int = 30,
) -> Activity:
    require(acting_user, can_manage_activities, unit)
    activity = Activity(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        capacity=capacity,
        created_by=acting_user if acting_user.is_authenticated else None,  # type: ignore[misc]
    )
    activity.full_clean()
    if capacity < 1:
        raise ValidationError({"capacity": _("An activity needs at least one place.")})
    activity.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=activity,
        unit=unit,
        changes=diff({}, {"title": activity.title, "held_on": held_on.isoformat()}),
    )
    return activity


def _is_minor(young: YoungPerson, on: dt.date) -> bool:
    age = young.person.age_on(on)
    return age is None or age < MINOR_AGE


@transaction.atomic
def signup_create(
    *,
    acting_user: Actor,
    activity: Activity,
    young: YoungPerson,
    consent_by: Person | None = None,
    consent_how: str = "",
    photo_consent: bool = False,
    consent_at: dt.datetime | None = None,
) -> SignUp:
    """Sign ``young`` up. A minor needs a guardian's consent, recorded: the guardian (one of
    the young person's guardians), how, when; photo consent is a separate choice (no by
    default). Out of reach (not the manager, nor the young person's paired elder, or a young
    person outside the activity's unit) is 404."""
    record = YouthRecord.objects.filter(young_id=young.pk).first()
    if not isinstance(acting_user, SystemActor) and not can_sign_up(acting_user, activity, record):
        raise NotFound
    if not is_within(young.unit_path, activity.unit_path):
        raise NotFound
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if SignUp.objects.filter(activity=activity, young=young).exists():
        raise ValidationError(_("This young person is already signed up."))
    if SignUp.objects.filter(activity=activity).count() >= activity.capacity:
        raise ValidationError(_("The activity is full."))
    relation = ""
    if _is_minor(young, activity.held_on):
        if consent_by is None:
            raise ValidationError(
                {"consent_by": _("A minor needs a guardian's consent: say which guardian gave it.")}
            )
        link = Guardianship.objects.filter(young=young, guardian=consent_by).first()
        if link is None:
            raise ValidationError(
                {"consent_by": _("Consent must come from one of the young person's guardians.")}
            )
        if not consent_how:
            raise ValidationError({"consent_how": _("Say how the guardian gave consent.")})
        relation = link.relation
    signup = SignUp(
        activity=activity,
        young=young,
        unit_path=activity.unit_path,
        consent_by=consent_by,
        consent_relation=relation,
        consent_how=consent_how,
        consent_at=(consent_at or timezone.now()) if consent_by is not None else None,
        photo_consent=photo_consent,
        signed_up_by=acting_user if acting_user.is_authenticated else None,  # type: ignore[misc]
    )
    signup.full_clean()
    signup.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=signup,
        unit=_unit_of(activity),
        changes={
            "young": [None, young.pk],
            "consent_by": [None, consent_by.pk if consent_by else None],
            "consent_how": [None, consent_how],
            "photo_consent": [None, photo_consent],
        },
    )
    return signup


@transaction.atomic
def signup_remove(*, acting_user: Actor, signup: SignUp) -> None:
    """Take a sign-up back (a guardian withdrew consent): its photos' tags go with it. The
    activity's managers or the young person's paired elder; anyone else 404."""
    require(acting_user, can_withdraw_signup, signup)
    audit_record(
        actor=acting_user,
        action=AuditAction.DELETE,
        obj=signup,
        unit=_unit_of(signup.activity),
        changes={"young": [signup.young_id, None]},
        note=_("withdrawn at a guardian's request"),
    )
    ActivityPhoto.tagged.through.objects.filter(
        activityphoto__activity_id=signup.activity_id, youngperson_id=signup.young_id
    ).delete()
    # A photo that showed them loses the tag: with tags left it stays under the rule; with
    # none it is no longer public (a photo without tags shows nobody only when said so).
    signup.delete()
    announce_site_change(unit_ids=[signup.activity.unit_id])


@transaction.atomic
def signup_photo_consent_withdraw(*, acting_user: Actor, signup: SignUp) -> SignUp:
    """A guardian withdraws photo consent: the sign-up stays, but every photo tagged with the
    young person is no longer public (the rule reads the flag); the site's cached pages that
    showed them are purged. The activity's managers or the paired elder; anyone else 404."""
    require(acting_user, can_withdraw_signup, signup)
    signup = SignUp.objects.select_for_update().select_related("activity").get(pk=signup.pk)
    if not signup.photo_consent:
        return signup
    signup.photo_consent = False
    signup.full_clean()
    signup.save(update_fields=["photo_consent", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=signup,
        unit=_unit_of(signup.activity),
        changes={"photo_consent": [True, False]},
        note=_("photo consent withdrawn at a guardian's request"),
    )
    announce_site_change(unit_ids=[signup.activity.unit_id])
    return signup


# --- check-in -----------------------------------------------------------------------------


def checkin_expires(activity: Activity) -> dt.datetime:
    """The check-in code works until the end of the activity's day (local time)."""
    end = dt.datetime.combine(activity.held_on + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(end)


def checkin_token(activity: Activity) -> str:
    """The signed code behind the activity's QR: its id and when it expires."""
    expires = int(checkin_expires(activity).timestamp())
    return signing.dumps({"a": activity.pk, "e": expires}, salt=CHECKIN_SALT, compress=True)


def activity_of_token(token: str, *, now: dt.datetime | None = None) -> Activity:
    """The activity of a valid, unexpired code; 404 otherwise (forged, altered or expired)."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature as exc:
        raise NotFound from exc
    now = now or timezone.now()
    if not isinstance(data, dict) or int(data.get("e", 0)) <= now.timestamp():
        raise NotFound
    activity = Activity.objects.filter(pk=int(data.get("a") or 0)).first()
    if activity is None:
        raise NotFound
    return activity


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


@transaction.atomic
def check_in_by_token(*, token: str, phone: str, now: dt.datetime | None = None) -> int:
    """A guardian scans the activity's QR and gives their phone number: the young people they
    consented for are checked in. Returns how many (0 when the number matches nobody; never
    a name). The code must be valid and unexpired (404 otherwise)."""
    now = now or timezone.now()
    activity = activity_of_token(token, now=now)
    digits = _digits(phone)
    if len(digits) < 7:
        return 0
    signups = [
        s
        for s in SignUp.objects.select_for_update()
        .filter(activity=activity, checked_in_at__isnull=True, consent_by__isnull=False)
        .select_related("consent_by")
        if _digits(s.consent_by.phone or "") == digits  # type: ignore[union-attr]
    ]
    for signup in signups:
        signup.checked_in_at = now
        signup.save(update_fields=["checked_in_at", "updated_at"])
        audit_record(
            actor=SYSTEM,
            action=AuditAction.UPDATE,
            obj=signup,
            unit=_unit_of(activity),
            changes={"checked_in_at": [None, now.isoformat()]},
            note=_("checked in by QR code"),
        )
    return len(signups)


@transaction.atomic
def attendance_mark(*, acting_user: Actor, signup: SignUp, present: bool) -> SignUp:
    """The officer marks a participant present or absent by hand."""
    require(acting_user, can_manage_activities, _unit_of(signup.activity))
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    before = signup.checked_in_at
    if present and before is None:
        signup.checked_in_at = timezone.now()
    elif not present:
        signup.checked_in_at = None
    if signup.checked_in_at != before:
        signup.save(update_fields=["checked_in_at", "updated_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=signup,
            unit=_unit_of(signup.activity),
            changes={"present": [before is not None, present]},
        )
    return signup


# --- photos and the report ----------------------------------------------------------------


def activity_photo_add(
    *,
    acting_user: Actor,
    activity: Activity,
    upload: Any,
    tagged: Iterable[YoungPerson] = (),
    shows_nobody: bool = False,
) -> ActivityPhoto:
    """A photo, kept private. Tag every young person in it (each must be signed up); it is
    shown publicly only when every one tagged has photo consent, or it shows nobody."""
    require(acting_user, can_manage_activities, _unit_of(activity))
    people = list(tagged)
    if shows_nobody and people:
        raise ValidationError(
            {"tagged": _("A photo that shows nobody cannot have young people tagged.")}
        )
    if not shows_nobody and not people:
        raise ValidationError(
            {"tagged": _("Tag the young people in the photo, or say that it shows nobody.")}
        )
    signed = set(
        SignUp.objects.filter(activity=activity, young__in=people).values_list(
            "young_id", flat=True
        )
    )
    if any(p.pk not in signed for p in people):
        raise ValidationError({"tagged": _("Only young people signed up can be tagged.")})
    name = store_private_photo(upload, folder=f"youth/activities/{activity.pk}")
    try:
        with transaction.atomic():
            photo = ActivityPhoto(
                activity=activity,
                image=name,
                shows_nobody=shows_nobody,
            )
            photo.full_clean()
            photo.save()
            photo.tagged.set(people)
            audit_record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=photo,
                unit=_unit_of(activity),
                changes={"tagged": [None, sorted(p.pk for p in people)]},
            )
            announce_site_change(unit_ids=[activity.unit_id])
    except BaseException:
        delete_private([name])
        raise
    return photo


@transaction.atomic
def activity_report_publish(*, acting_user: Actor, activity: Activity, summary: str) -> Any:
    """Write the activity's report and put it in the unit site's care column: published when
    the user may publish there, else submitted to the secretary. It names no young person:
    the text, the date, the place and how many took part. Returns the article."""
    require(acting_user, can_manage_activities, _unit_of(activity))
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    if not isinstance(acting_user, SystemActor) and not can_write_at(acting_user, activity.unit):
        raise ValidationError(
            _("Writing on the unit's site needs the right to write articles: ask its secretary.")
        )
    if activity.report_article_id:
        raise ValidationError(_("The report of this activity is already written."))
    if activity.held_on > timezone.localdate():
        raise ValidationError(_("An activity's report is written after it was held."))
    text = summary.strip()
    if not text:
        raise ValidationError({"summary": _("Write a few lines about the activity.")})
    took_part = SignUp.objects.filter(activity=activity, checked_in_at__isnull=False).count()
    facts = _("%(date)s, %(place)s: %(n)s young people took part.") % {
        "date": activity.held_on.isoformat(),
        "place": activity.place,
        "n": took_part,
    }
    body = "".join(f"<p>{escape(line)}</p>" for line in [facts, *text.splitlines()] if line.strip())
    article = article_create(
        acting_user=acting_user,
        unit=activity.unit,
        data=ArticleInput(
            title=activity.title, column_key=CARE_COLUMN, summary=text[:200], body=body
        ),
    )
    if isinstance(acting_user, SystemActor) or can_publish(acting_user, article):
        article = article_publish(acting_user=acting_user, article=article)
    else:
        article = article_submit(acting_user=acting_user, article=article)
    activity.summary = text
    activity.report_article_id = article.pk
    activity.full_clean()
    activity.save(update_fields=["summary", "report_article_id", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=activity,
        unit=activity.unit,
        changes={"report_article": [None, article.pk]},
    )
    return article
