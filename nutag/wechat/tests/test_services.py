"""Connecting an account: rights, bad input, secrets sealed and never in the history."""

import json

import pytest
from django.core.exceptions import ValidationError

from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.wechat.models import WechatAccount
from nutag.wechat.services import account_configure
from nutag.wechat.tests.signing import AES_KEY, APP_ID, TOKEN
from nutag.wechat.vault import unseal

pytestmark = pytest.mark.django_db


def configure(user, unit, **kw):  # type: ignore[no-untyped-def]
    args = {
        "app_id": APP_ID,
        "token": TOKEN,
        "aes_key": AES_KEY,
        "safe_mode": False,
        "keywords": {},
    }
    args.update(kw)
    return account_configure(acting_user=user, unit=unit, **args)


def test_officer_sibling_and_township_below_cannot_configure(cast):
    with pytest.raises(NotFound):
        configure(cast.village1a_officer, cast.village1a)
    with pytest.raises(NotFound):
        configure(cast.village1a_secretary, cast.village1b)
    with pytest.raises(NotFound):
        configure(cast.village1a_secretary, cast.township1)
    with pytest.raises(NotFound):
        configure(cast.resident, cast.village1a)
    assert not WechatAccount.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"token": ""}, "token"),
        ({"token": "has space"}, "token"),
        ({"aes_key": "short"}, "aes_key"),
        ({"aes_key": "!" * 43}, "aes_key"),
        ({"safe_mode": True, "aes_key": ""}, "aes_key"),
        ({"safe_mode": True, "app_id": ""}, "app_id"),
        ({"keywords": {"学习": "no_such_column"}}, "keywords"),
        ({"keywords": {"": "news"}}, "keywords"),
    ],
)
def test_bad_input_is_refused_with_the_field(cast, kw, field):
    with pytest.raises(ValidationError) as exc:
        configure(cast.village1a_secretary, cast.village1a, **kw)
    assert field in exc.value.message_dict
    assert not WechatAccount.objects.exists()


def test_secrets_are_sealed_kept_when_empty_and_never_audited(cast):
    account = configure(cast.village1a_secretary, cast.village1a, app_secret="s3cr3t-app-secret")
    assert TOKEN not in account.token_sealed and unseal(account.token_sealed) == TOKEN
    assert unseal(account.aes_key_sealed) == AES_KEY
    account = configure(
        cast.township1_secretary, cast.village1a, token="", aes_key="", app_id="wx2"
    )
    assert unseal(account.token_sealed) == TOKEN
    assert unseal(account.app_secret_sealed) == "s3cr3t-app-secret"
    history = json.dumps(
        [e.changes for e in AuditEntry.objects.filter(object_type="wechat.wechataccount")]
    )
    for secret in (TOKEN, AES_KEY, "s3cr3t-app-secret", account.token_sealed):
        assert secret not in history
    assert AuditEntry.objects.filter(object_type="wechat.wechataccount").count() == 2
