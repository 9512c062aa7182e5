"""Uploads: refused when disguised, damaged or too big (negatives first); pictures turned
upright, stripped of metadata and stored as phone-sized WebP and JPEG variants."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from nutag.core import media
from nutag.core.tests.uploads import (
    MP3,
    OLE2,
    PDF,
    WAV,
    jpeg_bytes,
    media_root,  # noqa: F401  (fixture)
    ooxml,
    photo,
    plain_zip,
    png_bytes,
    upload,
)

# --- pictures refused ---------------------------------------------------------------------


def test_text_disguised_as_jpeg_is_refused_by_name() -> None:
    fake = upload("假照片.jpg", "这不是图片，只是文字。".encode() * 20, "image/jpeg")
    with pytest.raises(ValidationError) as exc:
        media.check_image(fake)
    assert "假照片.jpg" in exc.value.messages[0]
    assert exc.value.error_list[0].code == "not_image"


def test_truncated_png_is_refused_as_damaged() -> None:
    data = png_bytes(800, 600)
    broken = upload("截断.png", data[: len(data) // 2], "image/png")
    with pytest.raises(ValidationError) as exc:
        media.check_image(broken)
    assert "截断.png" in exc.value.messages[0]
    assert exc.value.error_list[0].code == "damaged"


def test_oversized_picture_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NUTAG_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        media.check_image(photo("大图.jpg"))
    assert "大图.jpg" in exc.value.messages[0]
    assert exc.value.error_list[0].code == "too_big"


def test_pixel_bomb_is_refused_before_decoding(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NUTAG_IMAGE_MAX_PIXELS = 10_000
    with pytest.raises(ValidationError) as exc:
        media.check_image(photo("炸弹.jpg", width=200, height=200))
    assert exc.value.error_list[0].code == "too_many_pixels"


def test_unsupported_format_is_refused() -> None:
    from io import BytesIO

    out = BytesIO()
    Image.new("RGB", (10, 10)).save(out, "TIFF")
    with pytest.raises(ValidationError):
        media.check_image(upload("scan.tif", out.getvalue()))


def test_file_name_in_messages_is_cleaned() -> None:
    fake = upload("<img src=x onerror=alert(1)>x.jpg", b"text", "image/jpeg")
    with pytest.raises(ValidationError) as exc:
        media.check_image(fake)
    assert "<img" not in exc.value.messages[0]


# --- pictures stored ----------------------------------------------------------------------


def _open(name: str) -> Image.Image:
    return Image.open(Path(default_storage.path(name)))


def test_picture_is_upright_stripped_and_resized(media_root) -> None:  # noqa: F811
    # 1600×1200 taken with the phone on its side (EXIF orientation 6: turn 90° clockwise)
    stored = media.store_image(
        photo("现场.jpg", width=1600, height=1200, orientation=6, gps=True), folder="covers/1"
    )
    assert (stored.width, stored.height) == (1200, 1600)
    assert [(v.width, v.height) for v in stored.variants] == [(640, 853), (480, 640), (360, 480)]
    full = _open(stored.name)
    assert full.size == (1200, 1600)
    exif = full.getexif()
    assert not exif and not full.info.get("exif"), "metadata (GPS, camera) must be gone"
    # the blue mark was top-left in the sensor's frame: after turning it is top-right
    assert full.getpixel((1200 - 20, 20))[2] > 200
    for variant in stored.variants:
        avif, webp, jpeg = _open(variant.avif), _open(variant.webp), _open(variant.jpeg)
        assert (avif.format, webp.format, jpeg.format) == ("AVIF", "WEBP", "JPEG")
        assert avif.size == webp.size == jpeg.size == (variant.width, variant.height)
        assert not avif.getexif()
        assert variant.avif.rpartition(".")[0] == variant.jpeg.rpartition(".")[0]
        assert not jpeg.getexif()
        assert variant.webp.rpartition(".")[0] == variant.jpeg.rpartition(".")[0]
        assert variant.jpeg.startswith(stored.name.rpartition(".")[0])


def test_wider_variants_are_smaller_per_pixel(media_root) -> None:  # noqa: F811
    """Quality falls with the width (the wider files are seen at 2 device pixels per CSS
    pixel), so a 640-px file costs less than (640/360)² times a 360-px one."""
    stored = media.store_image(photo(width=1600, height=1200), folder="covers/1")
    widest, smallest = stored.variants[0], stored.variants[-1]
    for kind in ("avif", "webp"):
        big = default_storage.size(getattr(widest, kind))
        small = default_storage.size(getattr(smallest, kind))
        assert big < small * (widest.width / smallest.width) ** 2, kind
    assert media._quality(640) < media._quality(360)
    assert media._quality(300) == media._quality(360)


def test_old_variants_without_avif_still_render(media_root) -> None:  # noqa: F811
    old = {
        "name": "p/x.jpg",
        "width": 1440,
        "height": 960,
        "variants": [{"width": 720, "height": 480, "webp": "p/x-720.webp", "jpeg": "p/x-720.jpg"}],
    }
    markup = media.picture_html(old)
    assert "image/avif" not in markup and 'type="image/webp"' in markup
    assert media.image_files(old) == ["p/x.jpg", "p/x-720.webp", "p/x-720.jpg"]


def test_small_picture_is_never_enlarged(media_root) -> None:  # noqa: F811
    stored = media.store_image(photo("小.jpg", width=300, height=200), folder="photos/1")
    assert [(v.width, v.height) for v in stored.variants] == [(300, 200)]
    assert (stored.width, stored.height) == (300, 200)


def test_large_picture_is_capped(media_root) -> None:  # noqa: F811
    stored = media.store_image(photo("宽.jpg", width=3000, height=1000), folder="photos/1")
    assert (stored.width, stored.height) == (media.FULL_WIDTH, 480)


def test_transparent_png_gets_a_white_background(media_root) -> None:  # noqa: F811
    stored = media.store_image(upload("透明.png", png_bytes(alpha=True)), folder="photos/1")
    assert _open(stored.variants[0].jpeg).mode == "RGB"


def test_picture_html_has_sizes_and_fallback(media_root) -> None:  # noqa: F811
    stored = media.store_image(photo(width=1600, height=1200), folder="covers/1").as_dict()
    markup = media.picture_html(stored, alt="<标题>")
    assert markup.index('type="image/avif"') < markup.index('type="image/webp"')
    assert "640w" in markup and "480w" in markup and "360w" in markup and "720w" not in markup
    assert 'sizes="(max-width: 760px) calc(100vw - 24px), 736px"' in markup
    assert 'width="640" height="480"' in markup
    assert "&lt;标题&gt;" in markup
    assert media.image_files(stored)[0] == stored["name"]
    assert len(media.image_files(stored)) == 10
    media.delete_files(media.image_files(stored))
    assert not any(default_storage.exists(n) for n in media.image_files(stored))


# --- attachments and audio ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("网页.pdf", b"<html><script>alert(1)</script></html>"),
        ("伪装.docx", plain_zip()),
        ("伪装.xlsx", ooxml("word/document.xml")),  # a Word package named as Excel
        ("伪装.doc", b"just text"),
        ("伪装.wps", PDF),
    ],
)
def test_disguised_attachments_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(ValidationError) as exc:
        media.check_attachment(upload(name, data))
    assert name in exc.value.messages[0]
    assert exc.value.error_list[0].code == "disguised"


@pytest.mark.parametrize("name", ["程序.exe", "网页.html", "脚本.svg", "无扩展名"])
def test_other_kinds_of_attachment_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as exc:
        media.check_attachment(upload(name, PDF))
    assert exc.value.error_list[0].code == "bad_type"


def test_oversized_attachment_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NUTAG_ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(ValidationError) as exc:
        media.check_attachment(upload("大文件.pdf", PDF))
    assert exc.value.error_list[0].code == "too_big"
    assert "大文件.pdf" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", PDF),
        ("报告.docx", ooxml("word/document.xml")),
        ("名单.xlsx", ooxml("xl/workbook.xml")),
        ("课件.pptx", ooxml("ppt/presentation.xml")),
        ("旧文档.doc", OLE2),
        ("旧表格.xls", OLE2),
        ("金山文字.wps", OLE2),
        ("金山表格.et", OLE2),
        ("新版金山.wps", ooxml("word/document.xml")),
    ],
)
def test_real_attachments_pass(name: str, data: bytes) -> None:
    assert media.check_attachment(upload(name, data)) == name


def test_audio() -> None:
    assert media.check_audio(upload("朗读.mp3", MP3)) == "朗读.mp3"
    assert media.check_audio(upload("朗读.wav", WAV)) == "朗读.wav"
    assert media.check_audio(upload("朗读.ogg", b"OggS" + b"\x00" * 40)) == "朗读.ogg"
    assert media.check_audio(upload("朗读.m4a", b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 20))
    with pytest.raises(ValidationError) as exc:
        media.check_audio(upload("假的.mp3", b"not audio at all"))
    assert exc.value.error_list[0].code == "disguised"
    with pytest.raises(ValidationError) as exc:
        media.check_audio(upload("视频.mp4", MP3))
    assert exc.value.error_list[0].code == "bad_type"


def test_jpeg_helper_really_has_exif() -> None:
    """Guard for the test above: the generated photo does carry GPS data before processing."""
    from io import BytesIO

    image = Image.open(BytesIO(jpeg_bytes(orientation=6, gps=True)))
    assert image.getexif().get(0x0112) == 6
    assert image.getexif().get_ifd(0x8825)


def test_zip_bomb_attachment_is_refused() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w/>" + b" " * (200 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 1024 * 1024  # a small file that unpacks to 200 MB
    with pytest.raises(ValidationError) as exc:
        media.check_attachment(upload("炸弹.docx", data))
    assert exc.value.error_list[0].code == "archive_bomb"
