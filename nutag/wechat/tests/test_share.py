"""Share cards: the JS-SDK signature over the cached ticket (fake platform on 127.0.0.1)."""

import gzip
import hashlib

import pytest

from nutag.core.actors import SYSTEM
from nutag.wechat.services import account_configure
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


def share(client, code, url):  # type: ignore[no-untyped-def]
    return client.get(f"/wechat/{code}/share/", {"url": url})


def test_refused_without_account_secret_or_for_another_host(cast, client, fake):
    code = cast.village1a.code
    page = f"http://testserver/u/{code}/"
    assert share(client, code, page).status_code == 404  # no account
    account_configure(
        acting_user=SYSTEM,
        unit=cast.village1a,
        app_id=APP_ID,
        token=TOKEN,
        safe_mode=False,
        keywords={},
    )
    assert share(client, code, page).status_code == 404  # no app secret
    connect(cast.village1a)
    assert share(client, code, "https://evil.example/x").status_code == 404
    assert share(client, code, "").status_code == 404
    assert fake.calls["/cgi-bin/ticket/getticket"] == 0


def test_platform_down_is_503(cast, client, settings):
    connect(cast.village1a)
    settings.NUTAG_WECHAT_API_BASE = "http://127.0.0.1:9"
    assert share(client, cast.village1a.code, "http://testserver/").status_code == 503


def test_signature_is_the_platforms_and_the_ticket_is_reused(cast, client, fake):
    connect(cast.village1a)
    code = cast.village1a.code
    page = f"http://testserver/u/{code}/c/news/?a=1"
    data = share(client, code, page + "#top").json()
    expected = hashlib.sha1(  # noqa: S324 (the platform's documented signature)
        f"jsapi_ticket=ticket-1&noncestr={data['nonceStr']}&timestamp={data['timestamp']}"
        f"&url={page}".encode()
    ).hexdigest()
    assert data["signature"] == expected
    assert data["appId"] == APP_ID and data["title"] == cast.village1a.name and data["link"] == page
    share(client, code, page)
    assert fake.calls["/cgi-bin/token"] == 1 and fake.calls["/cgi-bin/ticket/getticket"] == 1


# --- the script on the public pages ------------------------------------------------------------

SCRIPT = 'src="/static/wechat/share.js" data-unit="{code}" defer'


def test_pages_load_the_script_only_where_an_account_can_sign(
    cast, client, django_capture_on_commit_callbacks
):
    code = cast.village1a.code
    assert "share.js" not in client.get(f"/u/{code}/").content.decode()  # no account
    with django_capture_on_commit_callbacks(execute=True):
        account_configure(  # an account without an app secret cannot sign the JS-SDK
            acting_user=SYSTEM,
            unit=cast.village1a,
            app_id=APP_ID,
            token=TOKEN,
            safe_mode=False,
            keywords={},
        )
    assert "share.js" not in client.get(f"/u/{code}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        connect(cast.village1a)  # the cached anonymous page is purged
    response = client.get(f"/u/{code}/")
    assert SCRIPT.format(code=code) in response.content.decode()
    assert "https://res.wx.qq.com" in response["Content-Security-Policy-Report-Only"]
    assert len(gzip.compress(response.content)) <= 14 * 1024  # the first-response budget
    column = client.get(f"/u/{code}/c/news/").content.decode()
    assert SCRIPT.format(code=code) in column
    sibling = client.get(f"/u/{cast.village1b.code}/").content.decode()
    assert "share.js" not in sibling  # another unit, without an account


def test_the_script_costs_no_query_once_known(cast, client, django_assert_num_queries):
    from nutag.wechat.selectors import unit_has_share_cards

    connect(cast.village1a)
    assert unit_has_share_cards(cast.village1a) is True
    with django_assert_num_queries(0):
        assert unit_has_share_cards(cast.village1a) is True
        assert unit_has_share_cards(cast.village1b) is False
