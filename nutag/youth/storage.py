"""Youth photos' private storage: a folder outside ``MEDIA_ROOT`` (never served by the web
server), read only through youth's views after an access check (``youth.views.photos``).

``NUTAG_PRIVATE_ROOT`` (settings) names the folder; each picture is checked (a real picture,
not a bomb), turned upright, stripped of its metadata (GPS position included) and narrowed
to ``WIDTH`` pixels before it is stored under a random name.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageOps

from nutag.core.media import check_image

WIDTH = 1280


def private_storage() -> FileSystemStorage:
    root = getattr(settings, "NUTAG_PRIVATE_ROOT", None) or (
        Path(settings.MEDIA_ROOT).parent / "private-media"
    )
    return FileSystemStorage(location=str(root), base_url=None)


def store_private_photo(upload: Any, *, folder: str) -> str:
    """Store a checked, metadata-free copy of ``upload``; its name in the private storage."""
    check_image(upload)
    upload.seek(0)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened) or opened
        image = image.convert("RGB")
        if image.width > WIDTH:
            image = image.resize(
                (WIDTH, max(1, round(image.height * WIDTH / image.width))),
                Image.Resampling.LANCZOS,
            )
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    upload.seek(0)
    return private_storage().save(
        f"{folder}/{secrets.token_hex(12)}.jpg", ContentFile(out.getvalue())
    )


def open_private(name: str) -> Any:
    return private_storage().open(name, "rb")


def delete_private(names: Iterable[str]) -> None:
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)
