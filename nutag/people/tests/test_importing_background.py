"""A large roster file is read in the background, in a child process with a memory limit
(issue 18): the upload answers at once, the batch page refreshes until the preview is
ready, and a file the child cannot read within its limits ends the batch with a reason."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from nutag.core.actors import SYSTEM
from nutag.people.importing import import_parse, import_previews_expire, read_import
from nutag.people.models import ImportBatch, ImportStatus
from nutag.people.tests.test_importing_previews import age


def roster_csv(names: list[str], *, padding: int = 0) -> SimpleUploadedFile:
    """A CSV roster; ``padding`` blank lines make it large without adding rows."""
    text = "姓名,性别\n" + "".join(f"{name},男\n" for name in names) + "\n" * padding
    return SimpleUploadedFile("roster.csv", text.encode())


@pytest.fixture
def small_threshold(settings):  # type: ignore[no-untyped-def]
    settings.NUTAG_IMPORT_BACKGROUND_BYTES = 1000
    return settings


# --------------------------------------------------------------------------- negatives


@pytest.mark.django_db
def test_a_file_read_in_the_background_stays_out_of_reach_of_other_units(
    client, cast, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        batch = import_parse(
            acting_user=cast.township1_secretary,
            unit=cast.township1,
            uploaded_file=roster_csv(["巴特尔"], padding=2000),
        )
    assert batch.status == ImportStatus.READING
    client.force_login(cast.village2a_secretary)
    assert client.get(reverse("people-import-batch", args=[batch.pk])).status_code == 404


@pytest.mark.django_db
def test_a_reader_who_lost_the_right_gets_a_failed_batch_and_the_file_is_dropped(
    cast, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        batch = import_parse(
            acting_user=cast.township1_secretary,
            unit=cast.township1,
            uploaded_file=roster_csv(["巴特尔"], padding=2000),
        )
    ImportBatch.objects.filter(pk=batch.pk).update(created_by=None)
    read_import(batch_id=batch.pk, language="en")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "no longer manages" in batch.failure
    assert bytes(batch.upload) == b""


@pytest.mark.django_db
def test_a_bad_large_file_fails_with_the_reason_in_the_users_language(
    cast, small_threshold, django_capture_on_commit_callbacks
):
    junk = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04" + b"\x00\x01" * 5000)
    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        batch = import_parse(
            acting_user=cast.township1_secretary, unit=cast.township1, uploaded_file=junk
        )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "无法将该文件读取为Excel工作簿" in batch.failure
    assert bytes(batch.upload) == b""


@pytest.mark.django_db
def test_a_file_that_needs_more_memory_than_allowed_fails_cleanly_and_the_worker_goes_on(
    cast, small_threshold, django_capture_on_commit_callbacks
):
    small_threshold.NUTAG_IMPORT_MAX_ROWS = 1_000_000
    small_threshold.NUTAG_IMPORT_READ_MEMORY_MB = 8
    # 300,000 rows: the table alone takes far more than 8 MB in the child
    names = [f"人{i}" for i in range(300_000)]
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        batch = import_parse(
            acting_user=cast.township1_secretary,
            unit=cast.township1,
            uploaded_file=roster_csv(names),
        )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "more memory or time to read than the server allows" in batch.failure
    assert batch.rows == [] and bytes(batch.upload) == b""
    # the process that ran the task is alive and reads the next file
    small_threshold.NUTAG_IMPORT_READ_MEMORY_MB = 384
    with django_capture_on_commit_callbacks(execute=True):
        nxt = import_parse(
            acting_user=cast.township1_secretary,
            unit=cast.township1,
            uploaded_file=roster_csv(["巴特尔"], padding=2000),
        )
    nxt.refresh_from_db()
    assert nxt.status == ImportStatus.PREVIEW


# --------------------------------------------------------------------------- the flow


@pytest.mark.django_db
def test_a_small_file_is_still_read_at_once(cast, small_threshold):
    batch = import_parse(
        acting_user=cast.township1_secretary,
        unit=cast.township1,
        uploaded_file=roster_csv(["巴特尔"]),
    )
    assert batch.status == ImportStatus.PREVIEW
    assert [row["name"] for row in batch.rows] == ["巴特尔"]


@pytest.mark.django_db
def test_a_large_upload_answers_at_once_and_the_preview_appears_when_read(
    client, cast, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(cast.township1_secretary)
    upload = roster_csv(["巴特尔", "其其格"], padding=3000)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("people-import", args=[cast.township1.code]),
            {"file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people-import-batch", args=[batch.pk])
    assert batch.status == ImportStatus.READING and batch.rows == []
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reading the file" in page
    assert '<meta http-equiv="refresh"' in page
    assert "<script>" not in page
    assert reverse("people-import-confirm", args=[batch.pk]) not in page

    for callback in callbacks:  # the background worker runs the task
        callback()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert [row["name"] for row in batch.rows] == ["巴特尔", "其其格"]
    assert bytes(batch.upload) == b""  # the file itself is not kept
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("people-import-confirm", args=[batch.pk]) in page
    assert '<meta http-equiv="refresh"' not in page


@pytest.mark.django_db
def test_a_file_never_read_expires_like_a_preview(
    cast, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        batch = import_parse(
            acting_user=cast.township1_secretary,
            unit=cast.township1,
            uploaded_file=roster_csv(["巴特尔"], padding=2000),
        )
    age(batch, 23)
    assert import_previews_expire(acting_user=SYSTEM) == 0
    age(batch, 25)
    assert import_previews_expire(acting_user=SYSTEM) == 1
    assert not ImportBatch.objects.filter(pk=batch.pk).exists()
    read_import(batch_id=batch.pk, language="en")  # a late task finds nothing to do
