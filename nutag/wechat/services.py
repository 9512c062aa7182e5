"""Writes: connecting a unit's official account, and noting what went wrong with it."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nutag.core.actors import Actor
from nutag.core.audit import audit_record, diff, snapshot
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit
from nutag.orgs.permissions import require
from nutag.sites.columns import DEFAULT_KEYS
from nutag.sites.events import announce_site_change
from nutag.wechat.menu import account_menu
from nutag.wechat.models import WechatAccount
from nutag.wechat.permissions import can_configure_account
from nutag.wechat.platform import HttpPlatform, Platform, PlatformError
from nutag.wechat.selectors import SHARE_UNITS_KEY, config_cache_key
from nutag.wechat.vault import NO_KEY, has_key, seal, unseal

# What the history may show: never the secrets, only that they changed.
AUDITED = ["app_id", "safe_mode", "keywords", "welcome", "notice_template_id"]
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{3,32}$")  # the platform asks letters and digits


def aes_key_problem(aes_key: str) -> str:
    """Why ``aes_key`` cannot be an EncodingAESKey (43 characters, base64 of 32 bytes)."""
    if len(aes_key) != 43:
        return _(
            "The message key (EncodingAESKey) has 43 letters and digits; this one has %(n)d."
        ) % {"n": len(aes_key)}
    try:
        if len(base64.b64decode(aes_key + "=", validate=True)) == 32:
            return ""
    except (binascii.Error, ValueError):
        pass
    return _("This is not a message key (EncodingAESKey): copy it again from the platform.")


def _clean_keywords(keywords: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for word, key in keywords.items():
        word, key = str(word).strip(), str(key).strip()
        if not word or len(word) > 20:
            raise ValidationError({"keywords": [_("A keyword has 1 to 20 characters.")]})
        if key not in DEFAULT_KEYS:
            raise ValidationError(
                {"keywords": [_("“%(key)s” is not a column of the site.") % {"key": key}]}
            )
        cleaned[word] = key
    return cleaned


@transaction.atomic
def account_configure(
    *,
    acting_user: Actor,
    unit: Unit,
    app_id: str,
    token: str = "",
    aes_key: str = "",
    app_secret: str = "",
    safe_mode: bool,
    keywords: dict[str, str],
    welcome: str = "",
    notice_template_id: str = "",
) -> WechatAccount:
    """Connect or change the unit's account. An empty secret keeps the one stored."""
    require(acting_user, can_configure_account, unit)
    if not has_key():
        raise ValidationError(NO_KEY)
    account = WechatAccount.objects.select_for_update().filter(unit=unit).first()
    before = snapshot(account, AUDITED) if account else {}
    account = account or WechatAccount(unit=unit)
    token, aes_key, app_secret = token.strip(), aes_key.strip(), app_secret.strip()
    errors: dict[str, list[str]] = {}
    if token and not TOKEN_RE.match(token):
        errors["token"] = [_("The token has 3 to 32 letters, digits, “-” or “_”.")]
    if aes_key and (problem := aes_key_problem(aes_key)):
        errors["aes_key"] = [problem]
    if not token and not account.token_sealed:
        errors["token"] = [_("Enter the token set on the platform's server settings page.")]
    if safe_mode and not aes_key and not account.aes_key_sealed:
        errors["aes_key"] = [_("Safe mode needs the message key (EncodingAESKey).")]
    if safe_mode and not app_id.strip():
        errors["app_id"] = [_("Safe mode needs the app ID.")]
    if errors:
        raise ValidationError(errors)
    changed_secrets = []
    for field, value in (("token", token), ("aes_key", aes_key), ("app_secret", app_secret)):
        if value and value != unseal(getattr(account, f"{field}_sealed")):
            setattr(account, f"{field}_sealed", seal(value))
            changed_secrets.append(field)
    account.app_id = app_id.strip()
    account.safe_mode = safe_mode
    account.keywords = _clean_keywords(keywords)
    account.welcome = welcome.strip()
    account.notice_template_id = notice_template_id.strip()
    if changed_secrets:
        account.last_error, account.last_error_at = "", None
    account.full_clean()
    account.save()
    changes = diff(before, snapshot(account, AUDITED))
    for field in changed_secrets:
        changes[field] = ["******", "******"]  # changed; never the value
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=account,
        unit=unit,
        changes=changes,
    )
    code = unit.code
    transaction.on_commit(lambda: cache.delete_many([config_cache_key(code), SHARE_UNITS_KEY]))
    if not before or {"app_id", "app_secret"} & set(changes):
        # whether the unit's pages load the share script may have changed: purge them
        announce_site_change(unit_ids=[unit.pk])
    return account


def account_note_error(*, account_id: int, error: str) -> None:
    """Keep what went wrong answering a message, for the secretary's page (the platform's
    servers are the actor here: nothing else changes, no audit row)."""
    WechatAccount.objects.filter(pk=account_id).update(
        last_error=error[:200], last_error_at=timezone.now()
    )


def platform_for(account: WechatAccount) -> Platform:
    """The platform's API for ``account``; it needs the app ID and the app secret."""
    secret = unseal(account.app_secret_sealed)
    if not account.app_id or not secret:
        raise ValidationError(_("Enter the app ID and the app secret first."))
    return HttpPlatform(app_id=account.app_id, app_secret=secret)


def account_menu_push(
    *, acting_user: Actor, unit: Unit, base_url: str, platform: Platform | None = None
) -> dict[str, Any]:
    """Build the menu from the unit's columns and send it to the platform (outside any
    transaction: a slow platform holds no lock); a refusal is a ``ValidationError`` with the
    platform's answer. The push is written in the unit's history."""
    require(acting_user, can_configure_account, unit)
    account = WechatAccount.objects.filter(unit=unit).first()
    if account is None:
        raise ValidationError(_("Connect the official account first."))
    menu = account_menu(unit=unit, base_url=base_url)
    try:
        (platform or platform_for(account)).create_menu(menu)
    except PlatformError as exc:
        raise ValidationError(
            _("The platform refused the menu: %(reason)s") % {"reason": str(exc)}
        ) from exc
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=account,
            unit=unit,
            changes={"menu": [None, [b["name"] for b in menu["button"]]]},
            note="menu pushed",
        )
    return menu
