"""bench/wechat: signed keyword messages per second against a bare view, same process and run.

In one fresh database: a unit with an official account in plain-text mode. Through the whole
middleware stack (Django's test client, no network), interleaved, after a warm-up:

  (a) the bare view ``/bench/bare/`` (``bench.bare_urls``: a short string, nothing more);
  (b) ``POST /wechat/<code>/``: a text message "学习", signed as the platform's servers sign
      it (wechatpy), each with its own ``MsgId`` — signature check, safe XML parse, replay
      check, keyword reply — and (c) the same in safe mode (AES decrypt and encrypt).

Reported as requests per second and the ratios b/a, c/a. The bar: b/a ≥ 0.25 (answering a
message costs at most four bare requests, far within the platform's five seconds).

    .venv/bin/python bench/wechat.py [--reps 2000] [--write]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench import _common as common  # noqa: E402

NAME = "bench/wechat"
BAR = 0.25
INTRO = (
    "Signed keyword messages to an official account's endpoint against a bare Django view, "
    "in the same process and run, through the whole middleware stack (Django's test client). "
    "Written by `bench/wechat.py`."
)


def run(reps: int) -> tuple[list[str], bool]:
    from django.test import Client, override_settings

    from nutag.core.actors import SYSTEM
    from nutag.orgs import services as org_services
    from nutag.orgs.models import UnitKind
    from nutag.wechat.services import account_configure
    from nutag.wechat.tests.signing import AES_KEY, APP_ID, TOKEN, send, text_xml

    banner = org_services.unit_create(
        acting_user=SYSTEM, parent=None, code="150796", kind=UnitKind.BANNER, name="基准旗"
    )
    safe = org_services.unit_create(
        acting_user=SYSTEM, parent=banner, code="150796100", kind=UnitKind.TOWNSHIP, name="基准镇"
    )
    for unit, safe_mode in ((banner, False), (safe, True)):
        account_configure(
            acting_user=SYSTEM,
            unit=unit,
            app_id=APP_ID,
            token=TOKEN,
            aes_key=AES_KEY,
            safe_mode=safe_mode,
            keywords={},
        )
    client = Client()
    ids = itertools.count(1)

    def bare() -> None:
        assert client.get("/bench/bare/").status_code == 200

    def message() -> None:
        r = send(client, banner.code, text_xml("学习", msg_id=next(ids)))
        assert r.status_code == 200 and b"online_study" in r.content

    def safe_message() -> None:
        r = send(client, safe.code, text_xml("学习", msg_id=next(ids)), aes_key=AES_KEY)
        assert r.status_code == 200 and b"<Encrypt>" in r.content

    with override_settings(ROOT_URLCONF="bench.bare_urls", ALLOWED_HOSTS=["testserver"]):
        samples = common.interleaved(
            {"bare": bare, "plain": message, "safe": safe_message}, reps=reps, warmup=50
        )
    rate = {key: 1000 / statistics.median(values) for key, values in samples.items()}
    plain_ratio, safe_ratio = rate["plain"] / rate["bare"], rate["safe"] / rate["bare"]
    passes = plain_ratio >= BAR
    lines = [
        f"{reps:,} requests of each kind, interleaved (medians).",
        "",
        "| | requests/s | ms each |",
        "|---|---|---|",
        f"| bare view | **{rate['bare']:,.0f}** | {statistics.median(samples['bare']):.2f} |",
        f"| signed keyword message, plain text | **{rate['plain']:,.0f}** | "
        f"{statistics.median(samples['plain']):.2f} |",
        f"| signed keyword message, safe mode (AES) | **{rate['safe']:,.0f}** | "
        f"{statistics.median(samples['safe']):.2f} |",
        "",
        f"- **ratio plain/bare = {plain_ratio:.2f}** (bar ≥ {BAR}: "
        f"{'met' if passes else 'MISSED'}); safe/bare = {safe_ratio:.2f}",
        "- each message's time includes signing it (and, in safe mode, encrypting it) in the "
        "client, as the platform does before sending: the endpoint's own share is smaller",
        "- the message path reads no database once the account is cached (one query cold; "
        "`nutag/wechat/tests/test_endpoint.py` counts them)",
    ]
    for line in lines:
        print(line.replace("**", ""))
    return lines, passes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    with common.fresh_database("sqlite") as vendor:
        common.migrate()
        lines, passes = run(args.reps)
        if args.write:
            body = common.run_block(
                title=common.vendor_title(vendor),
                command=f"bench/wechat.py --reps {args.reps}",
                lines=lines,
                plans_title="",
                plans=[],
            )
            body = body[: body.index("```")]
            while body and not body[-1]:
                body.pop()
            common.write_block(NAME, vendor, body, intro=INTRO)
    sys.exit(0 if passes else 1)


if __name__ == "__main__":
    main()
