"""The platform client against a fake platform on 127.0.0.1; the menu; credentials cached."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.wechat import platform as platform_module
from nutag.wechat.platform import HttpPlatform, PlatformError, cached_credential
from nutag.wechat.services import account_configure, account_menu_push
from nutag.wechat.tests.fake_platform import APP_SECRET, FakePlatform
from nutag.wechat.tests.signing import APP_ID, TOKEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings):  # type: ignore[no-untyped-def]
    server = FakePlatform()
    settings.NUTAG_WECHAT_API_BASE = server.url
    yield server
    server.stop()


def connect(unit, secret=APP_SECRET):  # type: ignore[no-untyped-def]
    return account_configure(
        acting_user=SYSTEM,
        unit=unit,
        app_id=APP_ID,
        token=TOKEN,
        app_secret=secret,
        safe_mode=False,
        keywords={},
    )


# --- refused first ---------------------------------------------------------------------------


def test_menu_push_needs_the_right_an_account_and_a_secret(cast, fake):
    with pytest.raises(NotFound):
        account_menu_push(
            acting_user=cast.village1a_officer, unit=cast.village1a, base_url="http://x"
        )
    with pytest.raises(ValidationError):
        account_menu_push(
            acting_user=cast.village1a_secretary, unit=cast.village1a, base_url="http://x"
        )
    account_configure(
        acting_user=SYSTEM,
        unit=cast.village1a,
        app_id=APP_ID,
        token=TOKEN,
        safe_mode=False,
        keywords={},
    )
    with pytest.raises(ValidationError):
        account_menu_push(
            acting_user=cast.village1a_secretary, unit=cast.village1a, base_url="http://x"
        )
    assert fake.menus == []


def test_a_refusal_of_the_platform_is_a_message_not_a_crash(cast, fake):
    connect(cast.village1a, secret="wrong-secret")
    with pytest.raises(ValidationError) as exc:
        account_menu_push(
            acting_user=cast.village1a_secretary, unit=cast.village1a, base_url="http://x"
        )
    assert "40001" in str(exc.value)


def test_unreachable_platform_is_a_platform_error(settings):
    settings.NUTAG_WECHAT_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(PlatformError):
        HttpPlatform(app_id="wx", app_secret="s").access_token()


# --- what works ------------------------------------------------------------------------------


def test_menu_from_the_columns_reaches_the_platform(cast, fake, client):
    connect(cast.village1a)
    client.force_login(cast.village1a_secretary)
    r = client.post(f"/desk/u/{cast.village1a.code}/wechat/menu/")
    assert r.status_code == 302
    [menu] = fake.menus
    buttons = menu["button"]
    assert 1 <= len(buttons) <= 3
    assert all(1 <= len(b["sub_button"]) <= 5 for b in buttons)
    urls = [s["url"] for b in buttons for s in b["sub_button"]]
    assert f"http://testserver/u/{cast.village1a.code}/c/online_study/" in urls
    assert urls[-1] == f"http://testserver/u/{cast.village1a.code}/"
    assert all(len(b["name"].encode()) <= 16 for b in buttons)


def test_access_token_is_fetched_once_and_reused(cast, fake):
    p = HttpPlatform(app_id=APP_ID, app_secret=APP_SECRET)
    assert p.jsapi_ticket() == "ticket-1"
    assert p.jsapi_ticket() == "ticket-1"
    p.create_menu({"button": []})
    assert fake.calls["/cgi-bin/token"] == 1
    assert fake.calls["/cgi-bin/ticket/getticket"] == 1


def test_credentials_are_refreshed_before_expiry_by_one_caller():
    fetched = []
    clock = [1000.0]

    def fetch():  # type: ignore[no-untyped-def]
        fetched.append(clock[0])
        return f"v{len(fetched)}", 7200

    now = lambda: clock[0]  # noqa: E731
    assert cached_credential("k", fetch, now=now) == "v1"
    clock[0] += 7200 - platform_module.REFRESH_MARGIN - 1
    assert cached_credential("k", fetch, now=now) == "v1"  # not yet
    clock[0] += 2  # within the margin: refreshed before it expires
    cache.add("k:lock", 1, 60)  # someone else is refreshing: the current one is used
    assert cached_credential("k", fetch, now=now) == "v1"
    cache.delete("k:lock")
    assert cached_credential("k", fetch, now=now) == "v2"
    assert len(fetched) == 2
