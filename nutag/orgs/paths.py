"""Subtree filters over materialized paths.

A unit's subtree is every path that starts with the unit's path. Paths use treebeard's
alphabet (0-9, A-Z) in fixed-width steps, so the subtree is the contiguous range
``[path, successor(path))``. A range on an indexed column is used by SQLite and
PostgreSQL alike (``LIKE 'x%'`` is not, without special operator classes), which is what
keeps subtree counts over a million rows cheap.
"""

from __future__ import annotations

from django.db.models import Q

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def successor(path: str) -> str | None:
    """The smallest same-length path greater than every path that starts with ``path``."""
    chars = list(path)
    for i in range(len(chars) - 1, -1, -1):
        pos = ALPHABET.index(chars[i])
        if pos + 1 < len(ALPHABET):
            chars[i] = ALPHABET[pos + 1]
            return "".join(chars[: i + 1]) + ALPHABET[0] * (len(chars) - i - 1)
        chars[i] = ALPHABET[0]
    return None


def subtree_q(path: str, field: str = "path") -> Q:
    """``Q`` matching rows whose ``field`` lies in the subtree rooted at ``path``."""
    q = Q(**{f"{field}__gte": path})
    upper = successor(path)
    if upper is not None:
        q &= Q(**{f"{field}__lt": upper})
    return q


def subtrees_q(paths: list[str], field: str = "path") -> Q:
    """``Q`` for the union of several subtrees (``paths`` need not be minimal)."""
    q = Q(pk__in=[])
    for path in minimal_paths(paths):
        q |= subtree_q(path, field)
    return q


def minimal_paths(paths: list[str]) -> list[str]:
    """Drop every path that lies under another path of the list."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


def is_within(path: str, root_path: str) -> bool:
    return path.startswith(root_path)


def range_sql(column: str, path: str) -> tuple[str, list[str]]:
    """``(sql, params)``: ``column`` in the subtree rooted at ``path``, for fixed SQL (the
    figure selectors): the same index range as ``subtree_q``. ``column`` is written into the
    text as given (a quoted name of the caller's own, never user input)."""
    upper = successor(path)
    if upper is None:
        return f"{column} >= %s", [path]
    return f"{column} >= %s AND {column} < %s", [path, upper]
