"""Binding a login to its chat-app identity, logging in by it, unbinding (services and
selectors of ``WechatBinding``)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nutag.core.actors import Actor, AnyUser
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.people.accounts.selectors import is_verified_member, my_person
from nutag.wechat.models import WechatAccount, WechatBinding


def bindings_of(*, user: AnyUser) -> QuerySet[WechatBinding]:
    if not user.is_authenticated:
        return WechatBinding.objects.none()
    return WechatBinding.objects.filter(user_id=user.pk).select_related("account__unit")


def user_for_openid(*, account_id: int, openid: str) -> User | None:
    """The active login bound to ``openid`` on the account, if any."""
    binding = (
        WechatBinding.objects.select_related("user")
        .filter(account_id=account_id, openid=openid, user__is_active=True)
        .first()
    )
    return binding.user if binding else None


def can_bind(user: AnyUser, account: WechatAccount) -> bool:
    """A person of the account's unit or below, known to the unit: invited, or their
    request to join approved (``is_verified_member``)."""
    return user.is_authenticated and is_verified_member(user=user, unit=account.unit)


@transaction.atomic
def binding_create(*, acting_user: Actor, account: WechatAccount, openid: str) -> WechatBinding:
    """Bind the acting login (only itself) to ``openid`` on ``account``."""
    if not isinstance(acting_user, User) or not can_bind(acting_user, account):
        raise NotFound
    if not openid or len(openid) > 64:
        raise ValidationError(_("Open this page from the official account again."))
    if (
        WechatBinding.objects.filter(account=account, openid=openid)
        .exclude(user=acting_user)
        .exists()
    ):
        raise ValidationError(_("This chat-app identity is bound to another login already."))
    if WechatBinding.objects.filter(account=account, user=acting_user).exists():
        raise ValidationError(_("Your login is bound on this account already: unbind it first."))
    binding = WechatBinding(account=account, user=acting_user, openid=openid)
    binding.full_clean()
    try:
        with transaction.atomic():
            binding.save()
    except IntegrityError as exc:  # the same tap twice at once
        raise ValidationError(_("This chat-app identity is bound already.")) from exc
    person = my_person(user=acting_user)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=binding,
        unit=person.unit if person else account.unit,
        note="chat-app identity bound",  # the OpenID itself stays out of the history
    )
    return binding


@transaction.atomic
def binding_delete(*, acting_user: Actor, pk: int) -> None:
    """Unbind one of the acting login's own bindings (anyone else's: ``NotFound``)."""
    if not isinstance(acting_user, User):
        raise NotFound
    binding = bindings_of(user=acting_user).select_for_update(of=("self",)).filter(pk=pk).first()
    if binding is None:
        raise NotFound
    person = my_person(user=acting_user)
    audit_record(
        actor=acting_user,
        action=AuditAction.DELETE,
        obj=binding,
        unit=person.unit if person else binding.account.unit,
        note="chat-app identity unbound",
    )
    binding.delete()
