"""The secretary's account page: who reaches it, errors next to the field, secrets masked."""

import pytest

from nutag.core.tests.test_form_ids import parse, problems
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
    # the page with an account: its title is the page's name (the menu section once ran
    # into it, a form and its token in the browser tab), the menu section is there once
    parsed = parse(page)
    assert not problems(parsed), problems(parsed)
    assert "<" not in parsed.title and page.count("wechat/menu/") == 1


def test_the_secretary_finds_the_page_from_their_own_page(cast, client):
    client.force_login(cast.village1a_officer)
    assert f"/desk/u/{cast.village1a.code}/wechat/" not in client.get("/desk/me/").content.decode()
    client.force_login(cast.village1a_secretary)
    page = client.get("/desk/me/").content.decode()
    assert f"/desk/u/{cast.village1a.code}/wechat/" in page and "/desk/me/wechat/" in page


def test_a_server_without_the_secrets_key_says_so_and_fails_nothing(cast, client, settings):
    """Production has no default ``NUTAG_SECRETS_KEY``: without it the secretary's page says
    why nothing can be saved (and keeps what was typed), stores nothing, shows no secret, and
    the endpoint refuses messages — no server error anywhere."""
    import time

    from django.core.cache import cache

    from nutag.core.actors import SYSTEM
    from nutag.wechat.services import account_configure
    from nutag.wechat.tests.signing import signature
    from nutag.wechat.vault import masked

    account_configure(
        acting_user=SYSTEM,
        unit=cast.village1a,
        app_id="wx1",
        token=TOKEN,
        aes_key=AES_KEY,
        safe_mode=False,
        keywords={},
    )
    settings.NUTAG_SECRETS_KEY = ""
    cache.clear()  # the endpoint's kept, unsealed config
    client.force_login(cast.village1a_secretary)
    page = client.get(url(cast.village1a))
    assert page.status_code == 200
    html = page.content.decode()
    assert "没有设置" in html and "NUTAG_SECRETS_KEY" in html
    assert masked(TOKEN) not in html and masked(AES_KEY) not in html
    before = WechatAccount.objects.values().get()
    sent = client.post(url(cast.village1a), {"app_id": "wx2", "token": "newtoken1"})
    assert sent.status_code == 200
    assert 'value="wx2"' in sent.content.decode() and "没有设置" in sent.content.decode()
    assert WechatAccount.objects.values().get() == before
    ts = str(int(time.time()))
    check = f"signature={signature(TOKEN, ts, 'abc')}&timestamp={ts}&nonce=abc&echostr=hello"
    assert client.get(f"/wechat/{cast.village1a.code}/?{check}").status_code == 403
