"""Two routers' schemas of one class name would share one OpenAPI component, the second
silently replacing the first (a fuzzer then sends the wrong body): every name is unique."""

from __future__ import annotations

import collections

from ninja import Schema

import nutag.api.api  # noqa: F401  (every router imported)


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def test_api_schema_class_names_are_unique():
    ours = [c for c in _all_subclasses(Schema) if c.__module__.startswith("nutag.api")]
    names = collections.Counter(c.__name__ for c in ours)
    assert [n for n, k in names.items() if k > 1] == []
