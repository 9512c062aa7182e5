"""Uploads for articles: pictures, attachments and audio, checked by what they contain.

Pictures (a cover, photos in the body) must really decode with Pillow; they are turned
upright (EXIF orientation) and re-encoded, which drops every piece of metadata (GPS
position, camera, owner). What is stored is never the uploaded file itself:

- ``<token>.jpg`` — the picture at most ``FULL_WIDTH`` wide (the file the model points to);
- ``<token>-<w>.avif`` / ``.webp`` / ``.jpg`` for ``w`` in 640, 480 and 360 — phone-sized
  variants, AVIF then WebP with a JPEG fallback, never wider than the original, with a
  quality per width (the wider files are seen at 2 device pixels per CSS pixel, where
  artefacts are half as large: lower quality, see ``QUALITY``).

Widths: a page column on a 360-px phone is 336 CSS px, so at a pixel ratio of 2 it needs
672 px; the widest variant is 640, so no phone ever gets more than about twice what it
shows (a 3× phone gets 640 too). ``PAGE_SIZES`` tells the browser the column's real width.

``store_image`` returns the sizes, so pages can write ``<img width height>`` (no layout
shift) and ``srcset``. Attachments (PDF and Office files, incl. Kingsoft WPS) and audio are
recognised by their first bytes, not by the extension a user can rename. Limits come from the
settings ``NUTAG_IMAGE_MAX_BYTES`` (8 MB), ``NUTAG_ATTACHMENT_MAX_BYTES`` (20 MB) and
``NUTAG_AUDIO_MAX_BYTES`` (20 MB). Every refusal is a ``ValidationError`` naming the file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import secrets
import zipfile
from collections.abc import Callable, Iterable
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from nutag.core.archives import check_zip
from nutag.core.sanitize import clean_file_name

MB = 1024 * 1024
VARIANT_WIDTHS = (640, 480, 360)
# width → (AVIF quality, WebP quality); the JPEG fallback keeps JPEG_QUALITY
QUALITY = {640: (50, 62), 480: (55, 68), 360: (60, 75)}
AVIF_SPEED = 8  # 0 slowest … 10 fastest; 8 is within a few per cent of 6's size, 3× faster
FULL_WIDTH = 1440
# Decoders tried (nothing else: EPS, PSD, TIFF … are never even parsed); a JPEG with
# several frames (some cameras) is reported as MPO by the JPEG decoder.
OPEN_FORMATS = ["JPEG", "PNG", "WEBP", "GIF", "BMP"]
IMAGE_FORMATS = {*OPEN_FORMATS, "MPO"}
# The page column: the screen less main's 12-px padding on each side, at most 736 px.
PAGE_SIZES = "(max-width: 760px) calc(100vw - 24px), 736px"
OLD_PAGE_SIZES = "(max-width: 760px) 100vw, 760px"  # in bodies saved before
JPEG_QUALITY = 82

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
LEGACY_OFFICE = {"doc", "xls", "ppt", "wps", "et", "dps"}
ATTACHMENT_EXTENSIONS = {"pdf", *OFFICE_PARTS, *LEGACY_OFFICE}
AUDIO_EXTENSIONS = {"mp3", "m4a", "aac", "ogg", "oga", "wav"}


def image_max_bytes() -> int:
    return int(getattr(settings, "NUTAG_IMAGE_MAX_BYTES", 8 * MB))


def image_max_pixels() -> int:
    return int(getattr(settings, "NUTAG_IMAGE_MAX_PIXELS", 60_000_000))


def attachment_max_bytes() -> int:
    return int(getattr(settings, "NUTAG_ATTACHMENT_MAX_BYTES", 20 * MB))


def audio_max_bytes() -> int:
    return int(getattr(settings, "NUTAG_AUDIO_MAX_BYTES", 20 * MB))


@dataclasses.dataclass(frozen=True)
class ImageVariant:
    width: int
    height: int
    webp: str
    jpeg: str
    avif: str = ""  # absent in pictures stored before AVIF variants were made

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class StoredImage:
    """A processed picture: the full-size re-encoded file and its variants (widest first)."""

    name: str
    width: int
    height: int
    variants: list[ImageVariant]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "variants": [v.as_dict() for v in self.variants],
        }


def _display_name(upload: Any) -> str:
    return clean_file_name(getattr(upload, "name", "") or "")


def _extension(upload: Any) -> str:
    name = _display_name(upload)
    return name.rpartition(".")[2].lower() if "." in name else ""


def _size(upload: Any) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        pos = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(pos)
    return int(size)


def _head(upload: Any, n: int = 2048) -> bytes:
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return bytes(data)


def _too_big(upload: Any, limit: int) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is %(size)s; the limit is %(limit)s.")
        % {
            "name": _display_name(upload),
            "size": filesizeformat(_size(upload)),
            "limit": filesizeformat(limit),
        },
        code="too_big",
    )


# --- pictures --------------------------------------------------------------------------


def _open_image(upload: Any) -> Image.Image:
    """Decode the whole picture (refusing what is not one, is damaged or is a pixel bomb),
    turned upright."""
    name = _display_name(upload)
    if _size(upload) > image_max_bytes():
        raise _too_big(upload, image_max_bytes())
    not_a_picture = ValidationError(
        _("“%(name)s” is not a picture this site can read (JPEG, PNG, WebP or GIF).")
        % {"name": name},
        code="not_image",
    )
    upload.seek(0)
    try:
        image = Image.open(upload, formats=OPEN_FORMATS)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise not_a_picture from exc
    if image.format not in IMAGE_FORMATS:
        raise not_a_picture
    width, height = image.size
    if width < 1 or height < 1 or width * height > image_max_pixels():
        raise ValidationError(
            _("“%(name)s” is too large a picture (%(width)s × %(height)s pixels).")
            % {"name": name, "width": width, "height": height},
            code="too_many_pixels",
        )
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("“%(name)s” is damaged or incomplete: choose it again or take a new photo.")
            % {"name": name},
            code="damaged",
        ) from exc
    finally:
        upload.seek(0)
    return upright if upright is not None else image


def check_image(upload: Any) -> tuple[int, int]:
    """Refuse a file that is not a readable picture; the upright size if it is."""
    image = _open_image(upload)
    return image.size


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _resized(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _quality(width: int) -> tuple[int, int]:
    """(AVIF, WebP) quality for a variant this wide: that of the nearest width at most as
    wide (the smallest's for narrower pictures)."""
    fitting = [w for w in QUALITY if w <= width]
    return QUALITY[max(fitting) if fitting else min(QUALITY)]


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "AVIF":
        image.save(out, "AVIF", quality=_quality(image.width)[0], speed=AVIF_SPEED)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=_quality(image.width)[1], method=4)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def store_image(upload: Any, *, folder: str) -> StoredImage:
    """Check, turn upright, strip metadata and store the picture and its variants."""
    image = _rgb(_open_image(upload))
    token = secrets.token_hex(8)
    written: list[str] = []
    try:
        full = _resized(image, FULL_WIDTH)
        name = default_storage.save(f"{folder}/{token}.jpg", ContentFile(_encode(full, "JPEG")))
        written.append(name)
        stem = name.rpartition(".")[0]
        variants: list[ImageVariant] = []
        seen: set[int] = set()
        for target in VARIANT_WIDTHS:
            small = _resized(full, target)
            if small.width in seen:
                continue
            seen.add(small.width)
            avif = default_storage.save(
                f"{stem}-{small.width}.avif", ContentFile(_encode(small, "AVIF"))
            )
            written.append(avif)
            webp = default_storage.save(
                f"{stem}-{small.width}.webp", ContentFile(_encode(small, "WEBP"))
            )
            written.append(webp)
            jpeg = default_storage.save(
                f"{stem}-{small.width}.jpg", ContentFile(_encode(small, "JPEG"))
            )
            written.append(jpeg)
            variants.append(ImageVariant(small.width, small.height, webp, jpeg, avif))
    except Exception:
        delete_files(written)
        raise
    return StoredImage(name=name, width=full.width, height=full.height, variants=variants)


def image_files(stored: dict[str, Any] | None) -> list[str]:
    """Every file of a stored picture (``StoredImage.as_dict()``), for deleting."""
    if not stored:
        return []
    files = [stored.get("name", "")]
    for v in stored.get("variants", []):
        files += [v.get("avif", ""), v.get("webp", ""), v.get("jpeg", "")]
    return [f for f in files if f]


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            with contextlib.suppress(OSError):
                default_storage.delete(name)


def srcset(variants: Iterable[dict[str, Any]], kind: str) -> str:
    """``url 640w, url 480w, …`` for ``kind`` "avif", "webp" or "jpeg"."""
    return ", ".join(
        f"{default_storage.url(v[kind])} {v['width']}w" for v in variants if v.get(kind)
    )


def picture_html(stored: dict[str, Any], *, alt: str = "", sizes: str = PAGE_SIZES) -> SafeString:
    """``<picture>`` markup for a stored picture: AVIF, then WebP variants, JPEG fallback,
    its size given (no layout shift). Pages make it lazy or eager when they show it."""
    variants = stored.get("variants") or []
    if not variants:
        return SafeString("")
    fallback = variants[0]  # the widest: what a browser without srcset gets
    sources = [
        format_html(
            '<source type="image/{}" srcset="{}" sizes="{}">', kind, srcset(variants, kind), sizes
        )
        for kind in ("avif", "webp")
        if any(v.get(kind) for v in variants)
    ]
    img = '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}">'
    return format_html(
        "<picture>{}" + img + "</picture>",
        SafeString("".join(sources)),
        default_storage.url(fallback["jpeg"]),
        srcset(variants, "jpeg"),
        sizes,
        fallback["width"],
        fallback["height"],
        alt,
    )


# --- attachments and audio ---------------------------------------------------------------


def _is_ooxml(upload: IO[bytes], part: str | None) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return False
    return part is None or any(n.startswith(part) for n in names)


def check_attachment(upload: Any) -> str:
    """Refuse anything but a real PDF or Office file within the limit; the clean name if ok."""
    name = _display_name(upload)
    ext = _extension(upload)
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” cannot be attached: only PDF, Word, Excel, PowerPoint and WPS files.")
            % {"name": name},
            code="bad_type",
        )
    if _size(upload) > attachment_max_bytes():
        raise _too_big(upload, attachment_max_bytes())
    head = _head(upload)
    if ext == "pdf":
        ok = b"%PDF-" in head[:1024]
    elif ext in OFFICE_PARTS:
        ok = head.startswith(b"PK\x03\x04") and _is_ooxml(upload, OFFICE_PARTS[ext])
    else:  # legacy binary formats; newer WPS/Office save the same names as zip packages
        ok = head.startswith(OLE2) or (head.startswith(b"PK\x03\x04") and _is_ooxml(upload, None))
    if ok and head.startswith(b"PK\x03\x04"):
        check_zip(upload)  # readers unpack it on phones and office PCs: no zip bombs
    if not ok:
        raise ValidationError(
            _("“%(name)s” is not really a %(kind)s file: its content does not match its name.")
            % {"name": name, "kind": ext.upper()},
            code="disguised",
        )
    return name


def _looks_like_audio(ext: str, head: bytes) -> bool:
    if ext == "mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] >= 0xE0)
    if ext == "aac":
        return head.startswith(b"ADIF") or (
            len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0
        )
    if ext == "m4a":
        return head[4:8] == b"ftyp"
    if ext in {"ogg", "oga"}:
        return head.startswith(b"OggS")
    if ext == "wav":
        return head.startswith(b"RIFF") and head[8:12] == b"WAVE"
    return False


def check_audio(upload: Any) -> str:
    """Refuse anything but real MP3, M4A, AAC, Ogg or WAV audio within the limit."""
    name = _display_name(upload)
    ext = _extension(upload)
    if ext not in AUDIO_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not an audio file this site plays (MP3, M4A, AAC, Ogg, WAV).")
            % {"name": name},
            code="bad_type",
        )
    if _size(upload) > audio_max_bytes():
        raise _too_big(upload, audio_max_bytes())
    if not _looks_like_audio(ext, _head(upload, 16)):
        raise ValidationError(
            _("“%(name)s” is not really a %(kind)s file: its content does not match its name.")
            % {"name": name, "kind": ext.upper()},
            code="disguised",
        )
    return name


def store_file(upload: Any, *, folder: str, ext: str) -> str:
    """Store an already checked file under a random name (the display name is kept apart)."""
    upload.seek(0)
    return default_storage.save(f"{folder}/{secrets.token_hex(8)}.{ext}", upload)


T = TypeVar("T")


def delete_after_commit(names: list[str]) -> None:
    """Delete stored files once the transaction that stopped using them has committed."""
    if names:
        transaction.on_commit(lambda: delete_files(names))


def saving(run: Callable[[list[str]], T]) -> T:
    """Run ``run(written)`` atomically, ``written`` collecting the files it stores; if
    anything fails, those files are deleted (the database rolled back, nothing points at them)."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return run(written)
    except BaseException:
        delete_files(written)
        raise
