"""A fake chat platform on 127.0.0.1 for the tests: the JSON API ``platform.HttpPlatform``
speaks (token, menu, JS-SDK ticket, template messages, OAuth code exchange). It checks the
app secret and the access token it issued, records what it received, and can refuse."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

APP_SECRET = "fake-app-secret"


class FakePlatform:
    def __init__(self, app_secret: str = APP_SECRET) -> None:
        self.app_secret = app_secret
        self.calls: Counter[str] = Counter()
        self.menus: list[dict[str, Any]] = []
        self.templates: list[dict[str, Any]] = []
        self.codes: dict[str, str] = {}  # OAuth code → openid
        self.refuse: dict[str, tuple[int, str]] = {}  # path → (errcode, errmsg)
        self.tokens = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._answer(fake.handle(self.path, None))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                self._answer(fake.handle(self.path, json.loads(self.rfile.read(length) or b"{}")))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, raw_path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        parsed = urllib.parse.urlparse(raw_path)
        path, q = parsed.path, dict(urllib.parse.parse_qsl(parsed.query))
        self.calls[path] += 1
        if path in self.refuse:
            code, msg = self.refuse[path]
            return {"errcode": code, "errmsg": msg}
        if path == "/cgi-bin/token":
            if q.get("secret") != self.app_secret:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            self.tokens += 1
            return {"access_token": f"token-{self.tokens}", "expires_in": 7200}
        if path == "/sns/oauth2/access_token":
            if q.get("secret") != self.app_secret or q.get("code") not in self.codes:
                return {"errcode": 40029, "errmsg": "invalid code"}
            return {"access_token": "web", "expires_in": 7200, "openid": self.codes.pop(q["code"])}
        if q.get("access_token") != f"token-{self.tokens}":
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if path == "/cgi-bin/menu/create":
            self.menus.append(body or {})
            return {"errcode": 0, "errmsg": "ok"}
        if path == "/cgi-bin/ticket/getticket":
            return {"errcode": 0, "ticket": f"ticket-{self.tokens}", "expires_in": 7200}
        if path == "/cgi-bin/message/template/send":
            self.templates.append(body or {})
            return {"errcode": 0, "errmsg": "ok", "msgid": len(self.templates)}
        return {"errcode": 404, "errmsg": "unknown"}
