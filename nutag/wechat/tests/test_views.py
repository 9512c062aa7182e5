"""The secretary's account page: who reaches it, errors next to the field, secrets masked."""

import pytest

from nutag.wechat.models import WechatAccount
from nutag.wechat.tests.signing import AES_KEY, TOKEN

pytestmark = pytest.mark.django_db


def url(unit) -> str:  # type: ignore[no-untyped-def]
    return f"/desk/u/{unit.code}/wechat/"


def test_not_the_secretary_is_404(cast, client):
    client.force_login(cast.village1a_officer)
    assert client.get(url(cast.village1a)).status_code == 404
    client.force_login(cast.village1a_secretary)
    assert client.get(url(cast.village1b)).status_code == 404
    assert client.get(url(cast.township1)).status_code == 404


def test_bad_key_is_shown_next_to_the_field_and_the_rest_kept(cast, client):
    client.force_login(cast.village1a_secretary)
    r = client.post(
        url(cast.village1a),
        {"app_id": "wxkept", "token": TOKEN, "aes_key": "short", "keywords": "学习 = online_study"},
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "EncodingAESKey" in page and 'value="wxkept"' in page
    assert not WechatAccount.objects.exists()


def test_saved_secrets_are_shown_masked_only(cast, client):
    client.force_login(cast.village1a_secretary)
    r = client.post(
        url(cast.village1a),
        {
            "app_id": "wx1",
            "token": TOKEN,
            "aes_key": AES_KEY,
            "safe_mode": "on",
            "keywords": "学习 = online_study\n旅游 = tourism",
            "welcome": "欢迎",
        },
    )
    assert r.status_code == 302
    account = WechatAccount.objects.get()
    assert account.keywords == {"学习": "online_study", "旅游": "tourism"} and account.safe_mode
    page = client.get(url(cast.village1a)).content.decode()
    assert TOKEN not in page and AES_KEY not in page
    assert TOKEN[-4:] in page and f"/wechat/{cast.village1a.code}/" in page


def test_the_secretary_finds_the_page_from_their_own_page(cast, client):
    client.force_login(cast.village1a_officer)
    assert f"/desk/u/{cast.village1a.code}/wechat/" not in client.get("/desk/me/").content.decode()
    client.force_login(cast.village1a_secretary)
    page = client.get("/desk/me/").content.decode()
    assert f"/desk/u/{cast.village1a.code}/wechat/" in page and "/desk/me/wechat/" in page
