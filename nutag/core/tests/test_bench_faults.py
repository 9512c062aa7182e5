"""bench/faults' saturation scenario, checked where it can go wrong without a server: the
residents it makes can submit with their tokens, the database count it trusts sees each
concern once per Idempotency-Key, and its accounting calls a confirmed submission that is
missing "lost" and one stored twice "doubled". (The figures are bench/RESULTS.md's.)"""

from __future__ import annotations

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from bench import faults_setup
from bench.faults import Load, Submissions
from nutag.factories import Cast
from nutag.orgs.models import Unit


def _printed(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_an_unconfirmed_submission_is_sent_again_with_the_same_key() -> None:
    residents = [("t0", "150725100201"), ("t1", "150725100202")]
    submissions = Submissions("http://127.0.0.1:9", residents, "r1", share=1)
    rng = random.Random(1)
    first = submissions(0, rng)
    assert first is not None and first.done is not None
    key = first.request.get_header("Idempotency-key")
    assert first.request.get_header("Authorization") == "Bearer t0"
    assert first.request.full_url == "http://127.0.0.1:9/api/v1/units/150725100201/concerns"
    assert key and f"[{key}]" in json.loads(first.request.data)["text"]  # type: ignore[arg-type]
    first.done(0)  # timed out: the server may or may not have it
    again = submissions(0, rng)
    assert again is not None and again.done is not None
    assert again.request.get_header("Idempotency-key") == key
    again.done(503)
    third = submissions(0, rng)
    assert third is not None and third.done is not None
    assert third.request.get_header("Idempotency-key") == key
    third.done(201)
    fresh = submissions(0, rng)
    assert fresh is not None and fresh.done is not None
    assert fresh.request.get_header("Idempotency-key") != key
    fresh.done(400)  # refused: not sent again
    other = submissions(1, rng)
    assert other is not None
    assert other.request.get_header("Authorization") == "Bearer t1"
    assert other.request.full_url.endswith("/units/150725100202/concerns")

    assert submissions.check({key: 1}) == {
        "sent": 5, "resent": 2, "confirmed": 1, "refused": 1, "lost": 0, "doubled": 0,
        "unconfirmed": 1, "unconfirmed stored": 0, "stored, never sent": 0,
    }  # fmt: skip
    assert submissions.check({})["lost"] == 1
    assert submissions.check({key: 2})["doubled"] == 1
    assert submissions.check({key: 1, "r1-9-9": 1})["stored, never sent"] == 1
    assert submissions.check({"r10-0-1": 1})["lost"] == 1  # another run's key is not ours


def test_the_load_sends_the_submissions_among_the_pages() -> None:
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            seen.append(("GET", self.path))
            self._answer(200)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append(("POST", self.headers.get("Idempotency-Key", "")))
            self._answer(201)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    submissions = Submissions(base, [("t", "150725100201")], "r2", share=0.5)
    load = Load(base, 2, lambda rng: "/page/", call=submissions)
    try:
        load.start()
        for _ in range(1000):  # at most 10 s
            if len(load.answers) >= 40:
                break
            threading.Event().wait(0.01)
        load.stop()
    finally:
        server.shutdown()
        server.server_close()
    assert len(load.answers) >= 40
    labels = {a.path for a in load.answers}
    assert labels == {"/page/", "POST concern"}
    posted = [key for method, key in seen if method == "POST"]
    assert len(posted) == len(set(posted)) == len(submissions.confirmed)
    assert all(a.status in (200, 201) for a in load.answers)


@pytest.mark.django_db
def test_the_scenarios_residents_submit_and_each_key_is_counted_once(
    cast: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    faults_setup.make_residents(banner=cast.banner.code, count=3, run="t1")
    residents = _printed(capsys)
    codes = [code for _, code in residents]
    assert len(residents) == 3
    assert len(set(codes)) > 1, "the residents are spread over the banner's villages"
    assert all(Unit.objects.get(code=c).kind in ("village", "community") for c in codes)
    (token_a, code), (token_b, code_b) = residents[:2]

    def submit(token: str, key: str, code: str = code) -> int:
        response = Client().post(
            f"/api/v1/units/{code}/concerns",
            data=json.dumps({"category": "roads", "text": f"路被雪堵了 [{key}]"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        return response.status_code

    assert Client().post(f"/api/v1/units/{code}/concerns", data={}).status_code in (401, 403, 404)
    assert submit(token_a, "t1r-0-1") == 201
    assert submit(token_a, "t1r-0-1") == 200  # sent again: the first concern
    assert submit(token_b, "t1r-1-1", code_b) == 201
    assert submit(token_b, "t1r-1-2", code) == 404  # not a resident there
    faults_setup.count_submissions(run="t1")
    assert _printed(capsys) == {"t1r-0-1": 1, "t1r-1-1": 1}
