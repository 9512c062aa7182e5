"""Text messages: a provider interface, a log-file backend (the default), and Aliyun SMS.

``NUTAG_SMS_BACKEND`` names the sender class:

- ``nutag.notify.channels.sms.LogFileSms`` (default): appends one JSON line per message to
  ``NUTAG_SMS_LOG``; nothing leaves the machine. Good for the demo and for trying things out.
- ``nutag.notify.channels.sms.AliyunSms``: Alibaba Cloud's Short Message Service, called
  through its documented RPC HTTP API (``SendSms``, ``QuerySendDetails``, version
  2017-05-25, HMAC-SHA1 signature), with only the standard library. China's SMS rules want
  an approved signature (``NUTAG_ALIYUN_SMS_SIGN_NAME``) and template
  (``NUTAG_ALIYUN_SMS_TEMPLATE``, with one variable ``${content}``) set up in its console.
  The message key goes as ``OutId``, so a worker that restarts after being killed can ask
  ``QuerySendDetails`` whether the message already went out instead of sending it again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from nutag.notify.channels import Fail, Message, Retry, Skip


def _require_phone(message: Message) -> str:
    if not message.phone:
        raise Skip(_("no mobile number"))
    return message.phone


class LogFileSms:
    """Writes messages to a file instead of sending them."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or settings.NUTAG_SMS_LOG)

    def send(self, message: Message) -> None:
        phone = _require_phone(message)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"key": message.key, "phone": phone, "text": message.text}, ensure_ascii=False
        )
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")

    def was_sent(self, message: Message) -> bool | None:
        if not self.path.exists():
            return False
        needle = json.dumps(message.key)
        with self.path.open(encoding="utf-8") as lines:
            return any(f'"key": {needle}' in line for line in lines)


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba Cloud's signature wants it."""
    return urllib.parse.quote(value, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """The ``Signature`` of an Alibaba Cloud RPC request (signature version 1.0)."""
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# Error codes that a later try may get through (flow control, the provider's own trouble).
_PASSING = ("isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling", "isp.")


class AliyunSms:
    def __init__(self) -> None:
        self.endpoint = settings.NUTAG_ALIYUN_SMS_ENDPOINT
        self.key_id = settings.NUTAG_ALIYUN_ACCESS_KEY_ID
        self.secret = settings.NUTAG_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = settings.NUTAG_ALIYUN_SMS_SIGN_NAME
        self.template = settings.NUTAG_ALIYUN_SMS_TEMPLATE
        self.timeout = settings.NUTAG_SMS_TIMEOUT

    def _call(self, action: str, params: dict[str, str]) -> dict[str, Any]:
        if not (self.key_id and self.secret):
            raise Fail(_("SMS provider not configured"))
        full = {
            "AccessKeyId": self.key_id,
            "Action": action,
            "Format": "JSON",
            "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            **params,
        }
        full["Signature"] = aliyun_signature(full, self.secret)
        body = urllib.parse.urlencode(full).encode()
        request = urllib.request.Request(  # noqa: S310  (the configured https endpoint)
            self.endpoint,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data: dict[str, Any] = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code == 429:
                raise Retry(f"HTTP {exc.code}") from exc
            try:
                data = json.loads(exc.read().decode() or "{}")
            except ValueError:
                raise Fail(f"HTTP {exc.code}") from exc
        except TimeoutError as exc:
            raise Retry(_("the SMS provider did not answer in time")) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise Retry(str(getattr(exc, "reason", exc))[:200]) from exc
        return data

    def send(self, message: Message) -> None:
        phone = _require_phone(message)
        data = self._call(
            "SendSms",
            {
                "PhoneNumbers": phone,
                "SignName": self.sign_name,
                "TemplateCode": self.template,
                "TemplateParam": json.dumps({"content": message.text}, ensure_ascii=False),
                "OutId": message.key,
            },
        )
        code = str(data.get("Code", ""))
        if code == "OK":
            return
        reason = f"{code}: {data.get('Message', '')}"[:250]
        if code.startswith(_PASSING):
            raise Retry(reason)
        raise Fail(reason)

    def was_sent(self, message: Message) -> bool | None:
        if not message.phone:
            return False
        today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8)))
        for day in (today, today - dt.timedelta(days=1)):
            try:
                data = self._call(
                    "QuerySendDetails",
                    {
                        "PhoneNumber": message.phone,
                        "SendDate": day.strftime("%Y%m%d"),
                        "PageSize": "50",
                        "CurrentPage": "1",
                    },
                )
            except (Retry, Fail):
                return None
            if data.get("Code") != "OK":
                return None
            rows = (data.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
            # SendStatus 1: waiting for the carrier's receipt, 3: delivered, 2: failed.
            if any(r.get("OutId") == message.key and r.get("SendStatus") in (1, 3) for r in rows):
                return True
        return False
