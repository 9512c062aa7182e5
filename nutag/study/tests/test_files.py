"""A lesson's PDF and pictures, a meeting's photos: checked by content (negatives first), the
PDF served with safe headers and only to who may read the lesson."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.study import services
from nutag.study.models import Lesson, Meeting
from nutag.study.tests.helpers import course_with_lessons, member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def jpeg() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 60), (70, 130, 180)).save(out, "JPEG")
    return SimpleUploadedFile("会场.jpg", out.getvalue(), content_type="image/jpeg")


def test_lesson_refuses_a_disguised_pdf_or_picture_and_keeps_no_file(cast):
    course, _a, _b = course_with_lessons(cast.village1a)
    fake_pdf = SimpleUploadedFile("讲稿.pdf", b"<html><script>x</script>", "application/pdf")
    with pytest.raises(ValidationError):
        services.lesson_add(acting_user=SYSTEM, course=course, title="x", pdf=fake_pdf)
    word = SimpleUploadedFile("讲稿.docx", b"PK\x03\x04junk", "application/octet-stream")
    with pytest.raises(ValidationError):
        services.lesson_add(acting_user=SYSTEM, course=course, title="x", pdf=word)
    fake_jpeg = SimpleUploadedFile("图.jpg", b"not a picture", "image/jpeg")
    with pytest.raises(ValidationError):
        services.lesson_add(acting_user=SYSTEM, course=course, title="x", images=[fake_jpeg])
    assert not Lesson.objects.filter(title="x").exists()


def test_lesson_pdf_is_served_safely_and_only_to_its_readers(cast):
    course, _a, _b = course_with_lessons(cast.village1a)
    lesson = services.lesson_add(
        acting_user=SYSTEM,
        course=course,
        title="带讲稿",
        pdf=SimpleUploadedFile("讲稿.pdf", PDF, "application/pdf"),
        images=[jpeg()],
    )
    assert lesson.pdf_name == "讲稿.pdf" and len(lesson.images) == 1
    url = f"/u/{cast.village1a.code}/study/lessons/{lesson.pk}/pdf"
    outsider = Client()
    outsider.force_login(member(cast.village2a, "外人", "outsider").user)
    assert outsider.get(url).status_code == 404
    assert Client().get(url).status_code == 404  # an assigned course: not for the anonymous
    reader = Client()
    reader.force_login(member(cast.village1a, "读者", "reader").user)
    r = reader.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff" and "sandbox" in r["Content-Security-Policy"]
    assert r["Content-Disposition"].startswith("inline")
    assert b"".join(r.streaming_content).startswith(b"%PDF-")
    page = reader.get(f"/u/{cast.village1a.code}/study/lessons/{lesson.pk}/").content.decode()
    assert f"{url}?v={lesson.pdf_version}" in page and "<picture" in page


def test_the_same_pdf_stored_again_gets_a_new_link_version(cast):
    # phones keep a lesson's PDF and serve it cache first: a new file must have a new address
    course, _a, _b = course_with_lessons(cast.village1a)
    first, second = (
        services.lesson_add(
            acting_user=SYSTEM,
            course=course,
            title=title,
            pdf=SimpleUploadedFile("讲稿.pdf", PDF, "application/pdf"),
        )
        for title in ("一", "二")
    )
    assert first.pdf_version and second.pdf_version
    assert first.pdf_version != second.pdf_version
    assert Lesson(course=course, title="无").pdf_version == ""


def test_meeting_photos_need_the_right_and_real_pictures(cast):
    meeting = services.meeting_record(
        acting_user=SYSTEM,
        unit=cast.village1a,
        kind="members",
        held_on=timezone.localdate(),
        topic="大会",
    )
    with pytest.raises(NotFound):
        services.meeting_photos_add(
            acting_user=cast.village2a_secretary, meeting=meeting, photos=[jpeg()]
        )
    with pytest.raises(ValidationError):
        services.meeting_photos_add(acting_user=SYSTEM, meeting=meeting, photos=[jpeg()] * 13)
    desk = Client()
    desk.force_login(cast.village1a_secretary)
    url = f"/desk/u/{cast.village1a.code}/study/meetings/{meeting.pk}/"
    bad = SimpleUploadedFile("x.jpg", b"nope", "image/jpeg")
    r = desk.post(url, {"form": "photos", "photos": [bad]})
    assert r.status_code == 200 and not Meeting.objects.get().photos
    r = desk.post(url, {"form": "photos", "photos": [jpeg()]})
    assert r.status_code == 302 and len(Meeting.objects.get().photos) == 1
    assert "<picture" in desk.get(url).content.decode()
    sibling = Client()
    sibling.force_login(cast.village2a_secretary)
    assert sibling.post(url, {"form": "photos", "photos": [jpeg()]}).status_code == 404
