"""bench/pageload: does a village home page load within 1.5 s on slow mobile data?

Serves the demo the way ``bench/pages.py`` does (production settings, granian with 2
workers, on 127.0.0.1 and a free port), then loads an anonymous village's home page,
``/u/<village code>/``, in Debian's Chromium (headless, through Playwright) on a 360 x 740
phone with emulated slow mobile data, set through the Chrome DevTools Protocol:

- ``Network.emulateNetworkConditions``: 400 ms latency, 50 KB/s (50,000 bytes/s) down and up;
- ``Network.setCacheDisabled``, and a fresh browser context for every load (no cookies, no
  cache, no service worker yet): each load is a first visit. The offline service worker
  registers after the load event; its script shows among the requests after it.

For each load it records the load event time (``loadEventStart`` of the navigation timing
entry, from the start of navigation; the bar: within 1.5 s), the requests made before the
load event (and any made in the 1.5 s after it), the bytes transferred (the sum of
``Network.loadingFinished.encodedDataLength``, headers included) and the render-blocking
resources (``renderBlockingStatus`` of the resource timing entries, and the external style
sheets and classic scripts in the document). The median of the loads is reported beside
the figures the issue gives for Wagtail's bakery demo home: 11 requests, 237 KB, 3
render-blocking style sheets.

Usage (from the project root; needs ``/usr/bin/chromium`` and the playwright package):

    .venv/bin/python bench/pageload.py               # 5 loads, writes bench/RESULTS.md
    .venv/bin/python bench/pageload.py --loads 3 --no-write
    .venv/bin/python bench/pageload.py --screenshot /tmp/village.png

Exit status: 0 when the median load event is within the bar, 1 when not, 2 when the run
failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench._common import machine_description, today, write_section  # noqa: E402
from bench.pages import (  # noqa: E402
    DEMO_VILLAGE,
    PHONE_HEADERS,
    BenchError,
    check_page,
    data_note,
    fetch,
    prepare_demo,
    run_server,
)
from nutag.browser_fixtures import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LATENCY_MS = 400
THROUGHPUT = 50_000  # bytes per second, down and up
BAR_SECONDS = 1.5
AFTER_LOAD_MS = 1500
# Wagtail's bakery demo home, as the issue reports it.
CMS_DEMO = {"requests": 11, "kilobytes": 237, "blocking_stylesheets": 3}


PHOTO_ARTICLE_TITLE = "草原上的一天：转场、接羔与五老志愿服务"
PHOTO_BAR_BYTES = 200_000  # an article with a cover and 4 photos, before scrolling (issue 17)


def _camera_photo(seed: int) -> bytes:
    """A 1600 x 1200 JPEG that compresses like a phone camera's photo (grain, sky, grass)."""
    import io

    from PIL import Image, ImageDraw

    sky = (90 + seed * 7 % 40, 140 + seed * 5 % 30, 200 + seed * 3 % 40)
    image = Image.new("RGB", (1600, 1200), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 700 + seed * 20, 1600, 1200), fill=(90 + seed * 9 % 30, 150, 70))
    for x in range(60 + seed * 11, 1600, 130):
        draw.ellipse((x, 850 + (x % 3) * 60, x + 90, 910 + (x % 3) * 60), fill=(245, 245, 240))
    grain = Image.effect_noise((400, 300), 60).resize((1600, 1200)).convert("RGB")
    image = Image.blend(image, grain, 0.3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def add_photo_article(code: str) -> None:
    """Publish, at unit ``code``, an article with a cover and 4 photos in its text (camera
    JPEGs, through the services, so resized as any upload); print its id. Run inside Django."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import Unit
    from nutag.sites import services

    unit = Unit.objects.get(code=code)
    paragraph = "<p>" + "清晨，牧民赶着羊群出发，五老志愿者在路边的服务点递上热茶。" * 4 + "</p>"
    article = services.article_create(
        acting_user=SYSTEM,
        unit=unit,
        data=services.ArticleInput(
            title=PHOTO_ARTICLE_TITLE,
            column_key="news",
            summary="转场、接羔和志愿服务的一天，配有五张照片。",
            body=paragraph * 4,
        ),
        files=services.ArticleFiles(
            cover=SimpleUploadedFile("IMG_0700.jpg", _camera_photo(0), "image/jpeg"),
            photos=[
                SimpleUploadedFile(f"IMG_070{i}.jpg", _camera_photo(i), "image/jpeg")
                for i in range(1, 5)
            ],
        ),
    )
    services.article_publish(acting_user=SYSTEM, article=article)
    print(f"PHOTO_ARTICLE={article.pk}")


@dataclasses.dataclass
class Load:
    load_ms: float
    dom_content_loaded_ms: float
    first_contentful_paint_ms: float | None
    requests: list[dict[str, Any]]  # made before the load event
    later_requests: list[dict[str, Any]]  # made in the AFTER_LOAD_MS after it
    blocking_resources: list[str]
    blocking_stylesheets: list[str]
    blocking_scripts: list[str]
    document_bytes: int
    document_encoding: str
    service_worker: str | None  # its script URL, once registered after the load event
    complete_ms: float  # the last byte of the page's last request (lazy pictures included)

    @property
    def transferred(self) -> int:
        return sum(r.get("bytes", 0) for r in self.requests)


def load_once(browser: Any, url: str, *, screenshot: Path | None = None, dpr: float = 1.0) -> Load:
    """One first visit of ``url`` on emulated slow mobile data, in a fresh context, on a
    screen of ``dpr`` device pixels per CSS pixel."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=dpr,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        requests: dict[str, dict[str, Any]] = {}
        order: list[str] = []

        def sent(event: dict[str, Any]) -> None:
            rid = event["requestId"]
            if rid not in requests:
                order.append(rid)
            requests.setdefault(rid, {})
            requests[rid].update(url=event["request"]["url"], type=event.get("type", ""), bytes=0)

        def received(event: dict[str, Any]) -> None:
            response = event["response"]
            headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
            requests.setdefault(event["requestId"], {}).update(
                status=response.get("status"),
                mime=response.get("mimeType", ""),
                encoding=headers.get("content-encoding", ""),
            )

        def finished(event: dict[str, Any]) -> None:
            requests.setdefault(event["requestId"], {})["bytes"] = int(
                event.get("encodedDataLength", 0)
            )

        def failed(event: dict[str, Any]) -> None:
            requests.setdefault(event["requestId"], {})["failed"] = event.get("errorText", "")

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": THROUGHPUT,
                "uploadThroughput": THROUGHPUT,
                "connectionType": "cellular3g",
            },
        )
        response = page.goto(url, wait_until="load", timeout=60_000)
        if response is None or response.status != 200:
            raise BenchError(f"{url} answered {response.status if response else 'nothing'}")
        page.wait_for_timeout(50)  # let the CDP events of the load reach us
        before_load = list(order)
        timing = page.evaluate(
            """() => {
                const nav = performance.getEntriesByType('navigation')[0];
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                const blocking = performance.getEntriesByType('resource')
                    .filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name);
                const sheets = [...document.querySelectorAll('link[rel~=stylesheet]')]
                    .filter(l => !l.disabled && (!l.media || matchMedia(l.media).matches))
                    .map(l => l.href);
                const scripts = [...document.querySelectorAll('head script[src]')]
                    .filter(s => !s.async && !s.defer && s.type !== 'module')
                    .map(s => s.src);
                return {
                    load: nav.loadEventStart, dcl: nav.domContentLoadedEventStart,
                    fcp: fcp ? fcp.startTime : null, blocking, sheets, scripts,
                };
            }"""
        )
        page.wait_for_timeout(AFTER_LOAD_MS)
        complete_ms = page.evaluate(
            """() => Math.max(performance.getEntriesByType('navigation')[0].responseEnd,
                ...performance.getEntriesByType('resource').map(e => e.responseEnd))"""
        )
        if screenshot is not None:
            page.screenshot(path=str(screenshot))
        service_worker = page.evaluate(
            """() => navigator.serviceWorker ? navigator.serviceWorker.getRegistration()
                .then(r => r ? ((r.active || r.waiting || r.installing || {}).scriptURL || '?')
                             : null) : null"""
        )
        later = [requests[rid] for rid in order if rid not in before_load]
        document = requests[before_load[0]] if before_load else {}
        return Load(
            load_ms=float(timing["load"]),
            dom_content_loaded_ms=float(timing["dcl"]),
            first_contentful_paint_ms=timing["fcp"],
            requests=[requests[rid] for rid in before_load],
            later_requests=later,
            blocking_resources=timing["blocking"],
            blocking_stylesheets=timing["sheets"],
            blocking_scripts=timing["scripts"],
            document_bytes=int(document.get("bytes", 0)),
            document_encoding=document.get("encoding", "") or "identity",
            service_worker=service_worker,
            complete_ms=float(complete_ms),
        )
    finally:
        context.close()


def _unscrolled(load: Load) -> int:
    """Bytes of a visit that never scrolls: before the load event and in the 1.5 s after."""
    return load.transferred + sum(r.get("bytes", 0) for r in load.later_requests)


def _case_lines(lines: list[str], loads: list[Load], *, dpr: float, photos: bool) -> list[str]:
    """The report of a pixel-ratio or photo-article run: the common report, its heading
    renamed, and the pictures fetched with their sizes."""
    typical = sorted(loads, key=_unscrolled)[len(loads) // 2]
    pictures = [r for r in [*typical.requests, *typical.later_requests] if r.get("type") == "Image"]
    what = "an article with a cover and 4 photos" if photos else "the page"
    extra = [
        "",
        f"**Pixel ratio {dpr:g}, {what}**: {_unscrolled(typical):,} bytes transferred "
        f"without scrolling (median of the loads {statistics.median(map(_unscrolled, loads)):,.0f}"
        + (f"; bar <= {PHOTO_BAR_BYTES:,})" if photos else ")")
        + f"; the last byte of every request at {typical.complete_ms:.0f} ms.",
        "",
        "| picture fetched without scrolling | bytes |",
        "|---|---|",
        *[f"| `{r.get('url', '').rpartition('/')[2]}` | {r.get('bytes', 0):,} |" for r in pictures],
    ]
    heading = [
        line.replace(
            "## bench/pageload",
            f"## bench/pageload (pixel ratio {dpr:g}" + (", photo article)" if photos else ")"),
            1,
        )
        for line in lines[:1]
    ]
    return heading + lines[1:] + extra


def chromium_version(browser: Any) -> str:
    return f"Chromium {browser.version}"


def report_lines(
    *,
    url_path: str,
    loads: list[Load],
    html_bytes: int,
    worker_bytes: int,
    browser_version: str,
    command: str,
    picture: bool = True,
) -> list[str]:
    median_load = statistics.median(load.load_ms for load in loads)
    worst_load = max(load.load_ms for load in loads)
    typical = sorted(loads, key=lambda load: load.load_ms)[len(loads) // 2]
    fcp = [load.first_contentful_paint_ms for load in loads if load.first_contentful_paint_ms]
    verdict = "meets" if median_load <= BAR_SECONDS * 1000 else "FAILS"
    kb = typical.transferred / 1000
    requests = len(typical.requests)
    sheets = len(typical.blocking_stylesheets)
    listing = [
        f"  - {r.get('type', '') or '?'} {r.get('url', '?').split('://', 1)[-1].split('/', 1)[-1]}"
        f": {r.get('bytes', 0):,} bytes" + (f" ({r['encoding']})" if r.get("encoding") else "")
        for r in typical.requests
    ]
    later = typical.later_requests
    lines = [
        "## bench/pageload",
        "",
        "A first visit of an anonymous village home page in Chromium on a 360 x 740 phone with "
        f"emulated slow mobile data ({LATENCY_MS} ms latency, 50 KB/s down and up, cache "
        f"disabled, a fresh context each load); the bar is the load event within "
        f"{BAR_SECONDS:g} s. Written by `bench/pageload.py`.",
        "",
        f"Run {today()} with `{command}`.",
        f"Machine: {machine_description()}.",
        f"Browser: {browser_version} (headless, Playwright), throttled through CDP "
        "`Network.emulateNetworkConditions`; server as in bench/pages (granian, 2 workers, "
        "`config.settings.prod`, the demo on SQLite) on 127.0.0.1.",
        f"Data: {data_note(picture)}.",
        "",
        f"| `{url_path}` on {LATENCY_MS} ms / 50 KB/s | Nutag village home | "
        "the CMS demo home (Wagtail's bakery demo, from the issue) |",
        "|---|---|---|",
        f"| requests until the load event | **{requests}** | {CMS_DEMO['requests']} |",
        f"| bytes transferred (headers included) | **{kb:.1f} KB** | {CMS_DEMO['kilobytes']} KB |",
        f"| render-blocking style sheets | **{sheets}** | {CMS_DEMO['blocking_stylesheets']} |",
        f"| load event | **{median_load / 1000:.2f} s** (median of {len(loads)}; slowest "
        f"{worst_load / 1000:.2f} s) | – |",
        "",
        f"- **load event {median_load / 1000:.2f} s** — {verdict} the bar "
        f"(<= {BAR_SECONDS:g} s); DOMContentLoaded {typical.dom_content_loaded_ms / 1000:.2f} s"
        + (f", first contentful paint {statistics.median(fcp) / 1000:.2f} s" if fcp else "")
        + f"; the last byte of the last request (lazy pictures too) at "
        f"{typical.complete_ms / 1000:.2f} s",
        f"- the HTML document: {html_bytes:,} bytes, {typical.document_bytes:,} bytes on the "
        f"wire with headers ({typical.document_encoding})",
        f"- render-blocking resources (resource timing): {len(typical.blocking_resources)}; "
        f"external style sheets in the page: {sheets}; blocking scripts in its head: "
        f"{len(typical.blocking_scripts)}",
        "- requests of the median load, before the load event:",
        *listing,
    ]
    if typical.service_worker:
        worker = typical.service_worker.split("://", 1)[-1].split("/", 1)[-1]
        lines.append(
            f"- the offline service worker (`/{worker}`, {worker_bytes:,} bytes on the wire) "
            "registered after the load event; its own fetches are not in the page's requests"
        )
    if later:
        lines.append(
            f"- after the load event ({AFTER_LOAD_MS / 1000:g} s watched): {len(later)} more "
            f"requests, {sum(r.get('bytes', 0) for r in later):,} bytes (lazy or deferred)"
        )
    else:
        lines.append(f"- no request after the load event ({AFTER_LOAD_MS / 1000:g} s watched)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--village", default=DEMO_VILLAGE, help="code of the village to load")
    parser.add_argument("--path", help="load this page instead of the village home")
    parser.add_argument("--loads", type=int, default=5, help="first visits (median kept)")
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the first load")
    parser.add_argument(
        "--no-picture", action="store_true", help="do not add the photo article to the village"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--dpr", type=float, default=1.0, help="device pixel ratio of the phone (e.g. 2)"
    )
    parser.add_argument(
        "--photo-article",
        action="store_true",
        help="load an article with a cover and 4 photos (bar: <= 200 KB before scrolling)",
    )
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"bench/pageload needs Chromium at {CHROMIUM}: apt-get install chromium")
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print('bench/pageload needs playwright: pip install -e ".[dev]"')
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    folder = Path(tempfile.mkdtemp(prefix="nutag-bench-pageload-"))
    url_path = args.path or f"/u/{args.village}/"
    print(f"bench/pageload: {args.loads} first visits of {url_path}; demo in {folder}")
    try:
        site = prepare_demo(folder, picture_at=None if args.no_picture else args.village)
        if args.photo_article:
            code = (
                f"from bench.pageload import add_photo_article; add_photo_article({args.village!r})"
            )
            out = site.manage("shell", "-c", code, settings="config.settings.dev")
            pk = out.rpartition("PHOTO_ARTICLE=")[2].split()[0]
            url_path = f"/u/{args.village}/a/{pk}/"
            print(f"  photo article: {url_path}")
        with run_server(site, bare=False) as server, sync_playwright() as playwright:
            page_check = check_page(server, url_path)
            status, _, body = fetch(server.base_url + "/sw.js", headers=PHONE_HEADERS)
            worker_bytes = len(body) if status == 200 else 0
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                loads = []
                for i in range(args.loads):
                    load = load_once(
                        browser,
                        server.base_url + url_path,
                        screenshot=args.screenshot if i == 0 else None,
                        dpr=args.dpr,
                    )
                    loads.append(load)
                    print(
                        f"  load {i + 1}: {load.load_ms:.0f} ms, {len(load.requests)} requests, "
                        f"{load.transferred:,} bytes"
                    )
                version = chromium_version(browser)
            finally:
                browser.close()
        command = "bench/pageload.py" + (f" --loads {args.loads}" if args.loads != 5 else "")
        suffix = ""
        if args.dpr != 1.0:
            command += f" --dpr {args.dpr:g}"
            suffix += f"-dpr{args.dpr:g}"
        if args.photo_article:
            command += " --photo-article"
            suffix += "-photos"
        lines = report_lines(
            url_path=url_path,
            loads=loads,
            html_bytes=page_check.bytes_plain,
            worker_bytes=worker_bytes,
            browser_version=version,
            command=command,
            picture=not args.no_picture,
        )
        if args.dpr != 1.0 or args.photo_article:
            lines = _case_lines(lines, loads, dpr=args.dpr, photos=args.photo_article)
        print("\n".join(line.replace("**", "") for line in lines[4:]))
        if not args.no_write:
            write_section("bench/pageload" + suffix, lines)
        median_load = statistics.median(load.load_ms for load in loads)
        if args.photo_article:
            unscrolled = statistics.median(_unscrolled(load) for load in loads)
            return 0 if unscrolled <= PHOTO_BAR_BYTES else 1
        return 0 if median_load <= BAR_SECONDS * 1000 else 1
    except BenchError as exc:
        print(f"bench/pageload FAILED: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
