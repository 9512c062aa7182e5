"""A fake Aliyun SMS endpoint on 127.0.0.1, for tests and the bench: checks signatures,
records each message by its ``OutId``, answers ``QuerySendDetails``, and can be told to
fail (HTTP 5xx) or to hang (past the client's timeout) for its next requests."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from nutag.notify.channels.sms import aliyun_signature

SECRET = "fake-secret"


class FakeAliyun:
    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.received: Counter[str] = Counter()  # OutId -> times received
        self.messages: list[dict[str, str]] = []
        self.fail_next = 0  # answer this many SendSms with fail_status
        self.fail_status = 503
        self.hang_next = 0  # record, then hang this long (seconds) before answering
        self.hang_seconds = 0.0
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                status, body = fake.handle(params)
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        signature = params.pop("Signature", "")
        if signature != aliyun_signature(params, self.secret):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        action = params.get("Action")
        if action == "QuerySendDetails":
            with self.lock:
                rows = [
                    {"OutId": m["OutId"], "PhoneNum": m["phone"], "SendStatus": 3}
                    for m in self.messages
                    if m["phone"] == params.get("PhoneNumber")
                ]
            return 200, {
                "Code": "OK",
                "TotalCount": len(rows),
                "SmsSendDetailDTOs": {"SmsSendDetailDTO": rows},
            }
        if action != "SendSms":
            return 404, {"Code": "InvalidAction"}
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"Code": "isp.SYSTEM_ERROR"}
        phone = params.get("PhoneNumbers", "")
        if not phone.isdigit() or len(phone) != 11:
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "bad number"}
        content = json.loads(params.get("TemplateParam", "{}")).get("content", "")
        with self.lock:
            self.received[params.get("OutId", "")] += 1
            self.messages.append(
                {"OutId": params.get("OutId", ""), "phone": phone, "text": content}
            )
            hang = self.hang_seconds if self.hang_next > 0 else 0.0
            if hang:
                self.hang_next -= 1
        if hang:
            time.sleep(hang)
        return 200, {"Code": "OK", "BizId": "fake", "RequestId": "fake"}


def configure(settings: Any, fake: FakeAliyun, timeout: float = 2.0) -> None:
    """Point the SMS channel at ``fake`` (``settings`` is pytest-django's fixture)."""
    settings.NUTAG_SMS_BACKEND = "nutag.notify.channels.sms.AliyunSms"
    settings.NUTAG_ALIYUN_SMS_ENDPOINT = fake.url
    settings.NUTAG_ALIYUN_ACCESS_KEY_ID = "fake-id"
    settings.NUTAG_ALIYUN_ACCESS_KEY_SECRET = fake.secret
    settings.NUTAG_ALIYUN_SMS_SIGN_NAME = "努图克"
    settings.NUTAG_ALIYUN_SMS_TEMPLATE = "SMS_0000"
    settings.NUTAG_SMS_TIMEOUT = timeout
