"""The arrows between our apps follow the list in docs/architecture.md ("Who may import whom").

Every import of a non-test, non-migration module is parsed, including imports inside
functions, so that a lazy import cannot hide an arrow the layering forbids.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "nutag"
DOC = ROOT / "docs" / "architecture.md"
TEST_SUPPORT = {"conftest", "factories"}  # nutag/conftest.py and nutag/factories.py

_RULE = re.compile(r"^- `(\w+)` → (.*)$")
_NAME = re.compile(r"`(\w+)`")


def allowed_arrows() -> dict[str, set[str]]:
    """``{app: {apps it may import}}`` from the documented list."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### Who may import whom", 1)[1].split("\n### ", 1)[0]
    arrows: dict[str, set[str]] = {}
    for line in section.splitlines():
        match = _RULE.match(line)
        if match:
            targets = match.group(2).split(" — ", 1)[0]  # a reason may follow a dash
            arrows[match.group(1)] = set(_NAME.findall(targets))
    return arrows


def imported_apps(path: Path, apps: set[str]) -> list[tuple[int, str]]:
    """``(line, app)`` for every import of one of our apps in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "nutag":  # from nutag import sites
                names = [f"nutag.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "nutag" and parts[1] in apps:
                found.append((node.lineno, parts[1]))
    return found


def app_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if len(relative.parts) == 1:
            if relative.stem in TEST_SUPPORT:
                modules.append((relative.stem, path))
            continue
        modules.append((relative.parts[0], path))
    return modules


def our_apps() -> set[str]:
    return {
        p.name
        for p in PACKAGE.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name != "templates"
    }


def test_the_documented_list_names_every_app() -> None:
    arrows = allowed_arrows()
    assert arrows, "no arrows found in docs/architecture.md"
    assert our_apps() <= set(arrows), f"apps missing from the list: {our_apps() - set(arrows)}"
    assert arrows["core"] == set()
    assert arrows["orgs"] == {"core"}


def violations(arrows: dict[str, set[str]]) -> list[str]:
    apps = our_apps()
    found = []
    for app, path in app_modules():
        allowed = (apps - {"demo"}) if app in TEST_SUPPORT else arrows.get(app, set())
        for line, target in imported_apps(path, apps):
            if target != app and target not in allowed:
                found.append(f"{path.relative_to(ROOT)}:{line}: {app} → {target}")
    return found


def test_every_import_follows_the_documented_arrows() -> None:
    assert violations(allowed_arrows()) == []


def test_nothing_imports_the_demo() -> None:
    for app, path in app_modules():
        if app != "demo":
            assert "demo" not in {t for _, t in imported_apps(path, our_apps())}, path


@pytest.mark.parametrize(
    ("source", "app", "forbidden"),
    [
        ("from nutag.people.models import Person\n", "core", "people"),
        ("def f():\n    from nutag.assess import models\n", "orgs", "assess"),
        ("from nutag import sites\n", "people", "sites"),
        ("import nutag.api.api\n", "sites", "api"),
    ],
)
def test_a_forbidden_arrow_is_caught(tmp_path: Path, source: str, app: str, forbidden: str) -> None:
    """The checker itself: an arrow against the list, even inside a function, is found."""
    module = tmp_path / "module.py"
    module.write_text(source)
    targets = {t for _, t in imported_apps(module, our_apps())}
    assert forbidden in targets
    assert forbidden not in allowed_arrows()[app]
