"""Messages signed (and encrypted) exactly as the platform's servers do, with wechatpy."""

from __future__ import annotations

import time

from django.test import Client
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

TOKEN = "nutagtesttoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
APP_ID = "wx0000000000000001"


def signature(token: str, timestamp: str, nonce: str) -> str:
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return signer.signature


def text_xml(content: str, msg_id: int = 1, source: str = "o-herder-1") -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName>"
        f"<FromUserName><![CDATA[{source}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(event: str, source: str = "o-herder-1") -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName>"
        f"<FromUserName><![CDATA[{source}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event></xml>"
    )


def send(
    client: Client,
    code: str,
    xml: str | bytes,
    *,
    token: str = TOKEN,
    aes_key: str | None = None,
    app_id: str = APP_ID,
    nonce: str = "n0nce",
):  # type: ignore[no-untyped-def]
    timestamp = str(int(time.time()))
    query = f"signature={signature(token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}"
    if aes_key is not None:
        crypto = WeChatCrypto(token, aes_key, app_id)
        envelope = crypto.encrypt_message(xml, nonce, timestamp)
        # The platform's envelope to us carries Encrypt (and ToUserName); its signature goes
        # in the query as msg_signature.
        import xmltodict

        parsed = xmltodict.parse(envelope)["xml"]
        encrypted = parsed["Encrypt"]
        xml = (
            f"<xml><ToUserName>gh_test</ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        )
        query += f"&encrypt_type=aes&msg_signature={parsed['MsgSignature']}"
    return client.post(f"/wechat/{code}/?{query}", data=xml, content_type="text/xml")


def decrypt_reply(body: bytes, *, aes_key: str = AES_KEY, app_id: str = APP_ID) -> str:
    import xmltodict

    parsed = xmltodict.parse(body)["xml"]
    crypto = WeChatCrypto(TOKEN, aes_key, app_id)
    return crypto.decrypt_message(
        body, parsed["MsgSignature"], parsed["TimeStamp"], parsed["Nonce"]
    )
