#!/usr/bin/env python3
"""Nutag quick start. Needs only Python 3.11+ (standard library); makes its own .venv.

    python3 run.py demo [--port 8000]   install, migrate, load the demo, serve it on 127.0.0.1
                                        the way production is (granian, DEBUG off, whitenoise)
    python3 run.py demo --dev           the same, served by runserver with autoreload (DEBUG on)
    python3 run.py test [pytest args]   install, run the whole test suite with pytest
    python3 run.py lint                 ruff, ruff format, mypy, migrations and deploy checks
    python3 run.py backup [--output DIR] [--keep N] [--settings MODULE]
                                        one dated archive: database, media files, manifest
    python3 run.py restore ARCHIVE [--force] [--settings MODULE]
                                        load an archive into an empty database, then verify it

Every command names its settings module (manage.py and the app server have no default).

The project is (re)installed into .venv with ``pip install -e ".[dev]"`` only when
pyproject.toml changed since the last install.
"""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 (keep the refusal readable on old Pythons)
    sys.stderr.write(
        f"Nutag needs Python 3.11 or newer; this is Python {sys.version.split()[0]} "
        f"({sys.executable}).\nInstall python3.11 (or newer) and run: python3.11 run.py ...\n"
    )
    sys.exit(2)

import argparse
import hashlib
import json
import os
import secrets
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
INSTALL_STAMP = VENV / ".nutag-install.sha256"
PIP_JSON_URL = "https://pypi.org/pypi/pip/json"
MIN_PYTHON = (3, 11)
DEV_SETTINGS = "config.settings.dev"
DEMO_SETTINGS = "config.settings.demo"
# Two workers (the machine's two cores): each keeps its pages in local memory, and all read
# the same cache generations from a shared file (nutag/core/generations.py), so a page
# purged by one worker is purged in the other too.
DEMO_WORKERS = 2


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def fail(message: str, code: int = 1) -> None:
    print(f"run.py: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def run(command: list[str], *, env: dict[str, str] | None = None, check: bool = True) -> int:
    """Run a command from the repository root; stop the whole run if it fails and check."""
    shown = " ".join("<script>" if "\n" in str(part) else str(part) for part in command)
    print(f"$ {shown}", flush=True)
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if check and result.returncode != 0:
        fail(f"command failed with exit code {result.returncode}: {shown}", result.returncode)
    return result.returncode


def quiet_ok(command: list[str]) -> bool:
    try:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


# --- the environment ---------------------------------------------------------------------


def venv_is_usable() -> bool:
    python = venv_python()
    if not python.exists():
        return False
    check = f"import sys; sys.exit(0 if sys.version_info >= {MIN_PYTHON!r} else 1)"
    return quiet_ok([str(python), "-c", check])


def pip_is_usable() -> bool:
    return quiet_ok([str(venv_python()), "-m", "pip", "--version"])


def create_venv() -> None:
    say(f"Creating {VENV.name} with {sys.executable} (Python {sys.version.split()[0]})")
    created = subprocess.run(
        [sys.executable, "-m", "venv", "--clear", str(VENV)], cwd=ROOT, check=False
    )
    if created.returncode == 0 and pip_is_usable():
        return
    # Debian and Ubuntu ship ensurepip in a separate package (python3-venv). Without it, make
    # the venv without pip and bootstrap pip from PyPI.
    say("ensurepip is not available here; creating the venv without pip and fetching pip")
    run([sys.executable, "-m", "venv", "--clear", "--without-pip", str(VENV)])
    bootstrap_pip()


def bootstrap_pip() -> None:
    """Install the latest pip into the venv from its wheel on PyPI (checked by sha256)."""
    try:
        with urllib.request.urlopen(PIP_JSON_URL, timeout=60) as response:
            release = json.load(response)
            base_url = response.geturl()
        wheel = next(
            f
            for f in release["urls"]
            if f["packagetype"] == "bdist_wheel" and f["filename"].endswith("-none-any.whl")
        )
        with tempfile.TemporaryDirectory(prefix="nutag-pip-") as tmp:
            path = Path(tmp) / wheel["filename"]
            say(f"Downloading {wheel['filename']}")
            # Mirrors may answer with relative links: resolve them against the JSON's address.
            wheel_url = urllib.parse.urljoin(base_url, wheel["url"])
            with urllib.request.urlopen(wheel_url, timeout=120) as response:
                path.write_bytes(response.read())
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != wheel["digests"]["sha256"]:
                fail(f"the downloaded {wheel['filename']} does not match PyPI's sha256")
            # A pip wheel can run itself: python pip.whl/pip install pip.whl
            run([str(venv_python()), f"{path}/pip", "install", "--no-index", str(path)])
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        fail(
            f"could not bootstrap pip from {PIP_JSON_URL}: {exc}\n"
            "Install the venv module instead (Debian/Ubuntu: sudo apt-get install python3-venv) "
            f"and remove {VENV}."
        )
    if not pip_is_usable():
        fail("pip was installed into the venv but does not run")


def install_fingerprint() -> str:
    """What the last install depended on: pyproject.toml and the venv's Python."""
    version = subprocess.run(
        [str(venv_python()), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return hashlib.sha256(PYPROJECT.read_bytes() + version.encode()).hexdigest()


def ensure_environment() -> Path:
    """Make sure .venv exists, has pip and has the project installed; return its python."""
    if not PYPROJECT.exists():
        fail(f"{PYPROJECT} not found; run this from a Nutag checkout")
    if not venv_is_usable():
        create_venv()
    elif not pip_is_usable():
        say(f"{VENV.name} has no working pip")
        bootstrap_pip()
    fingerprint = install_fingerprint()
    installed = INSTALL_STAMP.read_text().strip() if INSTALL_STAMP.exists() else ""
    if installed != fingerprint:
        say("Installing Nutag and its development tools into .venv (pyproject.toml changed)")
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
        run([str(venv_python()), "-m", "pip", "install", "-e", ".[dev]"], env=env)
        INSTALL_STAMP.write_text(fingerprint + "\n")
    compile_messages()
    return venv_python()


COMPILE_MESSAGES = """
import sys
from pathlib import Path
import polib
for po in map(Path, sys.argv[1:]):
    polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
    print(f"compiled {po}")
"""


def compile_messages() -> None:
    """Compile translation catalogues whose .mo is missing or older (no gettext needed)."""
    catalogues = [
        *ROOT.glob("locale/*/LC_MESSAGES/*.po"),
        *ROOT.glob("nutag/**/locale/*/LC_MESSAGES/*.po"),
    ]
    stale = [
        str(po)
        for po in sorted(set(catalogues))
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        say("Compiling translations")
        if run([str(venv_python()), "-c", COMPILE_MESSAGES, *stale], check=False) != 0:
            print("run.py: warning: some catalogues did not compile; see above", file=sys.stderr)


# --- commands ----------------------------------------------------------------------------


def manage(python: Path, *args: str, settings: str) -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings)
    return run([str(python), "manage.py", *args], env=env)


def serve(command: list[str], settings: str) -> int:
    """Replace this process with the server (so Ctrl-C goes straight to it)."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings)
    if os.name == "nt":
        return run(command, env=env, check=False)
    os.chdir(ROOT)
    os.execve(command[0], command, env)  # noqa: S606
    return 0  # not reached


def command_demo(options: argparse.Namespace) -> int:
    python = ensure_environment()
    settings = DEV_SETTINGS if options.dev else DEMO_SETTINGS
    say("Migrating the database")
    manage(python, "migrate", "--no-input", settings=settings)
    say("Loading the demo banner")
    manage(python, "load_demo", settings=settings)
    address = f"127.0.0.1:{options.port}"
    if options.dev:
        say(f"Serving on http://{address}/ with runserver (DEBUG on, reloads on changes)")
        say(f"Officers: http://{address}/desk/  Ctrl-C stops")
        return serve([str(python), "manage.py", "runserver", address], settings)
    say("Collecting static files (served by whitenoise, as in production)")
    manage(python, "collectstatic", "--no-input", "--verbosity", "0", settings=settings)
    say(
        f"Serving on http://{address}/ with granian, {DEMO_WORKERS} workers, DEBUG off "
        "(python3 run.py demo --dev: runserver with autoreload)"
    )
    say(f"Officers: http://{address}/desk/  Ctrl-C stops")
    command = [
        str(python),
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(options.port),
        "--workers",
        str(DEMO_WORKERS),
        "--blocking-threads",  # threads running Django in the worker (granian's default: 512)
        "8",
        "--respawn-failed-workers",  # a crashed worker is replaced, not the server stopped
        "config.wsgi:application",
    ]
    return serve(command, settings)


def command_test(pytest_args: list[str]) -> int:
    python = ensure_environment()
    say("Running the test suite")
    code = run([str(python), "-m", "pytest", *pytest_args], check=False)
    if code == 5:
        print("run.py: pytest collected no tests (exit code 5)", file=sys.stderr)
    return code


def command_lint(_options: argparse.Namespace) -> int:
    python = ensure_environment()
    deploy_env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
    )
    checks: list[tuple[str, list[str], dict[str, str] | None]] = [
        ("ruff check", [str(python), "-m", "ruff", "check", "."], None),
        ("ruff format", [str(python), "-m", "ruff", "format", "--check", "."], None),
        ("mypy", [str(python), "-m", "mypy", "."], None),
        (
            "migrations",
            [str(python), "manage.py", "makemigrations", "--check", "--dry-run"],
            dict(os.environ, DJANGO_SETTINGS_MODULE=DEV_SETTINGS),
        ),
        (
            "deploy check",
            [str(python), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            deploy_env,
        ),
    ]
    failed = []
    for name, command, env in checks:
        say(name)
        if run(command, env=env, check=False) != 0:
            failed.append(name)
    if failed:
        print(f"run.py lint: FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("run.py lint: all checks passed")
    return 0


def command_backup(options: argparse.Namespace) -> int:
    python = ensure_environment()
    args = ["backup"]
    if options.output:
        args += ["--output", options.output]
    if options.keep:
        args += ["--keep", str(options.keep)]
    return run([str(python), "manage.py", *args], env=_settings_env(options), check=False)


def command_restore(options: argparse.Namespace) -> int:
    python = ensure_environment()
    args = ["restore", options.archive, *(["--force"] if options.force else [])]
    return run([str(python), "manage.py", *args], env=_settings_env(options), check=False)


def _settings_env(options: argparse.Namespace) -> dict[str, str]:
    return dict(os.environ, DJANGO_SETTINGS_MODULE=options.settings)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 run.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="install, migrate, load the demo data and serve")
    demo.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (8000)")
    demo.add_argument(
        "--dev",
        action="store_true",
        help="serve with runserver and autoreload, DEBUG on (config.settings.dev)",
    )
    commands.add_parser(
        "test", help="run the test suite; extra arguments go to pytest", add_help=False
    )
    commands.add_parser("lint", help="ruff, ruff format, mypy, migrations, deploy checks")
    default_settings = os.environ.get("DJANGO_SETTINGS_MODULE", DEMO_SETTINGS)
    backup = commands.add_parser("backup", help="back up the database and media (one archive)")
    backup.add_argument("--output", help="directory of the archives (NUTAG_BACKUP_DIR)")
    backup.add_argument("--keep", type=int, default=0, help="keep only the newest N archives")
    restore = commands.add_parser("restore", help="restore an archive, then verify it")
    restore.add_argument("archive")
    restore.add_argument("--force", action="store_true", help="replace a database with data")
    for sub in (backup, restore):
        sub.add_argument(
            "--settings",
            default=default_settings,
            help=f"settings module (DJANGO_SETTINGS_MODULE, else {DEMO_SETTINGS})",
        )

    # Everything after "test" belongs to pytest, including -h and options argparse would eat.
    if argv and argv[0] == "test":
        return command_test(argv[1:])
    options = parser.parse_args(argv)
    if options.command == "demo":
        return command_demo(options)
    if options.command == "backup":
        return command_backup(options)
    if options.command == "restore":
        return command_restore(options)
    return command_lint(options)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
