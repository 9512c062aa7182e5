"""Files for upload tests, made in memory: pictures (with EXIF), PDFs, Office files, audio."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture
def media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploads go to a throwaway folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def jpeg_bytes(
    width: int = 1600, height: int = 1200, *, orientation: int | None = None, gps: bool = False
) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 40))
    # a mark in the top-left corner, to see which way the picture was turned
    image.paste((0, 0, 255), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (49.0, 19.0, 0.0), 3: "E", 4: (119.0, 26.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_bytes(width: int = 400, height: int = 300, *, alpha: bool = False) -> bytes:
    image = Image.new(
        "RGBA" if alpha else "RGB", (width, height), (10, 120, 60, 128)[: 4 if alpha else 3]
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def photo(name: str = "照片.jpg", **kwargs: object) -> SimpleUploadedFile:
    return upload(name, jpeg_bytes(**kwargs), "image/jpeg")  # type: ignore[arg-type]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 32
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32


def ooxml(part: str = "word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return out.getvalue()
