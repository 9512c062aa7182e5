"""Every write about logins: invitations, password links, switching off, unlocking, joining.

Each service checks its ``can_<action>`` rule (``nutag.people.permissions``) for every actor
but ``SYSTEM`` and answers ``NotFound`` for "missing or not yours"; bad input is a
``ValidationError`` in the user's language, and nothing is half-created.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, is_system
from nutag.core.audit import audit_record, user_or_none
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.text import clean_name, clean_phone
from nutag.orgs.models import Unit, UnitKind
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.people.events import join_requested
from nutag.people.models import ImportBatch, Invitation, JoinRequest, Person, phone_validator
from nutag.people.models.accounts import InvitationPurpose, JoinStatus, token_digest
from nutag.people.permissions import can_invite, can_manage_login, can_review_join
from nutag.people.services import PersonInput, person_create

# Units whose residents can ask to join from the unit's site.
JOINABLE_KINDS = frozenset({UnitKind.VILLAGE, UnitKind.COMMUNITY})


@dataclasses.dataclass(frozen=True)
class IssuedInvitation:
    """An invitation and its token: the token exists only here, shown once as a link/QR."""

    invitation: Invitation
    token: str


class InvitationRefused(ValidationError):
    """An invitation link that cannot be used: forged, expired, used or revoked."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)


def _check(allowed: bool, actor: Actor) -> None:
    if not is_system(actor) and not allowed:
        raise NotFound


def _valid_until() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.NUTAG_INVITATION_DAYS)


def _revoke_open(person: Person) -> None:
    Invitation.objects.filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def _issue(*, acting_user: Actor, person: Person, purpose: str) -> IssuedInvitation:
    _revoke_open(person)
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        unit=person.unit,
        unit_path=person.unit.path,
        person=person,
        purpose=purpose,
        token_hash=token_digest(token),
        expires_at=_valid_until(),
        created_by=user_or_none(acting_user),  # type: ignore[arg-type]
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=acting_user,  # type: ignore[arg-type]
        action=AuditAction.CREATE,
        obj=invitation,
        unit=person.unit,
        changes={"purpose": [None, purpose]},
    )
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_issue(*, acting_user: Actor, person: Person) -> IssuedInvitation:
    """A new one-time link for ``person`` to choose a password; any open one is revoked.

    Also the re-issue: a lost or expired link is replaced by a fresh one."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("unit", "user")
        .get(pk=person.pk)
    )
    _check(can_invite(acting_user, person), acting_user)  # type: ignore[arg-type]
    if person.user_id is not None:
        raise ValidationError(
            _("%(name)s already has a login. Send a link to set a new password instead.")
            % {"name": person.name},
            code="has_login",
        )
    if not person.unit.is_active:
        raise ValidationError(_("A closed unit cannot receive people."), code="closed")
    return _issue(acting_user=acting_user, person=person, purpose=InvitationPurpose.INVITE)


@transaction.atomic
def password_link_issue(*, acting_user: Actor, person: Person) -> IssuedInvitation:
    """A fresh one-time link for ``person`` to set a new password (the old one keeps
    working until the link is used). Also clears a lockout of their login."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("unit", "user")
        .get(pk=person.pk)
    )
    _check(can_manage_login(acting_user, person), acting_user)  # type: ignore[arg-type]
    if person.user_id is None:
        raise ValidationError(
            _("%(name)s has no login yet. Send an invitation instead.") % {"name": person.name},
            code="no_login",
        )
    return _issue(acting_user=acting_user, person=person, purpose=InvitationPurpose.RESET)


@transaction.atomic
def invitation_revoke(*, acting_user: Actor, invitation: Invitation) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person__unit", "unit")
        .get(pk=invitation.pk)
    )
    person = invitation.person
    allowed = (
        can_invite(acting_user, person)  # type: ignore[arg-type]
        if invitation.purpose == InvitationPurpose.INVITE
        else can_manage_login(acting_user, person)  # type: ignore[arg-type]
    )
    _check(allowed, acting_user)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("This link is no longer open."), code="closed")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=acting_user,  # type: ignore[arg-type]
        action=AuditAction.UPDATE,
        obj=invitation,
        unit=invitation.unit,
        changes={"revoked": [False, True]},
    )
    return invitation


def invitation_by_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link names, if it can still be used; else ``InvitationRefused``."""
    qs = Invitation.objects.select_related("person__unit", "person__user")
    if lock:
        qs = qs.select_for_update(of=("self",))
    invitation = qs.filter(token_hash=token_digest(token or "")).first()
    if invitation is None:
        raise InvitationRefused(
            _("This link is not valid. Check that it was copied in full, or ask for a new one."),
            code="unknown",
        )
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            _("This link has already been used. Log in with your password, or ask for a new link."),
            code="used",
        )
    if invitation.revoked_at is not None:
        raise InvitationRefused(
            _("This link was withdrawn. Ask your unit's secretary for a new one."), code="revoked"
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            _("This link has expired. Ask your unit's secretary for a new one."), code="expired"
        )
    return invitation


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """The invitee chooses a login name (a new login) and a password; the link is used up.

    For a password link the login name is kept and only the password changes."""
    invitation = invitation_by_token(token, lock=True)
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=invitation.person_id)
    )
    user_model = get_user_model()
    if invitation.purpose == InvitationPurpose.RESET:
        if person.user is None:
            raise InvitationRefused(_("This link was withdrawn."), code="revoked")
        user = person.user
        _check_password(password, user)
        user.set_password(password)  # a switched-off login stays off: switching on is explicit
        user.save(update_fields=["password"])
        _unlock(user.username)
        change = {"password": [None, "set"]}
    else:
        if person.user_id is not None:
            raise InvitationRefused(_("This link has already been used."), code="used")
        username = (username or "").strip()
        user = user_model(username=username, first_name=person.name[:150])
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise ValidationError(
                {"username": exc.message_dict.get("username", exc.messages)}
            ) from exc
        _check_password(password, user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # the same name taken at the same moment
            raise ValidationError(
                {"username": [_("This login name is taken. Choose another.")]}
            ) from exc
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        change = {"login": [None, user.username]}
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit_record(
        actor=user, action=AuditAction.UPDATE, obj=person, unit=person.unit, changes=change
    )
    return user


@transaction.atomic
def invitations_for_import(*, acting_user: Actor, batch: ImportBatch) -> list[IssuedInvitation]:
    """Invite every person of a roster import who has a phone and no login yet.

    The batch's rows are matched to people of its unit by name and phone; people outside
    the acting user's reach, with a login or with an open invitation are left alone."""
    batch = ImportBatch.objects.select_related("unit").get(pk=batch.pk)
    _check(
        has_unit_perm(user=acting_user, perm=Perm.INVITE_PEOPLE, unit=batch.unit),  # type: ignore[arg-type]
        acting_user,
    )
    pairs = {
        (clean_name(str(row["name"])), clean_phone(str(row["phone"])))
        for row in batch.rows
        if row.get("name") and row.get("phone")
    }
    if not pairs:
        return []
    phones = {phone for _name, phone in pairs}
    open_links = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    people = (
        Person.objects.filter(subtree_q(batch.unit.path, "unit_path"), phone__in=phones)
        .filter(user__isnull=True)
        .exclude(pk__in=open_links.values("person_id"))
        .select_related("unit")
        .order_by("name_pinyin", "id")
    )
    issued = []
    for person in people:
        if (person.name, person.phone) not in pairs or not person.unit.is_active:
            continue
        if not can_invite(acting_user, person):  # type: ignore[arg-type]
            continue
        issued.append(
            _issue(acting_user=acting_user, person=person, purpose=InvitationPurpose.INVITE)
        )
    return issued


def _unlock(username: str) -> int:
    from axes.utils import reset

    return reset(username=username)


@transaction.atomic
def login_set_active(*, acting_user: Actor, person: Person, active: bool) -> User:
    """Switch ``person``'s login off (a secretary who leaves) or on again. The person, their
    history and their positions stay; a switched-off login cannot log in."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("unit", "user")
        .get(pk=person.pk)
    )
    _check(can_manage_login(acting_user, person), acting_user)  # type: ignore[arg-type]
    user = person.user
    if user is None:
        raise ValidationError(_("%(name)s has no login.") % {"name": person.name})
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            # Its sessions end too: Django's ModelBackend gives no user for an inactive login.
            _revoke_open(person)
        audit_record(
            actor=acting_user,  # type: ignore[arg-type]
            action=AuditAction.UPDATE,
            obj=person,
            unit=person.unit,
            changes={"login_active": [not active, active]},
        )
    return user


@transaction.atomic
def login_unlock(*, acting_user: Actor, person: Person) -> int:
    """Clear the failed-login lockout of ``person``'s login; the count of cleared records."""
    person = Person.objects.select_related("unit", "user").get(pk=person.pk)
    _check(can_manage_login(acting_user, person), acting_user)  # type: ignore[arg-type]
    if person.user is None:
        raise ValidationError(_("%(name)s has no login.") % {"name": person.name})
    cleared = _unlock(person.user.username)
    audit_record(
        actor=acting_user,  # type: ignore[arg-type]
        action=AuditAction.UPDATE,
        obj=person,
        unit=person.unit,
        changes={"login_unlocked": [None, True]},
    )
    return cleared


# --- joining a unit (加入本村) ------------------------------------------------------------


@dataclasses.dataclass
class JoinInput:
    name: str
    phone: str
    household: str = ""
    username: str = ""  # for a visitor without a login: the login to create
    password: str = ""


def _clean_join(data: JoinInput) -> tuple[str, str]:
    name = clean_name(data.name or "")
    phone = clean_phone(data.phone or "")
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("A name is required.")]
    try:
        phone_validator(phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return name, phone


@transaction.atomic
def join_request_create(
    *, acting_user: User | AnonymousUser, unit: Unit, data: JoinInput
) -> JoinRequest:
    """Ask to join ``unit`` as a resident. A visitor without a login gets one at the same
    time (login name and password from ``data``); it counts as verified only once approved.
    """
    if unit.kind not in JOINABLE_KINDS or not unit.is_active:
        raise NotFound
    name, phone = _clean_join(data)
    if acting_user.is_authenticated:
        user = User.objects.select_for_update(of=("self",)).get(pk=acting_user.pk)
        if Person.objects.filter(user=user).exists():
            raise ValidationError(
                _("Your login already belongs to a person of a unit; nothing to join."),
                code="has_person",
            )
        if JoinRequest.objects.filter(user=user, status=JoinStatus.PENDING).exists():
            raise ValidationError(
                _("You have already asked to join; your secretary has not answered yet."),
                code="pending",
            )
    else:
        username = (data.username or phone).strip()
        user = User(username=username, first_name=name[:150])
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise ValidationError(
                {"username": [_("This login name is taken: log in first, then ask to join.")]}
                if User.objects.filter(username=username).exists()
                else {"username": exc.message_dict.get("username", exc.messages)}
            ) from exc
        _check_password(data.password, user)
        user.set_password(data.password)
        user.save()
    join = JoinRequest(
        unit=unit,
        unit_path=unit.path,
        user=user,
        name=name,
        phone=phone,
        household=(data.household or "").strip(),
    )
    join.full_clean()
    try:
        with transaction.atomic():
            join.save()
    except IntegrityError as exc:  # a second request sent at the same moment
        raise ValidationError(
            _("You have already asked to join; your secretary has not answered yet."),
            code="pending",
        ) from exc
    audit_record(
        actor=user, action=AuditAction.CREATE, obj=join, unit=unit, changes={"name": [None, name]}
    )
    join_requested(join)  # the unit's secretaries are told (nutag.notify listens)
    return join


def join_matches(*, join_request: JoinRequest) -> list[Person]:
    """Roster people of the request's unit who may be the one asking: same name and phone
    first, then the same phone, then the same name; only those without a login."""
    qs = (
        Person.objects.filter(subtree_q(join_request.unit_path, "unit_path"), user__isnull=True)
        .filter(Q(name=join_request.name) | Q(phone=join_request.phone))
        .select_related("unit")
    )
    people = list(qs[:20])
    people.sort(
        key=lambda p: (
            not (p.name == join_request.name and p.phone == join_request.phone),
            p.phone != join_request.phone,
            p.name_pinyin,
        )
    )
    return people


def _decide(join_request: JoinRequest, acting_user: Actor, status: str, **extra: object) -> bool:
    """Compare-and-set: only a request still pending changes; ``False`` if another
    secretary decided first."""
    changed = JoinRequest.objects.filter(pk=join_request.pk, status=JoinStatus.PENDING).update(
        status=status,
        decided_by=user_or_none(acting_user),  # type: ignore[arg-type]
        decided_at=timezone.now(),
        updated_at=timezone.now(),
        **extra,
    )
    return changed == 1


def _already_decided() -> ValidationError:
    return ValidationError(
        _("This request has already been answered (perhaps by another secretary just now)."),
        code="decided",
    )


@transaction.atomic
def join_request_approve(
    *, acting_user: Actor, join_request: JoinRequest, person: Person | None
) -> JoinRequest:
    """Approve: link the login to ``person`` (a roster person of the unit without a login) or,
    with ``person=None``, to a new resident of the unit. One result when two approve at once."""
    join_request = JoinRequest.objects.select_related("unit", "user").get(pk=join_request.pk)
    _check(can_review_join(acting_user, join_request), acting_user)  # type: ignore[arg-type]
    if join_request.status != JoinStatus.PENDING:
        raise _already_decided()
    if person is not None:
        # the person must be of the request's unit (or below): one locked, scoped read
        person = (
            Person.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(subtree_q(join_request.unit_path, "unit_path"), pk=person.pk)
            .first()
        )
        if person is None:
            raise NotFound
        if person.user_id is not None:
            raise ValidationError(
                {"person": [_("%(name)s already has a login.") % {"name": person.name}]}
            )
    if Person.objects.filter(user=join_request.user).exists():
        raise ValidationError(_("This login already belongs to a person."), code="has_person")
    if not _decide(join_request, acting_user, JoinStatus.APPROVED):
        raise _already_decided()
    if person is None:
        person = person_create(
            acting_user=acting_user,
            unit=join_request.unit,
            data=PersonInput(
                name=join_request.name,
                phone=join_request.phone,
                is_resident=True,
                note=join_request.household,
            ),
        )
    person.user = join_request.user
    person.save(update_fields=["user", "updated_at"])
    JoinRequest.objects.filter(pk=join_request.pk).update(person=person)
    audit_record(
        actor=acting_user,  # type: ignore[arg-type]
        action=AuditAction.UPDATE,
        obj=person,
        unit=person.unit,
        changes={"login": [None, join_request.user.username]},
        note=_("Request to join approved"),
    )
    join_request.refresh_from_db()
    return join_request


@transaction.atomic
def join_request_decline(
    *, acting_user: Actor, join_request: JoinRequest, reason: str
) -> JoinRequest:
    """Decline with a reason the asker will read."""
    join_request = JoinRequest.objects.select_related("unit").get(pk=join_request.pk)
    _check(can_review_join(acting_user, join_request), acting_user)  # type: ignore[arg-type]
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why, so the person knows what to do.")]})
    if len(reason) > 200:
        raise ValidationError({"reason": [_("At most 200 characters.")]})
    if not _decide(join_request, acting_user, JoinStatus.DECLINED, reason=reason):
        raise _already_decided()
    join_request.refresh_from_db()
    audit_record(
        actor=acting_user,  # type: ignore[arg-type]
        action=AuditAction.UPDATE,
        obj=join_request,
        unit=join_request.unit,
        changes={"status": [JoinStatus.PENDING, JoinStatus.DECLINED]},
        note=reason,
    )
    return join_request
