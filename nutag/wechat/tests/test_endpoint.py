"""The message endpoint, driven with messages signed and encrypted as the platform does."""

import time

import pytest
import xmltodict
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutag.core.actors import SYSTEM
from nutag.wechat.models import WechatAccount
from nutag.wechat.services import account_configure
from nutag.wechat.tests.signing import (
    AES_KEY,
    APP_ID,
    TOKEN,
    decrypt_reply,
    event_xml,
    send,
    signature,
    text_xml,
)

pytestmark = pytest.mark.django_db


def connect(unit, *, safe_mode=False, keywords=None):  # type: ignore[no-untyped-def]
    return account_configure(
        acting_user=SYSTEM,
        unit=unit,
        app_id=APP_ID,
        token=TOKEN,
        aes_key=AES_KEY,
        safe_mode=safe_mode,
        keywords=keywords or {},
    )


def reply_content(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return xmltodict.parse(response.content)["xml"]["Content"]


# --- refused first ---------------------------------------------------------------------------


def test_unknown_unit_or_unit_without_account_is_404(cast, client):
    assert send(client, "999999", text_xml("学习")).status_code == 404
    assert send(client, cast.village1a.code, text_xml("学习")).status_code == 404


def test_bad_signature_is_403_and_logged(cast, client, caplog):
    connect(cast.village1a)
    r = send(client, cast.village1a.code, text_xml("学习"), token="someoneelse")
    assert r.status_code == 403
    assert "bad signature" in caplog.text
    ts = str(int(time.time()))
    r = client.get(f"/wechat/{cast.village1a.code}/?signature=x&timestamp={ts}&nonce=1&echostr=e")
    assert r.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        "<xml><MsgType>text",  # malformed
        "not xml at all",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<xml><MsgType>text</MsgType><Content>&b;</Content></xml>",  # entity expansion
        '<!DOCTYPE x SYSTEM "file:///etc/passwd"><xml/>',  # external entity
        "<xml><Content>" + "x" * 40000 + "</Content></xml>",  # oversized
        "<xml><Content>no type</Content></xml>",  # no MsgType
    ],
)
def test_bad_xml_is_refused_by_a_safe_parser(cast, client, body):
    connect(cast.village1a)
    assert send(client, cast.village1a.code, body).status_code == 400


def test_replayed_message_is_answered_once(cast, client):
    connect(cast.village1a)
    first = send(client, cast.village1a.code, text_xml("学习", msg_id=77))
    assert "online_study" in reply_content(first)
    again = send(client, cast.village1a.code, text_xml("学习", msg_id=77))
    assert again.status_code == 200 and again.content == b"success"


def test_wrong_aes_key_is_noted_for_the_secretary_not_a_crash(cast, client):
    connect(cast.village1a, safe_mode=True)
    other = "Z" * 42 + "A"
    r = send(client, cast.village1a.code, text_xml("学习"), aes_key=other)
    assert r.status_code == 200
    account = WechatAccount.objects.get(unit=cast.village1a)
    assert "EncodingAESKey" in account.last_error
    client.force_login(cast.village1a_secretary)
    page = client.get(f"/desk/u/{cast.village1a.code}/wechat/")
    assert "EncodingAESKey" in page.content.decode()


# --- what works ------------------------------------------------------------------------------


def test_url_check_echoes(cast, client):
    connect(cast.village1a)
    ts = str(int(time.time()))
    sig = signature(TOKEN, ts, "abc")
    r = client.get(
        f"/wechat/{cast.village1a.code}/?signature={sig}&timestamp={ts}&nonce=abc&echostr=hello"
    )
    assert r.status_code == 200 and r.content == b"hello"


def test_keywords_reply_with_the_columns(cast, client):
    connect(cast.village1a)
    code = cast.village1a.code
    assert f"/u/{code}/c/online_study/" in reply_content(send(client, code, text_xml("学习", 1)))
    assert f"/u/{code}/c/interaction/" in reply_content(send(client, code, text_xml("说事", 2)))
    assert f"/u/{code}/c/public_affairs/" in reply_content(send(client, code, text_xml("通知", 3)))
    named = reply_content(send(client, code, text_xml(cast.village1a.name, 4)))
    assert named.endswith(f"/u/{code}/")


def test_keywords_are_editable_per_unit(cast, client):
    connect(cast.village1a, keywords={"旅游": "tourism"})
    code = cast.village1a.code
    assert "/c/tourism/" in reply_content(send(client, code, text_xml("旅游", 1)))
    assert "/c/online_study/" not in reply_content(send(client, code, text_xml("学习", 2)))


def test_unknown_message_gets_the_menu_and_subscribe_the_welcome(cast, client):
    connect(cast.village1a)
    code = cast.village1a.code
    menu = reply_content(send(client, code, text_xml("你好", 1)))
    assert "【学习】" in menu and f"/u/{code}/" in menu
    welcome = reply_content(send(client, code, event_xml("subscribe")))
    assert cast.village1a.name in welcome and f"/u/{code}/" in welcome
    r = send(client, code, event_xml("unsubscribe", source="o-other"))
    assert r.content == b"success"


def test_safe_mode_round_trip(cast, client):
    connect(cast.village1a, safe_mode=True)
    r = send(client, cast.village1a.code, text_xml("学习"), aes_key=AES_KEY)
    assert r.status_code == 200, r.content
    reply = xmltodict.parse(decrypt_reply(r.content))["xml"]
    assert "online_study" in reply["Content"]
    assert reply["ToUserName"] == "o-herder-1"


def test_keyword_reply_costs_a_fixed_number_of_queries(cast, client):
    connect(cast.village1a)
    code = cast.village1a.code
    with CaptureQueriesContext(connection) as cold:
        send(client, code, text_xml("学习", 1))
    with CaptureQueriesContext(connection) as warm:
        for i in range(5):
            send(client, code, text_xml("说事", 10 + i))
    assert len(cold) <= 1
    assert len(warm) == 0


def test_a_changed_account_is_read_again(cast, client, django_capture_on_commit_callbacks):
    connect(cast.village1a)
    code = cast.village1a.code
    send(client, code, text_xml("学习", 1))  # cached
    with django_capture_on_commit_callbacks(execute=True):
        connect(cast.village1a, keywords={"旅游": "tourism"})
    assert "/c/tourism/" in reply_content(send(client, code, text_xml("旅游", 2)))
