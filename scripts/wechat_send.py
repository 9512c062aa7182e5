#!/usr/bin/env python3
"""Send one message to a Nutag official-account endpoint, signed as the platform's servers do.

    .venv/bin/python scripts/wechat_send.py 学习
    .venv/bin/python scripts/wechat_send.py --event subscribe
    .venv/bin/python scripts/wechat_send.py --url http://127.0.0.1:8000/wechat/150725100201/ \
        --token nutag-demo-token 通知
    .venv/bin/python scripts/wechat_send.py --aes-key <43 characters> --app-id wx... 学习

Defaults: the demo's test account (乌兰哈达嘎查, plain-text mode, token ``nutag-demo-token``)
on ``python3 run.py demo``. Needs wechatpy (in the project's .venv). Prints the reply.
See docs/wechat.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

DEMO_URL = "http://127.0.0.1:8000/wechat/150725100201/"


def signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def message_xml(text: str, event: str, user: str) -> str:
    now = int(time.time())
    head = (
        f"<xml><ToUserName><![CDATA[gh_demo]]></ToUserName>"
        f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{now}</CreateTime>"
    )
    if event:
        return (
            head + f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event></xml>"
        )
    msg_id = random.randrange(10**15, 10**16)  # noqa: S311 (an id, not a secret)
    return (
        head
        + f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
        + f"<MsgId>{msg_id}</MsgId></xml>"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("text", nargs="?", default="你好")
    parser.add_argument("--url", default=DEMO_URL)
    parser.add_argument("--token", default="nutag-demo-token")
    parser.add_argument("--event", default="", help="e.g. subscribe")
    parser.add_argument("--user", default="o-demo-herder", help="the sender's OpenID")
    parser.add_argument("--aes-key", default="", help="safe mode: the EncodingAESKey")
    parser.add_argument("--app-id", default="wxnutagdemo00000")
    args = parser.parse_args()

    xml = message_xml(args.text, args.event, args.user)
    timestamp, nonce = str(int(time.time())), str(random.randrange(10**8, 10**9))  # noqa: S311
    query = {
        "signature": signature(args.token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
    }
    crypto = None
    if args.aes_key:
        crypto = WeChatCrypto(args.token, args.aes_key, args.app_id)
        envelope = crypto.encrypt_message(xml, nonce, timestamp)
        encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
        xml = f"<xml><ToUserName>gh_demo</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        query.update(
            encrypt_type="aes", msg_signature=signature(args.token, timestamp, nonce, encrypt)
        )
    request = urllib.request.Request(  # noqa: S310 (the URL is the developer's own)
        f"{args.url}?{urllib.parse.urlencode(query)}",
        data=xml.encode(),
        headers={"Content-Type": "text/xml"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            body = response.read().decode()
    except urllib.error.HTTPError as exc:
        print(f"HTTP {exc.code}: {exc.read().decode()[:200]}", file=sys.stderr)  # noqa: T201
        return 1
    if crypto is not None and "<Encrypt>" in body:
        parts = {
            tag: body.split(f"<{tag}>")[1]
            .split(f"</{tag}>")[0]
            .removeprefix("<![CDATA[")
            .removesuffix("]]>")
            for tag in ("Encrypt", "MsgSignature", "TimeStamp", "Nonce")
        }
        body = crypto.decrypt_message(
            body, parts["MsgSignature"], parts["TimeStamp"], parts["Nonce"]
        )
    print(body)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
