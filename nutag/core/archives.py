"""Zip archives checked before anything unpacks them (zip bombs).

An .xlsx, .docx or .pptx is a zip archive. A 1 MB file can hold one member that unpacks to
a gigabyte (a cell, a shared string), or millions of members. ``check_zip`` reads only the
archive's central directory — the names and the sizes each member declares — and refuses
the file before any reader (openpyxl, python-docx …) inflates a byte:

- more than ``max_members`` members;
- a member declaring more than ``max_member_bytes`` unpacked, or all together more than
  ``max_total_bytes``; a few named members (e.g. ``xl/sharedStrings.xml``, which openpyxl
  holds in memory whole) may have a smaller limit of their own (``member_limits``);
- a member larger than 1 MB unpacked whose compression ratio exceeds ``max_ratio``.

The declared sizes are enough: Python's ``zipfile`` (which openpyxl uses) never returns
more than a member declares — a member that inflates to more ends in ``BadZipFile`` (CRC),
which the readers already turn into "unreadable".
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class ZipLimits:
    max_members: int = 500
    max_member_bytes: int = 64 * MB
    max_total_bytes: int = 128 * MB
    max_ratio: int = 100
    member_limits: tuple[tuple[str, int], ...] = ()


# Spreadsheets and Office files: a 20,000-row roster unpacks to about 25 MB.
OFFICE_LIMITS = ZipLimits(member_limits=(("xl/sharedStrings.xml", 16 * MB),))


def bomb_error() -> ValidationError:
    return ValidationError(
        _(
            "This file unpacks to far more data than a real document of its size, so it was "
            "refused. Save it again from Excel or WPS and choose it again."
        ),
        code="archive_bomb",
    )


def check_zip(source: bytes | IO[bytes], limits: ZipLimits = OFFICE_LIMITS) -> None:
    """Refuse a zip archive that would unpack to too much (``ValidationError``).

    Reads only the central directory. A file that is not a zip archive passes: the reader
    that follows reports it as unreadable in its own words. A file object is rewound.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    start = stream.tell() if not isinstance(source, bytes) else 0
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        if not isinstance(source, bytes):
            stream.seek(start)
    if len(infos) > limits.max_members:
        raise bomb_error()
    special = dict(limits.member_limits)
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > special.get(info.filename, limits.max_member_bytes):
            raise bomb_error()
        if size > MB and size > limits.max_ratio * max(info.compress_size, 1):
            raise bomb_error()
    if total > limits.max_total_bytes:
        raise bomb_error()
