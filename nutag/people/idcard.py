"""Resident ID numbers (GB 11643-1999): 18 characters, the last a checksum."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def checksum_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    """Strip spaces, turn full-width characters half-width and ``x`` into ``X``."""
    from nutag.core.text import to_halfwidth

    return to_halfwidth(value).replace(" ", "").strip().upper()


def id_number_birth_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a well-formed 18-character ID number."""
    if (
        len(value) != 18
        or not value[:17].isdigit()
        or not (value[17].isdigit() or value[17] == "X")
    ):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a final digit or X."),
            code="id_format",
        )
    if id_number_birth_date(value) is None:
        raise ValidationError(_("The ID number holds an impossible birth date."), code="id_date")
    if checksum_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong: please check each digit."),
            code="id_checksum",
        )


def id_number_gender(value: str) -> str:
    """'m' or 'f' from the 17th digit (odd is male)."""
    return "m" if int(value[16]) % 2 else "f"
