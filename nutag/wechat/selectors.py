"""Reads: the secretary's view of an account, and the endpoint's cached, unsealed config."""

from __future__ import annotations

import dataclasses

from django.core.cache import cache

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.wechat.models import DEFAULT_KEYWORDS, WechatAccount
from nutag.wechat.permissions import can_configure_account
from nutag.wechat.vault import unseal

CONFIG_TTL = 600  # seconds; dropped at once when the account changes (services)
SHARE_UNITS_KEY = "wechat:share-units"


def unit_has_share_cards(unit: Unit) -> bool:
    """Whether ``unit``'s public pages load ``wechat/share.js``: its account has the app ID
    and the app secret the JS-SDK needs. One query for all units, then the cache (dropped
    when an account changes, and the unit's cached pages purged: ``account_configure``)."""
    ids = cache.get(SHARE_UNITS_KEY)
    if ids is None:
        ids = sorted(
            WechatAccount.objects.exclude(app_id="")
            .exclude(app_secret_sealed="")
            .values_list("unit_id", flat=True)
        )
        cache.set(SHARE_UNITS_KEY, ids, CONFIG_TTL)
    return unit.pk in ids


def access_account_unit(*, user: AnyUser, code: str) -> tuple[Unit, WechatAccount | None]:
    """The unit whose account ``user`` may configure, with its account if connected."""
    unit = access_unit(user=user, code=code, perm=Perm.VIEW_UNIT)
    if not can_configure_account(user, unit):
        raise NotFound
    return unit, WechatAccount.objects.filter(unit=unit).first()


@dataclasses.dataclass(frozen=True)
class EndpointConfig:
    """What answering a message needs, unsealed; no database access after it is read."""

    account_id: int
    unit_code: str
    unit_name: str
    app_id: str
    token: str
    aes_key: str
    safe_mode: bool
    keywords: dict[str, str]
    welcome: str


def config_cache_key(code: str) -> str:
    return f"wechat:config:{code}"


def endpoint_config(*, code: str) -> EndpointConfig:
    """The account behind ``/wechat/<code>/``: one query, then the cache. ``NotFound`` for an
    unknown unit or a unit without an account."""
    key = config_cache_key(code)
    raw = cache.get(key)
    if raw is None:
        account = (
            WechatAccount.objects.select_related("unit")
            .only(
                "id",
                "app_id",
                "token_sealed",
                "aes_key_sealed",
                "safe_mode",
                "keywords",
                "welcome",
                "unit__code",
                "unit__name",
            )
            .filter(unit__code=code)
            .first()
        )
        if account is None:
            raise NotFound
        raw = {
            "account_id": account.pk,
            "unit_code": account.unit.code,
            "unit_name": account.unit.name,
            "app_id": account.app_id,
            "token_sealed": account.token_sealed,
            "aes_key_sealed": account.aes_key_sealed,
            "safe_mode": account.safe_mode,
            "keywords": account.keywords or DEFAULT_KEYWORDS,
            "welcome": account.welcome,
        }
        cache.set(key, raw, CONFIG_TTL)  # the secrets stay sealed in the cache
    return EndpointConfig(
        account_id=raw["account_id"],
        unit_code=raw["unit_code"],
        unit_name=raw["unit_name"],
        app_id=raw["app_id"],
        token=unseal(raw["token_sealed"]),
        aes_key=unseal(raw["aes_key_sealed"]),
        safe_mode=raw["safe_mode"],
        keywords=dict(raw["keywords"]),
        welcome=raw["welcome"],
    )
