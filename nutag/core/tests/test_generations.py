"""Generation numbers every worker process reads alike (``nutag.core.generations``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nutag.core import generations
from nutag.core.generations import CacheGenerations, FileGenerations

ROOT = Path(__file__).resolve().parents[3]

BUMP = """
import sys
from pathlib import Path
from nutag.core.generations import FileGenerations
FileGenerations(Path(sys.argv[1])).bump(sys.argv[2:])
"""


def test_a_bump_changes_only_its_own_names(tmp_path: Path) -> None:
    store = FileGenerations(tmp_path / "gen")
    a, b = store.read(["a", "b"])
    store.bump(["a"])
    assert store.read(["a", "b"]) == [a + 1, b]
    store.bump(["a", "a", "b"])  # once per name, however often named
    assert store.read(["a", "b"]) == [a + 2, b + 1]


def test_another_process_sees_a_bump_at_once(tmp_path: Path) -> None:
    path = tmp_path / "gen"
    mine = FileGenerations(path)
    (before,) = mine.read(["pcg:u:150799"])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", BUMP, str(path), "pcg:u:150799"],
        check=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert mine.read(["pcg:u:150799"]) == [before + 1]


def test_a_file_made_again_never_gives_old_values(tmp_path: Path) -> None:
    path = tmp_path / "gen"
    old = FileGenerations(path).read(["a"])
    path.unlink()
    assert FileGenerations(path).read(["a"]) != old


def test_the_cache_store_counts_up() -> None:
    store = CacheGenerations()
    first, other = store.read(["x", "y"])
    store.bump(["x"])
    assert store.read(["x", "y"]) == [first + 1, other]


def test_settings_choose_the_store(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.NUTAG_GENERATIONS_FILE = str(tmp_path / "gen")  # type: ignore[attr-defined]
    assert isinstance(generations.store(), FileGenerations)
    settings.NUTAG_GENERATIONS_FILE = ""  # type: ignore[attr-defined]
    assert isinstance(generations.store(), CacheGenerations)
