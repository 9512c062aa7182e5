"""The demo sits at the top of the import graph: it may import every app, nothing imports it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "nutag" / "demo"


def demo_imports(source: str) -> list[str]:
    """The modules of the demo (``nutag.demo``, or its old home ``nutag.orgs.demo``) that
    ``source`` imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        found += [
            n
            for n in names
            if n.startswith(("nutag.demo", "nutag.orgs.demo")) and n.split(".")[-1] != "*"
        ]
    return found


def test_the_check_sees_every_form_of_import() -> None:
    assert demo_imports("from nutag.demo.data import SEED") == [
        "nutag.demo.data",
        "nutag.demo.data.SEED",
    ]
    assert demo_imports("from nutag import demo") == ["nutag.demo"]
    assert demo_imports("import nutag.orgs.demo.plan") == ["nutag.orgs.demo.plan"]
    assert demo_imports("from nutag.orgs import demo as d") == ["nutag.orgs.demo"]
    assert demo_imports("from nutag.orgs.models import Unit\nfrom . import demo") == []


def test_nothing_outside_the_demo_imports_it() -> None:
    files = [
        path
        for folder in ("nutag", "config", "bench", "scripts")
        for path in (ROOT / folder).rglob("*.py")
        if DEMO not in path.parents
    ]
    files.append(ROOT / "run.py")
    assert len(files) > 100
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := demo_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
