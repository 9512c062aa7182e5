"""Worker start loads what the first requests would pay for (``nutag.core.preload``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nutag.core import preload

ROOT = Path(__file__).resolve().parents[3]

LOAD_WSGI = """
import config.wsgi
from nutag.sites.search import segment
print("loaded" if segment._tokenizer is not None else "not loaded")
"""


def _wsgi(**env: str) -> str:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    environment.update(env, PYTHONPATH=str(ROOT))
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", LOAD_WSGI],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_wsgi_application_loads_the_tokenizer_at_start() -> None:
    assert _wsgi() == "loaded"
    assert _wsgi(NUTAG_PRELOAD="0") == "not loaded"


def test_every_registered_preload_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def mine() -> None:
        ran.append("mine")

    monkeypatch.setattr(preload, "_preloads", [*preload._preloads, mine])
    done = preload.run_preloads()
    assert ran == ["mine"]
    assert {"catalogues", "generations_file", "preload_tokenizer"} <= set(done)


def test_a_failing_preload_is_logged_and_skipped(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("no dictionary")

    monkeypatch.setattr(preload, "_preloads", [broken])
    done = preload.run_preloads()
    assert "broken" not in " ".join(done)
    assert "catalogues" in done
    assert "no dictionary" in caplog.text
