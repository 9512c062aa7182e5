"""bench/pages: does an anonymous village home page reach half the speed of a bare view?

Serves the demo banner with the production server and production settings, and asks wrk
for, in the same run and from the same server processes:

  (v) an anonymous village's home page, ``/u/<village code>/``, as a phone asks for it
      (``Accept-Encoding: gzip, deflate, br``), and once more without compression;
  (b) a bare Django view returning a short string (``bench/bare_urls.py``), through the same
      middleware;

and reports requests per second and the ratio v/b (the bar: >= 0.5). For reference, the
issue reports Wagtail's bakery demo serving its home page at about 1% of a bare view.

How the server is set up (all in a temporary folder, removed afterwards):

- ``manage.py migrate`` and ``manage.py load_demo`` into a fresh SQLite file, with the
  development settings (the demo loader refuses production settings, on purpose), plus one
  published article at the village whose cover is a 1600 x 1200 camera photo (through the
  services, so resized as any upload), so that the home shows a picture as a real village's
  does (``--no-picture`` leaves the demo as it is);
- ``collectstatic`` and the server with ``bench.settings_bench``: ``config.settings.prod``
  unchanged (DEBUG off, a throwaway ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``,
  ``SECURE_SSL_REDIRECT=0`` since there is no TLS on 127.0.0.1), plus the bare view;
- granian (``--interface wsgi``, 2 workers; it also serves the uploads at /media/, which
  nginx does in a deployment) or gunicorn (2 sync workers; no pictures) on 127.0.0.1 and a
  free port, stopped by its PID at the end, also on errors and Ctrl-C.

Usage (from the project root; needs ``wrk``: ``apt-get install wrk``):

    .venv/bin/python bench/pages.py                  # granian, writes bench/RESULTS.md
    .venv/bin/python bench/pages.py --server gunicorn --no-write
    .venv/bin/python bench/pages.py --duration 5 --rounds 3

Exit status: 0 when the ratio meets the bar, 1 when it misses, 2 when the run failed
(a page did not answer 200, wrk saw errors or non-2xx answers).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))

from bench._common import machine_description, today, write_section  # noqa: E402

VENV_BIN = Path(sys.executable).parent
# The village of the demo login ``demo-village`` (nutag.demo.plan.LOGIN_UNITS).
DEMO_VILLAGE = "150725100201"
BARE_PATH = "/bench/bare/"
BAR = 0.5
MARKET_PATH = "/u/150725/market/"  # the banner's market: every product under it
BUDGET = 14 * 1024  # the first response's budget on the wire (DESIGN.md)


def shop_path(village: str) -> str:
    """The village's shop: its site's products column (``nutag.market``)."""
    return f"/u/{village}/c/products/"


# What Chromium on a phone sends: the village page is compressed on the wire.
PHONE_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept-Language": "zh-CN,zh;q=0.9"}


class BenchError(RuntimeError):
    """The run itself failed (not the bar): a page did not answer, wrk saw errors."""


# --- The demo site and its server --------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclasses.dataclass
class DemoSite:
    """A demo database, media and static folder in ``folder``, and the environment that
    serves them with the production settings."""

    folder: Path

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "NUTAG_BENCH_", "GRANIAN_"))
        }
        env.update(
            {
                "PYTHONPATH": str(ROOT_DIR),
                "DATABASE_URL": f"sqlite:///{self.folder / 'demo.sqlite3'}",
                "MEDIA_ROOT": str(self.folder / "media"),
                "NUTAG_BENCH_STATIC_ROOT": str(self.folder / "static"),
                # the state that goes with this database, beside it (by default in the
                # project folder, shared by every demo: a copy of the demo then met pages,
                # recipes and read counts left by another copy at the same generations)
                "NUTAG_GENERATIONS_FILE": str(self.folder / ".nutag-generations"),
                "NUTAG_READS_BUFFER": str(self.folder / "reads.buffer"),
                "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0",
                # plain HTTP on 127.0.0.1: declared, or the production check refuses to start
                "NUTAG_TLS_PROXY": "1",
                "LOG_LEVEL": "ERROR",
            }
        )
        env.pop("REDIS_URL", None)  # the embedded default: local-memory cache
        return env

    def manage(self, *args: str, settings: str = "bench.settings_bench") -> str:
        env = {**self.env, "DJANGO_SETTINGS_MODULE": settings, "DEBUG": "0"}
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT_DIR / "manage.py"), *args],
            cwd=ROOT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BenchError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout


PICTURE_TITLE = "夏季转场：牧民赶着羊群走向夏营地"


def add_picture_article(code: str) -> None:
    """Publish, at unit ``code``, an article whose cover is a phone camera's photo
    (1600 x 1200 JPEG), through the services, so the unit's home shows a picture as a real
    village's would. Run inside Django (``manage.py shell``); does nothing the second time."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import Unit
    from nutag.sites import services
    from nutag.sites.models import Article

    unit = Unit.objects.get(code=code)
    if Article.objects.filter(unit=unit, title=PICTURE_TITLE).exists():
        return
    image = Image.new("RGB", (1600, 1200), (96, 150, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 760, 1600, 1200), fill=(92, 150, 70))
    for x in range(80, 1600, 140):  # sheep
        draw.ellipse((x, 860 + (x % 3) * 60, x + 90, 920 + (x % 3) * 60), fill=(245, 245, 240))
    # Grain, so that it compresses like a photograph rather than like a drawing.
    grain = Image.effect_noise((400, 300), 60).resize((1600, 1200)).convert("RGB")
    image = Image.blend(image, grain, 0.3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    article = services.article_create(
        acting_user=SYSTEM,
        unit=unit,
        data=services.ArticleInput(
            title=PICTURE_TITLE,
            column_key="news",
            summary="六月初，嘎查牧户陆续转场，村两委和五老志愿者沿途服务。",
            body="<p>六月初，嘎查牧户陆续转场。</p><p>村两委和五老志愿者在沿途设服务点。</p>",
        ),
        files=services.ArticleFiles(
            cover=SimpleUploadedFile("IMG_0601.jpg", out.getvalue(), "image/jpeg")
        ),
    )
    services.article_publish(acting_user=SYSTEM, article=article)


def prepare_demo(
    folder: Path,
    log: Callable[[str], None] = print,
    *,
    picture_at: str | None = DEMO_VILLAGE,
) -> DemoSite:
    """Migrate, load the demo (and a photo article at ``picture_at``), collect static files."""
    site = DemoSite(folder)
    started = time.perf_counter()
    site.manage("migrate", "--no-input", settings="config.settings.dev")
    site.manage("load_demo", settings="config.settings.dev")
    if picture_at:
        code = f"from bench.pages import add_picture_article; add_picture_article({picture_at!r})"
        site.manage("shell", "-c", code, settings="config.settings.dev")
    site.manage("collectstatic", "--no-input")
    log(f"  demo loaded and static files collected in {time.perf_counter() - started:.1f} s")
    return site


@dataclasses.dataclass
class Server:
    kind: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    version: str

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def server_version(kind: str) -> str:
    try:
        out = subprocess.run(  # noqa: S603
            [str(VENV_BIN / kind), "--version"], capture_output=True, text=True, check=False
        )
    except OSError:
        return kind
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else kind


def server_command(kind: str, port: int, workers: int, media: Path | None = None) -> list[str]:
    """The server's command line. Granian also serves the uploads folder at /media/ (nginx's
    job in a deployment); gunicorn does not, so pictures are missing there."""
    if kind == "granian":
        statics = (
            ["--static-path-route", "/media", "--static-path-mount", str(media)] if media else []
        )
        return [
            str(VENV_BIN / "granian"),
            *statics,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ]
    return [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]


def stop_process(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Stop a server we started: SIGTERM to its PID (the server stops its own workers), then,
    if it lingers, SIGKILL to the process group it leads (started with a session of its own,
    so the group is exactly that server and its workers)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
    # Workers that outlived their parent are still in its process group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def fetch(
    url: str, headers: dict[str, str] | None = None, timeout: float = 10.0
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


@contextlib.contextmanager
def run_server(
    site: DemoSite, *, kind: str = "granian", workers: int = 2, bare: bool = True
) -> Iterator[Server]:
    """Start the production server on a free port of 127.0.0.1; stop it by its PID after."""
    if not (VENV_BIN / kind).exists():
        hint = "granian" if kind == "granian" else "gunicorn"
        raise BenchError(f"{VENV_BIN / kind} is missing: pip install -e '.[scale]' ({hint})")
    port = free_port()
    media = site.folder / "media"
    env = site.env
    if bare:
        env["NUTAG_BENCH_BARE"] = "1"
    log_path = site.folder / f"{kind}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            server_command(kind, port, workers, media=media if media.is_dir() else None),
            cwd=ROOT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(kind, port, process, log_path, server_version(kind))
    try:
        probe = f"{server.base_url}{BARE_PATH if bare else '/'}"
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise BenchError(f"{kind} exited ({process.returncode}):\n{log_path.read_text()}")
            with contextlib.suppress(OSError):
                status, _, _ = fetch(probe, timeout=2)
                if status < 500:
                    break
            if time.monotonic() > deadline:
                raise BenchError(f"{kind} did not answer within 60 s:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        stop_process(process)


# --- wrk -------------------------------------------------------------------------------------


@dataclasses.dataclass
class WrkResult:
    label: str
    path: str
    requests_per_second: float
    requests: int
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    errors: str
    non_2xx: int
    output: str


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output: str, *, label: str, path: str) -> WrkResult:
    rps = re.search(r"Requests/sec:\s*([\d.]+)", output)
    if not rps:
        raise BenchError(f"could not read Requests/sec from wrk:\n{output}")
    total = re.search(r"(\d+) requests in", output)
    latency: dict[str, float] = {}
    for pct, value, unit in re.findall(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M):
        latency[pct] = _ms(value, unit)
    errors = re.search(r"Socket errors:.*", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    return WrkResult(
        label=label,
        path=path,
        requests_per_second=float(rps.group(1)),
        requests=int(total.group(1)) if total else 0,
        latency_p50_ms=latency.get("50"),
        latency_p99_ms=latency.get("99"),
        errors=errors.group(0) if errors else "",
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        output=output,
    )


def run_wrk(
    url: str,
    *,
    duration: int,
    threads: int = 2,
    connections: int = 32,
    headers: dict[str, str] | None = None,
) -> str:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    done = subprocess.run(  # noqa: S603
        [*command, url],
        capture_output=True,
        text=True,
        check=False,
        timeout=duration + 60,
    )
    if done.returncode:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def wrk_version() -> str:
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"


# --- The run ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Target:
    key: str
    label: str
    path: str
    headers: dict[str, str]


@dataclasses.dataclass
class PageCheck:
    path: str
    status: int
    content_type: str
    bytes_plain: int
    bytes_on_wire: int
    encoding: str
    cache_control: str


def check_page(server: Server, path: str) -> PageCheck:
    """GET the page once, plainly and compressed; refuse to measure an error page."""
    status, headers, body = fetch(server.base_url + path)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}:\n{body[:600]!r}")
    z_status, z_headers, z_body = fetch(server.base_url + path, headers=PHONE_HEADERS)
    encoding = {k.lower(): v for k, v in z_headers.items()}.get("content-encoding", "")
    if encoding == "gzip":
        gzip.decompress(z_body)  # a whole gzip stream, or this raises
    lower = {k.lower(): v for k, v in headers.items()}
    return PageCheck(
        path=path,
        status=status,
        content_type=lower.get("content-type", ""),
        bytes_plain=len(body),
        bytes_on_wire=len(z_body) if z_status == 200 else len(body),
        encoding=encoding or "identity",
        cache_control=lower.get("cache-control", ""),
    )


def measure(
    server: Server,
    *,
    village: str,
    duration: int,
    warmup: int,
    rounds: int,
    log: Callable[[str], None] = print,
) -> tuple[dict[str, list[WrkResult]], dict[str, PageCheck]]:
    village_path = f"/u/{village}/"
    targets = [
        Target(
            "village", f"village home `{village_path}`, compressed", village_path, PHONE_HEADERS
        ),
        Target("bare", f"bare view `{BARE_PATH}`", BARE_PATH, PHONE_HEADERS),
        Target("village_plain", f"village home `{village_path}`, uncompressed", village_path, {}),
        # the local products shop (issue 19): the banner's market and the village's shop
        Target("market", f"banner market `{MARKET_PATH}`, compressed", MARKET_PATH, PHONE_HEADERS),
        Target(
            "shop",
            f"village shop `{shop_path(village)}`, compressed",
            shop_path(village),
            PHONE_HEADERS,
        ),
    ]
    checks = {
        path: check_page(server, path)
        for path in (village_path, BARE_PATH, MARKET_PATH, shop_path(village))
    }
    log(f"  1-min load average before the first request: {load_average():.1f}")
    for target in targets:  # warm both workers' caches, connections, imports
        run_wrk(server.base_url + target.path, duration=warmup, headers=target.headers)
    results: dict[str, list[WrkResult]] = {t.key: [] for t in targets}
    for i in range(rounds):
        for target in targets:
            output = run_wrk(
                server.base_url + target.path, duration=duration, headers=target.headers
            )
            result = parse_wrk(output, label=target.label, path=target.path)
            if result.non_2xx or result.errors:
                raise BenchError(
                    f"wrk on {target.path}: {result.non_2xx} non-2xx answers, "
                    f"{result.errors or 'no socket errors'}\n{output}"
                )
            results[target.key].append(result)
            log(f"  round {i + 1}: {target.label}: {result.requests_per_second:,.0f} req/s")
    return results, checks


def data_note(picture: bool) -> str:
    """What the village's home shows in the benchmark."""
    note = (
        "the demo (`manage.py load_demo`): the village's own and pushed-down notices and articles"
    )
    if picture:
        note += (
            ", plus one photo article added by the bench (a 1600 x 1200 camera JPEG as its "
            "cover, resized on upload), so the home shows its picture"
        )
    return note


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def median_rps(results: list[WrkResult]) -> float:
    return statistics.median(r.requests_per_second for r in results)


def round_ratios(results: dict[str, list[WrkResult]], key: str) -> list[float]:
    """``key``/bare for each round: both measured back to back, so a busy moment on the
    machine weighs on both alike."""
    return [
        v.requests_per_second / b.requests_per_second
        for v, b in zip(results[key], results["bare"], strict=True)
    ]


def headline_ratio(results: dict[str, list[WrkResult]], key: str = "village") -> float:
    """The median of the per-round ratios."""
    return statistics.median(round_ratios(results, key))


def report_lines(
    *,
    server: Server,
    village: str,
    results: dict[str, list[WrkResult]],
    checks: dict[str, PageCheck],
    duration: int,
    warmup: int,
    rounds: int,
    command: str,
    load_before: float,
    picture: bool = True,
) -> list[str]:
    import django

    village_path = f"/u/{village}/"
    ratio = headline_ratio(results)
    plain_ratio = headline_ratio(results, "village_plain")
    per_round = ", ".join(f"{r:.2f}" for r in round_ratios(results, "village"))
    verdict = "meets" if ratio >= BAR else "FAILS"
    page = checks[village_path]
    rows = []
    for key in ("village", "village_plain", "bare", "market", "shop"):
        runs = results[key]
        # latencies of the median round
        best = sorted(runs, key=lambda r: r.requests_per_second)[len(runs) // 2]
        p50 = f"{best.latency_p50_ms:.1f} ms" if best.latency_p50_ms is not None else "–"
        p99 = f"{best.latency_p99_ms:.1f} ms" if best.latency_p99_ms is not None else "–"
        rows.append(
            f"| {runs[0].label} | **{median_rps(runs):,.0f}** | {p50} | {p99} | "
            f"{sum(r.requests for r in runs):,} |"
        )
    repeat = f"median of {rounds} rounds" if rounds > 1 else "one round"
    return [
        "## bench/pages",
        "",
        "An anonymous village home page versus a bare Django view returning a short string, "
        "served by the same production server processes in the same run; the bar is "
        f"village/bare >= {BAR:g}. Written by `bench/pages.py`.",
        "",
        f"Run {today()} with `{command}`.",
        f"Machine: {machine_description()}.",
        (
            f"Server: {server.version} (`--interface wsgi`, 2 workers)"
            if server.kind == "granian"
            else f"Server: {server.version} (2 sync workers)"
        )
        + " on 127.0.0.1, serving the demo banner with `config.settings.prod` (DEBUG off; "
        f"SQLite; local-memory cache; Django {django.get_version()}).",
        f"Data: {data_note(picture)}.",
        f"Load: {wrk_version()} on the same machine, `wrk -t2 -c32 -d{duration}s --latency`, "
        f"each URL warmed for {warmup} s first; {repeat}, in the order compressed village, "
        "bare, uncompressed village. Compressed requests send "
        f"`Accept-Encoding: {PHONE_HEADERS['Accept-Encoding']}` as a phone's browser does "
        "(the bare view's 13-byte answer is too short to be compressed). "
        f"1-min load average at the start of the run: {load_before:.1f}.",
        "",
        "| URL | requests/s | latency p50 | latency p99 | requests served |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"- the village page: {page.bytes_plain:,} bytes of HTML, {page.bytes_on_wire:,} bytes on "
        f"the wire ({page.encoding}); `Cache-Control: {page.cache_control or '(none)'}`",
        f"- **ratio village/bare = {ratio:.2f}** (compressed, as phones ask) — {verdict} the bar "
        f"(>= {BAR:g}); uncompressed {plain_ratio:.2f}"
        + (f"; the median of the rounds' ratios ({per_round})" if rounds > 1 else ""),
        "- for reference, the issue reports Wagtail's bakery demo serving its home page at "
        "about 0.01 of a bare view on this kind of machine",
        *shop_lines(results, checks, village),
    ]


def shop_lines(
    results: dict[str, list[WrkResult]], checks: dict[str, PageCheck], village: str
) -> list[str]:
    """The local products shop's pages (issue 19): their ratio to the bare view and their
    first response against the 14 KB budget."""
    lines = []
    for key, path in (("market", MARKET_PATH), ("shop", shop_path(village))):
        page = checks[path]
        within = "within" if page.bytes_on_wire <= BUDGET else "OVER"
        lines.append(
            f"- the {key} page `{path}`: ratio {key}/bare = "
            f"{headline_ratio(results, key):.2f} (bar >= {BAR:g}); {page.bytes_plain:,} bytes "
            f"of HTML, {page.bytes_on_wire:,} on the wire ({page.encoding}), {within} the 14 KB "
            "budget"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument("--village", default=DEMO_VILLAGE, help="code of the village to load")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per URL")
    parser.add_argument("--rounds", type=int, default=1, help="rounds (the median is kept)")
    parser.add_argument(
        "--no-picture", action="store_true", help="do not add the photo article to the village"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench/pages needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    folder = Path(tempfile.mkdtemp(prefix="nutag-bench-pages-"))
    print(f"bench/pages: {args.server}, 2 workers; demo in {folder}")
    load_before = load_average()
    try:
        site = prepare_demo(folder, picture_at=None if args.no_picture else args.village)
        with run_server(site, kind=args.server) as server:
            print(f"  {server.version} on {server.base_url} (PID {server.process.pid})")
            results, checks = measure(
                server,
                village=args.village,
                duration=args.duration,
                warmup=args.warmup,
                rounds=args.rounds,
            )
            command = "bench/pages.py" + (
                f" --server {args.server}" if args.server != "granian" else ""
            )
            if args.rounds != 1:
                command += f" --rounds {args.rounds}"
            if args.duration != 10:
                command += f" --duration {args.duration}"
            lines = report_lines(
                server=server,
                village=args.village,
                results=results,
                checks=checks,
                duration=args.duration,
                warmup=args.warmup,
                rounds=args.rounds,
                command=command,
                load_before=load_before,
                picture=not args.no_picture,
            )
        print("\n".join(line.replace("**", "") for line in lines[4:]))
        if not args.no_write:
            write_section("bench/pages", lines)
        return 0 if headline_ratio(results) >= BAR else 1
    except BenchError as exc:
        print(f"bench/pages FAILED: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
