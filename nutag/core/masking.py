"""Masking of phone and ID numbers for display."""

from __future__ import annotations


def mask_phone(value: str) -> str:
    """138****5678 — keeps the first three and the last four digits."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_id_number(value: str) -> str:
    """150725**********12 — keeps the region (6) and the last two characters."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 8) + value[-2:]


def mask_name(value: str) -> str:
    """张*明 / 张* — keeps the first character (and the last, for three or more)."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
