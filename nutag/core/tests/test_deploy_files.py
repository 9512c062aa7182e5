"""The deployment files (deploy/, docs/deploy.md) stay valid and in step with the code.

- the environment file template lists exactly the variables the production settings read;
- the compose files parse, have their services, and every file they mount exists;
- nginx accepts the site (``nginx -t``, where nginx is installed: CI installs it), its rate
  limits cover the real login and submission URLs;
- systemd accepts the units (``systemd-analyze verify``, where available) and they start
  commands that exist.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
ENV_TEMPLATE = DEPLOY / "nutag.env.example"
# What the production settings and their entry points read from the environment.
SETTINGS_SOURCES = [
    ROOT / "config" / "settings" / "base.py",
    ROOT / "config" / "settings" / "prod.py",
    ROOT / "config" / "wsgi.py",
    ROOT / "config" / "startup.py",
    ROOT / "config" / "celery.py",
]
# Read from the environment by libraries, not by the settings: listed too.
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # boto3
ENV_READERS = {"env_bool", "env_list", "getenv"}


def variables_read(path: Path) -> set[str]:
    """``os.environ.get("X")``, ``os.environ["X"]``, ``os.getenv("X")``, ``env_bool("X")``…"""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        name_node: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            is_environ_get = (
                isinstance(func, ast.Attribute)
                and called in {"get", "setdefault"}
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "environ"
            )
            if is_environ_get or called in ENV_READERS:
                name_node = node.args[0]
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "environ"
        ):
            name_node = node.slice
        if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
            found.add(name_node.value)
    return found


def template_variables() -> list[str]:
    names = []
    for line in ENV_TEMPLATE.read_text().splitlines():
        match = re.match(r"^#? ?([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.append(match.group(1))
    return names


def test_the_reader_finds_every_form(tmp_path: Path) -> None:
    source = (
        'import os\nos.environ.get("A")\nos.environ["B"]\nenv_bool("C", True)\n'
        'env_list("D", [])\nos.environ.get(\n    "E", "x"\n)\nos.getenv("F")\n'
    )
    path = tmp_path / "settings.py"
    path.write_text(source)
    assert variables_read(path) == {"A", "B", "C", "D", "E", "F"}


def test_env_template_lists_exactly_what_the_settings_read() -> None:
    read = set().union(*(variables_read(path) for path in SETTINGS_SOURCES)) | READ_BY_LIBRARIES
    listed = template_variables()
    assert sorted(read - set(listed)) == [], "missing from deploy/nutag.env.example"
    assert sorted(set(listed) - read) == [], "listed in deploy/nutag.env.example, never read"
    duplicates = sorted({name for name in listed if listed.count(name) > 1})
    assert duplicates == []


def test_env_template_sets_the_required_variables_and_no_secret() -> None:
    lines = ENV_TEMPLATE.read_text().splitlines()
    values = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    assert values["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"
    assert values["SECRET_KEY"] == ""  # the production settings refuse to start without one
    assert values["NUTAG_SECRETS_KEY"] == ""
    assert values["ALLOWED_HOSTS"]


# --- compose ----------------------------------------------------------------------------


def load_yaml(name: str) -> dict[str, object]:
    loaded = yaml.safe_load((DEPLOY / name).read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_has_every_service() -> None:
    one = load_yaml("compose.yaml")
    services = one["services"]
    assert isinstance(services, dict)
    assert {"app", "worker", "beat", "nginx", "postgres", "redis"} <= set(services)
    scale = load_yaml("compose.scale.yaml")
    assert isinstance(scale["services"], dict)
    assert {"app2", "postgres-replica", "minio"} <= set(scale["services"])
    replica_env = scale["services"]["app"]["environment"]
    assert "DATABASE_REPLICA_URL" in replica_env
    assert "AWS_STORAGE_BUCKET_NAME" in replica_env


@pytest.mark.parametrize("name", ["compose.yaml", "compose.scale.yaml"])
def test_compose_mounts_files_that_exist(name: str) -> None:
    services = load_yaml(name)["services"]
    assert isinstance(services, dict)
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name}: {source}"
        build = service.get("build")
        if build:
            assert (DEPLOY / build["context"] / build["dockerfile"]).exists()


# --- nginx --------------------------------------------------------------------------------


def nginx_locations() -> list[re.Pattern[str]]:
    text = (DEPLOY / "nginx" / "nutag.conf").read_text()
    return [re.compile(m) for m in re.findall(r"location ~ \"?(\^[^\s\"]+)\"? \{", text)]


def limited_locations() -> list[re.Pattern[str]]:
    text = (DEPLOY / "nginx" / "nutag.conf").read_text()
    blocks = re.findall(r"location ~ \"?(\^[^\s\"]+)\"? \{([^}]*)\}", text)
    return [re.compile(pattern) for pattern, body in blocks if "limit_req " in body]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("login", {}),
        ("admin:login", {}),
        ("voice-concern-new", {"code": "150799"}),
        ("voice-inbox", {"code": "150799"}),
        ("voice-aid-new", {"code": "150799"}),
        ("voice-emergency-new", {"code": "150799"}),
        ("voice-comment", {"code": "150799", "pk": 7}),
    ],
)
def test_rate_limits_cover_the_login_and_submission_pages(
    name: str, kwargs: dict[str, object]
) -> None:
    path = reverse(name, kwargs=kwargs)
    assert any(p.match(path) for p in limited_locations()), path


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/units/150799/concerns",
        "/api/v1/units/150799/inbox",
        "/api/v1/inbox/12/messages",
        "/api/v1/units/150799/articles/3/comments",
        "/api/v1/concerns/5/comments",
        "/api/v1/units/150799/aid",
        "/api/v1/units/150799/emergencies",
    ],
)
def test_rate_limits_cover_the_submission_api(path: str) -> None:
    from nutag.api.api import api

    def shape(p: str) -> str:
        return re.sub(r"/(\{[^}]+\}|\d+)", "/{}", p)

    routes = {shape(route) for route in api.get_openapi_schema()["paths"]}
    assert shape(path) in routes, f"{path}: not an API path any more"
    assert any(p.match(path) for p in limited_locations()), path


def test_hashed_static_names_get_a_year_and_others_do_not() -> None:
    hashed = [p for p in nginx_locations() if p.pattern.startswith("^/static/")]
    assert hashed
    assert any(p.match("/static/core/enhance.3f2a9c1b7e4d.js") for p in hashed)
    assert not any(p.match("/static/core/enhance.js") for p in hashed)


NGINX_MAIN = """
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    include {tmp}/nutag.conf;
}}
"""


@pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx not installed (.ci/run installs it)"
)
def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    """The site as shipped, with a throwaway certificate and log files of the test."""
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=nutag.example.org",
            "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "nutag.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/nutag.example.org", str(tmp_path))
    site = site.replace("/var/log/nginx", str(tmp_path))
    site = site.replace("/srv/nutag/deploy/nginx", str(DEPLOY / "nginx"))
    (tmp_path / "nutag.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp_path))
    result = subprocess.run(  # noqa: S603
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


# --- systemd --------------------------------------------------------------------------------

UNITS = sorted((DEPLOY / "systemd").glob("nutag-*.*"))


def test_every_service_runs_a_real_command() -> None:
    commands = get_commands()
    for unit in UNITS:
        text = unit.read_text().replace("\\\n", " ")
        for line in re.findall(r"^ExecStart(?:Pre)?=(.+)$", text, flags=re.M):
            argv = line.split()
            if "manage.py" in argv:
                assert argv[argv.index("manage.py") + 1] in commands, f"{unit.name}: {line}"
            if argv[0].endswith("/celery"):
                assert argv[1:3] == ["-A", "config"]
            if argv[0].endswith("/granian"):
                assert "config.wsgi:application" in argv
    assert (DEPLOY / "systemd" / "nutag-backup.timer").exists()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    for unit in UNITS:
        text = unit.read_text()
        text = text.replace("/srv/nutag/.venv/bin/", f"{Path(sys.executable).parent}/")
        text = text.replace("/etc/nutag/nutag.env", str(ENV_TEMPLATE))
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    problems = [
        line
        for line in result.stderr.splitlines()
        if "nutag" in line and ("Unknown" in line or "not executable" in line or "rror" in line)
    ]
    assert result.returncode == 0, result.stderr
    assert problems == []
