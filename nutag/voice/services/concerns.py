"""Every write of the voice app: categories, concerns and their workflow, escalation.

A concern is raised at a unit's site by a verified resident of that unit, or by its officers
on someone's behalf; it is *routed* to the resident's village or community, or to the unit a
township's rule names for its category. Its handlers (``Perm.HANDLE_CONCERNS`` at the
handling unit or above) accept it, start work, answer it, or pass it to a unit within their
subtree; the resident closes it with a rating or reopens it. An open concern past its
deadline is passed up by ``escalate_overdue`` (a periodic job), with a new deadline.

Every change is a compare-and-set on ``Concern.version`` (as assessments do): the caller
passes the version it showed, and a concern changed meanwhile is refused with who changed it
and when, so two officers answering at once end with one answer. Every step writes a
``ConcernStep`` (shown to the resident) and an audit row; notifications are written in the
same transaction (``nutag.voice.notices``).

A submission may carry an idempotency key: the same key from the same login returns the
first concern, never a second, even when the two requests race (the key's unique constraint
decides, and the loser's transaction is rolled back before the first concern is returned).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nutag.core.actors import SYSTEM, Actor, SystemActor
from nutag.core.audit import audit_record as _audit
from nutag.core.audit import user_or_none
from nutag.core.errors import NotFound
from nutag.core.media import (
    check_audio,
    image_files,
    saving,
    store_file,
    store_image,
)
from nutag.core.models import AuditAction, AuditEntry
from nutag.notify.models import Kind
from nutag.orgs.models import Unit
from nutag.orgs.paths import is_within
from nutag.orgs.permissions import require
from nutag.people.models import Person
from nutag.voice import notices
from nutag.voice.models import (
    OPEN_STATES,
    Category,
    Concern,
    ConcernCounter,
    ConcernState,
    ConcernStep,
    RoutingRule,
    StepKind,
    SubmissionKey,
)
from nutag.voice.permissions import (
    can_close_concern,
    can_handle_concern,
    can_handle_concerns,
    can_raise_concern,
)

MAX_PHOTOS = 6
MAX_TEXT = 4000
KEY_PATTERN = re.compile(r"^[\w.:-]{1,100}$")

# (key, name, days to answer, may be anonymous): the defaults a banner starts with.
DEFAULT_CATEGORIES: list[tuple[str, Any, int, bool]] = [
    ("roads", gettext_lazy("Roads"), 15, False),
    ("water", gettext_lazy("Water"), 7, False),
    ("pasture", gettext_lazy("Pasture"), 15, False),
    ("schooling", gettext_lazy("Schooling"), 10, False),
    ("health", gettext_lazy("Health"), 7, True),
    ("social_security", gettext_lazy("Social security"), 10, True),
    ("young_people", gettext_lazy("Young people"), 7, True),
    ("other", gettext_lazy("Other"), 10, False),
]


@dataclasses.dataclass(frozen=True)
class Submitted:
    concern: Concern
    created: bool  # False: the idempotency key had already made it
    problems: list[str]  # parts refused but not the concern (a broken voice note)


def banner_of(unit: Unit) -> Unit:
    """The root of ``unit``'s tree (categories are kept per banner)."""
    if unit.depth == 1:
        return unit
    return Unit.objects.get(path=unit.path[: Unit.steplen])


@transaction.atomic
def categories_ensure(*, acting_user: Actor, banner: Unit) -> list[Category]:
    """The banner's categories, making the defaults the first time (names in the default
    language; the banner may rename them and change their limits in the admin). Anyone who
    may raise a concern may cause the defaults to be made, so no right is asked."""
    existing = list(Category.objects.filter(banner=banner))
    if existing:
        return [c for c in existing if not c.retired]
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        rows = [
            Category(
                banner=banner,
                key=key,
                name=str(name),
                days_limit=days,
                allows_anonymous=anonymous,
                order=i,
            )
            for i, (key, name, days, anonymous) in enumerate(DEFAULT_CATEGORIES)
        ]
    Category.objects.bulk_create(rows, ignore_conflicts=True)
    return list(Category.objects.filter(banner=banner))


def _is_system(actor: Actor) -> bool:
    return isinstance(actor, SystemActor)


def route(*, unit: Unit, category: Category) -> Unit:
    """Where a concern raised at ``unit`` goes: a rule of the township above it for the
    category, else ``unit`` itself (the resident's village or community)."""
    ancestors = [unit.path[:n] for n in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    rule = (
        RoutingRule.objects.filter(category=category, township__path__in=ancestors)
        .select_related("target")
        .order_by("-township__depth")
        .first()
    )
    if rule is not None and is_within(unit.path, rule.township.path):
        return rule.target
    return unit


def _next_number(unit: Unit, year: int) -> str:
    """``<unit code>-<year>-<sequence>``; the counter row is bumped inside the transaction,
    so two submissions at once never share a number (the unique column backs it up)."""
    ConcernCounter.objects.bulk_create(
        [ConcernCounter(unit=unit, year=year, last=0)], ignore_conflicts=True
    )
    ConcernCounter.objects.filter(unit=unit, year=year).update(last=F("last") + 1)
    last = ConcernCounter.objects.values_list("last", flat=True).get(unit=unit, year=year)
    return f"{unit.code}-{year}-{last:05d}"


def _step(
    concern: Concern, kind: str, *, actor: Actor, unit: Unit, note: str = "", at: dt.datetime
) -> ConcernStep:
    step = ConcernStep(
        concern=concern, kind=kind, at=at, actor=user_or_none(actor), unit=unit, note=note
    )
    step.full_clean()
    step.save()
    return step


def _clean(text: str) -> str:
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    return text


def check_voice_note(upload: Any) -> str:
    """A voice note recorded in the browser: Ogg, WebM or M4A, recognised by its bytes."""
    name = str(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "webm":
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head != b"\x1a\x45\xdf\xa3":
            raise ValidationError(
                _("The voice note is not a complete recording; send it again."), code="disguised"
            )
        return "webm"
    if ext not in {"ogg", "oga", "m4a"}:
        raise ValidationError(
            _("A voice note must be an Ogg, WebM or M4A recording."), code="bad_type"
        )
    check_audio(upload)
    return ext


def _existing(user: Any, key: str) -> Concern | None:
    row = SubmissionKey.objects.filter(user_id=user.pk, key=key).select_related("concern").first()
    return row.concern if row else None


def concern_submit(
    *,
    acting_user: Actor,
    unit: Unit,
    category: Category,
    text: str,
    is_public: bool = False,
    is_anonymous: bool = False,
    location: str = "",
    photos: Sequence[Any] = (),
    voice_note: Any = None,
    person: Person | None = None,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> Submitted:
    """Raise a concern at ``unit``. A resident raises it for themselves; an officer on
    someone's behalf (``person`` a person of the unit, or none for a caller not on the
    roster). With ``idempotency_key`` the same key from the same login returns the first
    concern. A voice note that is not a complete recording is left out and said so, and the
    concern is kept."""
    if not _is_system(acting_user):
        require(acting_user, can_raise_concern, unit)
    key = (idempotency_key or "").strip()
    if key:
        if not KEY_PATTERN.match(key) or not getattr(acting_user, "pk", None):
            raise ValidationError({"idempotency_key": _("The Idempotency-Key is not valid.")})
        first = _existing(acting_user, key)
        if first is not None:
            return Submitted(first, False, [])
    try:
        return saving(
            lambda written: _submit(
                written,
                acting_user=acting_user,
                unit=unit,
                category=category,
                text=text,
                is_public=is_public,
                is_anonymous=is_anonymous,
                location=location,
                photos=photos,
                voice_note=voice_note,
                person=person,
                key=key,
                now=now or timezone.now(),
            )
        )
    except IntegrityError:
        if key:
            first = _existing(acting_user, key)
            if first is not None:
                return Submitted(first, False, [])
        raise


def _submit(
    written: list[str],
    *,
    acting_user: Actor,
    unit: Unit,
    category: Category,
    text: str,
    is_public: bool,
    is_anonymous: bool,
    location: str,
    photos: Sequence[Any],
    voice_note: Any,
    person: Person | None,
    key: str,
    now: dt.datetime,
) -> Submitted:
    errors: dict[str, list[str]] = {}
    text = _clean(text)
    if not text:
        errors["text"] = [_("Say what the matter is.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("At most %(n)d characters.") % {"n": MAX_TEXT}]
    if category.banner_id != banner_of(unit).pk or category.retired:
        errors["category"] = [_("Choose one of the categories shown.")]
    if is_anonymous and not category.allows_anonymous:
        errors["is_anonymous"] = [_("Concerns of this category cannot be anonymous.")]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]
    on_behalf = False
    if person is None and isinstance(acting_user, User):
        own = Person.objects.filter(user_id=acting_user.pk).first()
        if own is not None and own.unit_id == unit.pk:
            person = own
        else:
            on_behalf = True
    elif person is not None:
        on_behalf = person.user_id is None or person.user_id != getattr(acting_user, "pk", None)
        if not is_within(person.unit_path, unit.path):
            raise NotFound
    if errors:
        raise ValidationError(errors)
    problems: list[str] = []
    stored_photos = []
    for upload in photos:
        stored = store_image(upload, folder="voice/photos")
        written.extend(image_files(stored.as_dict()))
        stored_photos.append(stored.as_dict())
    voice_name = ""
    if voice_note is not None:
        try:
            ext = check_voice_note(voice_note)
        except ValidationError as exc:
            problems.extend(exc.messages)
        else:
            voice_name = store_file(voice_note, folder="voice/notes", ext=ext)
            written.append(voice_name)
    handler = route(unit=unit, category=category)
    limit = now + dt.timedelta(days=category.days_limit)
    concern = Concern(
        number=_next_number(unit, timezone.localtime(now).year),
        unit=handler,
        unit_path=handler.path,
        origin=unit,
        category=category,
        text=text,
        photos=stored_photos,
        voice_note=voice_name,
        location=_clean(location)[:120],
        is_public=is_public,
        is_anonymous=is_anonymous,
        person=person,
        raised_by=user_or_none(acting_user),
        on_behalf=on_behalf,
        limit_at=limit,
        due_at=limit,
    )
    concern.full_clean()
    concern.save()
    if key and isinstance(acting_user, User):
        with transaction.atomic():
            SubmissionKey.objects.create(user=acting_user, key=key, concern=concern)
    _step(concern, StepKind.RECEIVED, actor=acting_user, unit=handler, at=now)
    _audit(actor=acting_user, action=AuditAction.CREATE, obj=concern, unit=handler)
    notices.concern_received(concern)
    # a public concern is on its village's board at once: the site (its cached pages and
    # the kept "governance has content" answer, sites.selectors.memo) must hear of it
    _board_changed(concern)
    return Submitted(concern, True, problems)


def changed_meanwhile(concern: Concern) -> ValidationError:
    last = (
        AuditEntry.objects.filter(object_type=Concern._meta.label_lower, object_id=str(concern.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    who = (last.actor.get_username() if last and last.actor else "") or _("the system")
    when = formats.date_format(timezone.localtime(last.created_at), "Y-m-d H:i") if last else ""
    return ValidationError(
        _(
            "This concern was changed by someone else meanwhile (by %(who)s at %(when)s). "
            "Reload the page to see the change."
        )
        % {"who": who, "when": when},
        code="changed",
    )


def _fresh(concern: Concern, version: int) -> Concern:
    current = (
        Concern.objects.select_related("unit", "origin", "category").filter(pk=concern.pk).first()
    )
    if current is None:
        raise NotFound
    if current.version != version:
        raise changed_meanwhile(current)
    return current


def _advance(
    concern: Concern, version: int, states: Sequence[str], now: dt.datetime, **fields: Any
) -> Concern:
    """Write ``fields`` only if the row still has ``version`` and one of ``states``."""
    if concern.state not in states:
        raise ValidationError(
            _("This concern is %(state)s: that step is not possible now.")
            % {"state": concern.get_state_display()},
            code="state",
        )
    for name, value in fields.items():
        setattr(concern, name, value)
    concern.full_clean(validate_unique=False, validate_constraints=False)
    done = Concern.objects.filter(pk=concern.pk, version=version, state__in=states).update(
        version=version + 1, updated_at=now, **fields
    )
    if not done:
        raise changed_meanwhile(concern)
    concern.version = version + 1
    concern.updated_at = now
    return concern


def _handled(acting_user: Actor, concern: Concern, version: int) -> Concern:
    fresh = _fresh(concern, version)
    if not _is_system(acting_user):
        require(acting_user, can_handle_concern, fresh)
    return fresh


@transaction.atomic
def concern_accept(*, acting_user: Actor, concern: Concern, version: int) -> Concern:
    fresh = _handled(acting_user, concern, version)
    now = timezone.now()
    before = fresh.state
    _advance(fresh, version, (ConcernState.RECEIVED,), now, state=ConcernState.ACCEPTED)
    _step(fresh, StepKind.ACCEPTED, actor=acting_user, unit=fresh.unit, at=now)
    _audit(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=fresh,
        unit=fresh.unit,
        changes={"state": [before, fresh.state]},
    )
    notices.concern_progress(fresh, Kind.CONCERN_ACCEPTED)
    return fresh


@transaction.atomic
def concern_start(*, acting_user: Actor, concern: Concern, version: int) -> Concern:
    fresh = _handled(acting_user, concern, version)
    now = timezone.now()
    before = fresh.state
    _advance(
        fresh,
        version,
        (ConcernState.RECEIVED, ConcernState.ACCEPTED, ConcernState.REOPENED),
        now,
        state=ConcernState.IN_PROGRESS,
    )
    _step(fresh, StepKind.IN_PROGRESS, actor=acting_user, unit=fresh.unit, at=now)
    _audit(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=fresh,
        unit=fresh.unit,
        changes={"state": [before, fresh.state]},
    )
    notices.concern_progress(fresh, Kind.CONCERN_STARTED)
    return fresh


@transaction.atomic
def concern_answer(
    *,
    acting_user: Actor,
    concern: Concern,
    version: int,
    answer: str,
    now: dt.datetime | None = None,
) -> Concern:
    """Answer the resident (the answer is shown on the board when the concern is public)."""
    fresh = _handled(acting_user, concern, version)
    answer = _clean(answer)
    if not answer:
        raise ValidationError({"answer": [_("Write the answer.")]})
    now = now or timezone.now()
    before = fresh.state
    _advance(
        fresh,
        version,
        OPEN_STATES,
        now,
        state=ConcernState.ANSWERED,
        answer=answer,
        answered_at=now,
    )
    _step(fresh, StepKind.ANSWERED, actor=acting_user, unit=fresh.unit, note=answer, at=now)
    _audit(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=fresh,
        unit=fresh.unit,
        changes={"state": [before, fresh.state]},
    )
    notices.concern_answered(fresh)
    _board_changed(fresh)
    return fresh


@transaction.atomic
def concern_pass(
    *, acting_user: Actor, concern: Concern, version: int, target: Unit, note: str = ""
) -> Concern:
    """Pass an open concern to another unit inside the officer's own subtree, with a note."""
    fresh = _handled(acting_user, concern, version)
    if not isinstance(acting_user, SystemActor) and not can_handle_concerns(acting_user, target):
        raise NotFound
    if target.pk == fresh.unit_id:
        raise ValidationError({"target": [_("The concern is already handled there.")]})
    now = timezone.now()
    before = fresh.unit
    _advance(fresh, version, OPEN_STATES, now, unit=target, unit_path=target.path)
    _step(fresh, StepKind.PASSED, actor=acting_user, unit=target, note=_clean(note), at=now)
    _audit(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=fresh,
        unit=target,
        changes={"unit": [str(before), str(target)]},
        note=_clean(note),
    )
    notices.concern_received(fresh)
    return fresh


def _raiser_only(acting_user: Actor, concern: Concern, version: int) -> Concern:
    fresh = _fresh(concern, version)
    if not _is_system(acting_user):
        require(acting_user, can_close_concern, fresh)
    return fresh


@transaction.atomic
def concern_close(
    *, acting_user: Actor, concern: Concern, version: int, rating: int, comment: str = ""
) -> Concern:
    """The resident closes an answered concern with a rating (1–5) and a comment."""
    fresh = _raiser_only(acting_user, concern, version)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Choose from 1 to 5 stars.")]})
    now = timezone.now()
    _advance(
        fresh,
        version,
        (ConcernState.ANSWERED,),
        now,
        state=ConcernState.CLOSED,
        rating=rating,
        rating_comment=_clean(comment)[:500],
        closed_at=now,
    )
    _step(fresh, StepKind.CLOSED, actor=acting_user, unit=fresh.unit, note=str(rating), at=now)
    _audit(
        actor=acting_user,
        action=AuditAction.CLOSE,
        obj=fresh,
        unit=fresh.unit,
        changes={"rating": [None, rating]},
    )
    _board_changed(fresh)
    return fresh


@transaction.atomic
def concern_reopen(*, acting_user: Actor, concern: Concern, version: int, note: str) -> Concern:
    """The resident is not satisfied with the answer: the concern goes back to the unit,
    with a new deadline."""
    fresh = _raiser_only(acting_user, concern, version)
    note = _clean(note)
    if not note:
        raise ValidationError({"note": [_("Say what is still not solved.")]})
    now = timezone.now()
    due = now + dt.timedelta(days=fresh.category.days_limit)
    _advance(
        fresh,
        version,
        (ConcernState.ANSWERED, ConcernState.CLOSED),
        now,
        state=ConcernState.REOPENED,
        due_at=due,
        closed_at=None,
    )
    _step(fresh, StepKind.REOPENED, actor=acting_user, unit=fresh.unit, note=note, at=now)
    _audit(
        actor=acting_user,
        action=AuditAction.REOPEN,
        obj=fresh,
        unit=fresh.unit,
        note=note,
    )
    notices.concern_received(fresh)
    _board_changed(fresh)
    return fresh


def escalate_overdue(now: dt.datetime | None = None) -> int:
    """The periodic job: every open concern past its deadline goes to the unit above its
    handler, with a new deadline, and both sides are told. At the banner it stays (the
    banner's officers see every overdue concern). Returns how many moved."""
    now = now or timezone.now()
    moved = 0
    due = list(
        Concern.objects.filter(state__in=OPEN_STATES, due_at__lt=now)
        .exclude(unit__depth=1)
        .values_list("pk", "version")[:500]
    )
    for pk, version in due:
        try:
            _escalate_one(pk, version, now)
        except ValidationError:
            continue  # changed meanwhile: the next run looks again
        moved += 1
    return moved


@transaction.atomic
def _escalate_one(pk: int, version: int, now: dt.datetime) -> None:
    concern = Concern.objects.select_related("unit", "category").get(pk=pk)
    parent = Unit.objects.get(path=concern.unit.path[: -Unit.steplen])
    due = now + dt.timedelta(days=concern.category.days_limit)
    _advance(
        concern,
        version,
        OPEN_STATES,
        now,
        unit=parent,
        unit_path=parent.path,
        due_at=due,
        escalations=concern.escalations + 1,
    )
    _step(concern, StepKind.ESCALATED, actor=SYSTEM, unit=parent, at=now)
    _audit(
        actor=SYSTEM,
        action=AuditAction.UPDATE,
        obj=concern,
        unit=parent,
        changes={"unit": [str(concern.origin), str(parent)]},
        note="overdue",
    )
    notices.concern_overdue(concern)


@transaction.atomic
def concerns_anonymise_person(*, acting_user: Actor, person: Person) -> int:
    """Before a person's record or login goes: their concerns stay (the unit's work and its
    figures) but no longer point to them."""
    rows = Concern.objects.filter(person=person)
    count = rows.update(person=None, raised_by=None, location="")
    if person.user_id is not None:
        Concern.objects.filter(raised_by_id=person.user_id, on_behalf=False).update(
            raised_by=None, location=""
        )
    if count:
        _audit(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=person,
            unit=person.unit,
            note=f"{count} concerns anonymised",
        )
    return count


def _board_changed(concern: Concern) -> None:
    if concern.is_public:
        from nutag.sites.events import announce_site_change

        announce_site_change(unit_ids=[concern.origin_id, concern.unit_id])
