"""Two worker processes, one database, no Redis (the embedded default): a publish, a
withdrawal or a new figure made anywhere is seen by *every* worker's next request.

Each worker is its own process serving the real WSGI application (``config.wsgi``) on a
port the system picks, with its own local-memory page cache; the database is a SQLite file
and the generations file (``NUTAG_GENERATIONS_FILE``) is shared, as in production. Changes
are made by a third process through the services. Nothing waits on the clock: every step
runs to completion before the next request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from nutag.core.actors import SYSTEM
from nutag.orgs.services import unit_create
from nutag.sites.services import ArticleInput, article_create, article_publish
banner = unit_create(acting_user=SYSTEM, parent=None, code="150799", kind="banner", name="测试旗")
town = unit_create(
    acting_user=SYSTEM, parent=banner, code="150799100", kind="township", name="一镇"
)
village = unit_create(
    acting_user=SYSTEM, parent=town, code="150799100201", kind="village", name="一甲嘎查"
)
old = article_create(acting_user=SYSTEM, unit=village, data=ArticleInput(title="旧闻甲乙"))
article_publish(acting_user=SYSTEM, article=old)
print(json.dumps({"old": old.pk}))
"""

ACT = """
import sys
import django
django.setup()
from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.sites.models import Article
from nutag.sites.services import ArticleInput, article_create, article_publish, article_withdraw
village = Unit.objects.get(code="150799100201")
what, arg = sys.argv[1], sys.argv[2]
if what == "publish":
    new = article_create(acting_user=SYSTEM, unit=village, data=ArticleInput(title=arg))
    article_publish(acting_user=SYSTEM, article=new)
elif what == "withdraw":
    article_withdraw(acting_user=SYSTEM, article=Article.objects.get(pk=int(arg)))
elif what == "care":
    from nutag.factories import PersonFactory, make_care_worker
    for _ in range(int(arg)):
        make_care_worker(person=PersonFactory(unit=village), unit=village)
"""

SERVE = """
import django
django.setup()
from wsgiref.simple_server import WSGIRequestHandler, make_server
from config.wsgi import application

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, application, handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        NUTAG_GENERATIONS_FILE=str(tmp / "generations"),
        NUTAG_PAGE_CACHE_SECONDS="300",
        NUTAG_TASK_MODE="inline",
        NUTAG_PUBLIC_STATS="1",
        NUTAG_PRELOAD="0",  # not needed here (nutag/core/tests/test_preload.py)
    )
    return env


def _run(script: str, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[dict[str, str], dict[str, int], list[str]]]:
    yield from _workers(_env(tmp_path))


@pytest.fixture
def shared_workers(
    tmp_path: Path,
) -> Iterator[tuple[dict[str, str], dict[str, int], list[str]]]:
    """The same, with the embedded default's shared page tier (``nutag.sites.pagecache``) and
    pages rendered again after a purge, as configured in production."""
    env = _env(tmp_path)
    env.update(NUTAG_PAGE_CACHE_SHARED=str(tmp_path / "pages"), NUTAG_PAGE_REFRESH="12")
    yield from _workers(env)


def _workers(env: dict[str, str]) -> Iterator[tuple[dict[str, str], dict[str, int], list[str]]]:
    made = json.loads(_run(SETUP, env).strip().splitlines()[-1])
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SERVE], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        ports = []
        for process in processes:
            assert process.stdout is not None
            ports.append(process.stdout.readline().strip())  # the server is listening
        assert all(p.isdigit() for p in ports), ports
        yield env, made, [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for process in processes:
            process.kill()
            process.wait(timeout=30)


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our own server)
        return response.headers.get("X-Nutag-Cache", ""), response.read().decode()


def test_every_worker_sees_a_publish_and_a_withdrawal(
    workers: tuple[dict[str, str], dict[str, int], list[str]],
) -> None:
    env, made, servers = workers
    home = "/u/150799100201/"
    for server in servers:  # each worker has the page in its own cache
        fetch(server + home)
        state, html = fetch(server + home)
        assert state == "hit" and "旧闻甲乙" in html

    _run(ACT, env, "publish", "新闻丙丁")
    for server in servers:
        state, html = fetch(server + home)
        assert (state, "新闻丙丁" in html) == ("miss", True), server
        assert fetch(server + home)[0] == "hit"

    _run(ACT, env, "withdraw", str(made["old"]))
    for server in servers:
        for url in (home, "/u/150799100/", "/"):  # the village, the unit above, the root
            state, html = fetch(server + url)
            assert "旧闻甲乙" not in html, (server, url)


def test_every_worker_sees_new_figures(
    workers: tuple[dict[str, str], dict[str, int], list[str]],
) -> None:
    env, _, servers = workers
    api = "/api/v1/units/150799100/stats"
    for server in servers:
        fetch(server + "/u/150799100/figures/")
        assert fetch(server + "/u/150799100/figures/")[0] == "hit"
        assert json.loads(fetch(server + api)[1])["participants"] == 0

    _run(ACT, env, "care", "3")
    for server in servers:
        state, _ = fetch(server + "/u/150799100/figures/")
        assert state == "miss", server
        assert json.loads(fetch(server + api)[1])["participants"] == 3


def test_a_page_rendered_after_a_publish_serves_every_worker(
    shared_workers: tuple[dict[str, str], dict[str, int], list[str]],
) -> None:
    env, made, servers = shared_workers
    home = "/u/150799100201/"
    for server in servers:  # each worker has the page in its own memory, and in the folder
        fetch(server + home)
        state, html = fetch(server + home)
        assert state == "hit" and "新闻丙丁" not in html

    # the publishing process renders the unit's recent pages again (inline here); neither
    # worker renders: each one's first request finds the new page in the shared folder
    _run(ACT, env, "publish", "新闻丙丁")
    for server in servers:
        state, html = fetch(server + home)
        assert (state, "新闻丙丁" in html) == ("hit", True), server

    _run(ACT, env, "withdraw", str(made["old"]))  # and a withdrawal the same way
    for server in servers:
        state, html = fetch(server + home)
        assert (state, "旧闻甲乙" in html) == ("hit", False), server
