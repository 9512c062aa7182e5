"""Import services: ``import_parse`` (preview; ``read_import`` reads a large file in the
background), ``import_confirm`` and ``apply_import``."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nutag.core.actors import SYSTEM, Actor, is_system
from nutag.core.audit import audit_record
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction
from nutag.core.tasks import enqueue
from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.people.models import IMPORT_PREVIEW_HOURS, ImportBatch, ImportStatus

from .reading import _read_table, _Table, _text
from .rows import (
    CHECK,
    DRY_RUN,
    SAVE,
    _Context,
    _Issue,
    _issue_problem,
    _parse_row,
    _problem,
    _try_row,
    _Units,
)
from .sandbox import read_table_limited

logger = logging.getLogger(__name__)

STALE = (ImportStatus.PREVIEW, ImportStatus.READING)  # expire after IMPORT_PREVIEW_HOURS
PROGRESS_STEP = 25  # rows between two progress saves
DRY_RUN_CHUNK = 200  # rows checked per transaction while previewing, and fetched at once
DRY_RUN_SECONDS = 8.0  # time the preview spends running the services on rows
BACKGROUND_DRY_RUN_SECONDS = 120.0  # the same for a file read in the background


# --------------------------------------------------------------------------- services


def _read_upload(uploaded_file: UploadedFile) -> bytes:
    limit = settings.NUTAG_IMPORT_MAX_BYTES
    too_big = ValidationError(
        _("The file is larger than %(size)s MB.") % {"size": round(limit / 1024 / 1024, 1)},
        code="too_big",
    )
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise too_big
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def import_parse(*, acting_user: AnyUser, unit: Unit, uploaded_file: UploadedFile) -> ImportBatch:
    """Read a roster file into a batch waiting for confirmation (404 without the right).

    Raises ``ValidationError`` for a file that cannot be used at all (too big, unreadable,
    no header row, too many rows); every problem within a row goes into ``batch.errors``.
    A file larger than ``NUTAG_IMPORT_BACKGROUND_BYTES`` is only checked for its size here:
    the batch comes back in status ``reading`` and ``read_import`` reads it in the
    background (its refusal then ends the batch as failed, with the reason).
    """
    if not has_unit_perm(user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=unit):
        raise NotFound
    if not unit.is_active:
        raise ValidationError(_("A closed unit cannot receive people."), code="closed")
    import_previews_expire(acting_user=SYSTEM)  # lazily, besides the scheduled command
    data = _read_upload(uploaded_file)
    file_name = os.path.basename((uploaded_file.name or "").replace("\\", "/"))[:200]
    created_by = acting_user if acting_user.is_authenticated else None
    if len(data) > settings.NUTAG_IMPORT_BACKGROUND_BYTES:
        # A large file is read in the background, in a child process with a memory limit;
        # the batch page shows "reading" and refreshes until the preview is ready.
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                unit=unit,
                created_by=created_by,
                file_name=file_name or "roster",
                status=ImportStatus.READING,
                upload=data,
            )
            enqueue(
                "nutag.people.importing.read_import",
                batch_id=batch.pk,
                language=translation.get_language(),
            )
        return batch
    table = _read_table(data)
    return ImportBatch.objects.create(
        unit=unit,
        created_by=created_by,
        file_name=file_name or "roster",
        **_preview_fields(acting_user=acting_user, unit=unit, table=table),
    )


def _preview_fields(
    *, acting_user: AnyUser, unit: Unit, table: _Table, seconds: float | None = None
) -> dict[str, Any]:
    """The preview of a table read from a file: the batch's fields, status ``preview``."""
    ctx = _Context(user=acting_user, unit=unit, units=_Units(unit), headers=table.layout.headers)
    errors: list[dict[str, Any]] = [
        {"row": 0, "column": header, "message": str(message), "notice": True}
        for header, message in table.layout.notices
    ]
    entries: list[tuple[dict[str, Any], list[_Issue]]] = []
    for number, cells in table.rows:
        row, issues = _parse_row(cells, ctx, table.layout)
        row["row"] = number
        entries.append((row, issues))
    _mark_duplicates(entries, ctx)
    good: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    # Rows are checked by the real services in savepoints that are rolled back, a few
    # hundred per transaction so a long file never holds the database for long. Past
    # DRY_RUN_SECONDS the rest are only matched (the services check them when applied),
    # so that a very long file still gets its preview within one request. A row with
    # problems is still matched, so that every problem it has is reported at once.
    deadline = time.monotonic() + (DRY_RUN_SECONDS if seconds is None else seconds)
    checked_in_full = 0
    parsed = [row for row, issues in entries if not issues]
    for start in range(0, len(entries), DRY_RUN_CHUNK):
        chunk = entries[start : start + DRY_RUN_CHUNK]
        mode = DRY_RUN if time.monotonic() < deadline else CHECK
        with transaction.atomic():
            ctx.prefetch([row for row, _issues in chunk if row.get("name")])
            for row, issues in chunk:
                if issues:
                    errors.extend(_all_problems(row, issues, ctx))
                    continue
                outcome, problems = _try_row(row, ctx, seen, mode=mode)
                if outcome is None:
                    errors.extend(problems)
                else:
                    row["expect"] = outcome  # shown on the preview; re-checked when applied
                    good.append(row)
                if mode == DRY_RUN:
                    checked_in_full += 1
    if checked_in_full < len(parsed):
        errors.append(
            {
                "row": 0,
                "column": "",
                "message": _(
                    "The file is long: %(checked)d of %(total)d rows were checked in full "
                    "now; the others are checked as they are imported."
                )
                % {"checked": checked_in_full, "total": len(parsed)},
                "notice": True,
            }
        )
    errors.sort(key=lambda e: e["row"])
    return {
        "status": ImportStatus.PREVIEW,
        "rows": good,
        "errors": errors,
        "total": len(good),
        "source": _source(table),
        "extra_columns": list(table.layout.extras.values()),
    }


def read_import(*, batch_id: int, language: str | None = None) -> None:
    """Read a large file into its preview (background task).

    The file is read in a child process with a memory and CPU limit
    (``sandbox.read_table_limited``); a refusal or a limit reached ends the batch as failed
    with the reason in the officer's language. The file's bytes are dropped either way.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        batch = (
            ImportBatch.objects.select_related("unit", "created_by")
            .filter(pk=batch_id, status=ImportStatus.READING)
            .first()
        )
        if batch is None:
            return  # read already, or expired
        data = bytes(batch.upload)
        user = batch.created_by
        try:
            if user is None or not has_unit_perm(
                user=user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit
            ):
                raise ValidationError(
                    _("The person who started this import no longer manages this unit.")
                )
            table = read_table_limited(data, language=translation.get_language())
            del data
            fields = _preview_fields(
                acting_user=user, unit=batch.unit, table=table, seconds=BACKGROUND_DRY_RUN_SECONDS
            )
        except ValidationError as exc:
            failure = " ".join(exc.messages)
        except Exception as exc:
            logger.exception("reading roster import %s failed", batch_id)
            failure = _(
                "The file could not be read because of an unexpected error (%(error)s)."
            ) % {"error": type(exc).__name__}
        else:
            ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READING).update(
                **fields, upload=b"", updated_at=timezone.now()
            )
            return
        ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READING).update(
            status=ImportStatus.FAILED, failure=failure, upload=b"", updated_at=timezone.now()
        )


def _mark_duplicates(entries: list[tuple[dict[str, Any], list[_Issue]]], ctx: _Context) -> None:
    """A row repeating an earlier row of the file (same ID number, or same unit, name and
    birth date; for rows with neither, same unit, name and phone) gets a problem naming
    that row, whether or not the earlier row is refused."""
    first: dict[tuple[Any, ...], tuple[int, str]] = {}
    for row, issues in entries:
        id_number = row.get("id_number", "")
        id_number = "" if "*" in id_number else id_number
        keys: list[tuple[Any, ...]] = [("id", id_number)] if id_number else []
        if name := row.get("name"):
            unit = row.get("unit_code") or ctx.unit.code
            if row.get("birth_date"):
                keys.append(("born", unit, name, row["birth_date"]))
            elif not id_number:
                keys.append(("who", unit, name, row.get("phone", "")))
        for key in keys:
            earlier = first.get(key)
            if earlier is None or (
                key[0] != "id" and id_number and earlier[1] not in ("", id_number)
            ):
                continue  # not seen, or the same name and date under two ID numbers
            issues.append(
                _Issue(
                    "id_number" if key[0] == "id" else "name",
                    _("The same person is already on row %(row)d of this file.")
                    % {"row": earlier[0]},
                )
            )
            break
        for key in keys:
            first.setdefault(key, (row["row"], id_number))


def _all_problems(row: dict[str, Any], issues: list[_Issue], ctx: _Context) -> list[dict[str, Any]]:
    """Every problem of a refused row: its own, then what matching it finds (a masked number
    for a new person, several people it could be, a person outside reach)."""
    problems = [_issue_problem(ctx, row, issue) for issue in issues]
    if row.get("name"):
        _outcome, more = _try_row(row, ctx, {}, mode=CHECK)
        said = {(p["column"], p["message"]) for p in problems}
        problems += [p for p in more if (p["column"], p["message"]) not in said]
    return problems


def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return _text(value)


def _source(table: _Table) -> dict[str, Any]:
    """The file as read, for the copy with a 问题 column: one header row, the data rows
    (without the empty cells at their ends, so the 问题 column follows the last used one)."""
    titles = table.layout.titles
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in table.rows:
        values = [_json_cell(c) for c in cells]
        while values and values[-1] in (None, ""):
            values.pop()
        rows.append((number, values))
    width = max([len(values) for _n, values in rows] + [max(titles, default=-1) + 1])
    return {"header": [titles.get(i, "") for i in range(width)], "rows": rows}


def import_previews_expire(*, acting_user: Actor, now: dt.datetime | None = None) -> int:
    """Delete previews never confirmed within ``IMPORT_PREVIEW_HOURS``; how many went.

    A file still waiting to be read after as long (its worker died) goes too.

    Confirmed batches (running, done, failed) are never touched.
    """
    if not is_system(acting_user):
        raise NotFound
    cutoff = (now or timezone.now()) - dt.timedelta(hours=IMPORT_PREVIEW_HOURS)
    with transaction.atomic():
        stale = list(
            ImportBatch.objects.select_for_update(of=("self",))
            .filter(status__in=STALE, created_at__lt=cutoff)
            .select_related("unit")
            .defer("rows", "errors", "source", "upload")
        )
        for batch in stale:
            audit_record(
                actor=None,
                action=AuditAction.DELETE,
                obj=batch,
                unit=batch.unit,
                note=_("roster preview expired unconfirmed"),
            )
        ImportBatch.objects.filter(pk__in=[b.pk for b in stale], status__in=STALE).delete()
    return len(stale)


@transaction.atomic
def import_confirm(
    *, acting_user: AnyUser, batch: ImportBatch, keep_columns: Collection[str] | None = None
) -> ImportBatch:
    """Start applying a previewed batch in the background.

    ``keep_columns``: the extra columns to keep as other information (the ones the
    officer left ticked); None keeps them all.
    """
    try:
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=batch.pk)
        )
    except ImportBatch.DoesNotExist as exc:  # an expired preview deleted meanwhile
        raise NotFound from exc
    if not has_unit_perm(user=acting_user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit):
        raise NotFound
    if batch.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import has already been confirmed."), code="not_preview")
    if batch.is_expired:
        raise ValidationError(
            _("This preview is more than a day old: read the file again."), code="expired"
        )
    if not batch.rows:
        raise ValidationError(_("The file has no good row to import."), code="empty")
    if keep_columns is not None:
        kept = [c for c in batch.extra_columns if c in set(keep_columns)]
        for row in batch.rows:
            extra = {k: v for k, v in row.pop("extra", {}).items() if k in kept}
            if extra:
                row["extra"] = extra
        batch.extra_columns = kept
    batch.status = ImportStatus.RUNNING
    batch.processed = 0
    batch.save(update_fields=["status", "processed", "rows", "extra_columns", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.IMPORT,
        obj=batch,
        unit=batch.unit,
        changes={"rows": [None, batch.total]},
        note=batch.file_name,
    )
    enqueue(
        "nutag.people.importing.apply_import",
        batch_id=batch.pk,
        language=translation.get_language(),
    )
    return batch


def apply_import(*, batch_id: int, language: str | None = None) -> None:
    """Apply a confirmed batch (background task): every good row in its own transaction."""
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            _apply(batch_id)
        except Exception as exc:
            logger.exception("roster import %s failed", batch_id)
            ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.RUNNING).update(
                status=ImportStatus.FAILED,
                failure=_("The import stopped because of an unexpected error (%(error)s).")
                % {"error": type(exc).__name__},
                updated_at=timezone.now(),
            )


def _apply(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("unit", "created_by").get(pk=batch_id)
    if batch.status != ImportStatus.RUNNING:
        return
    user = batch.created_by
    if user is None or not has_unit_perm(user=user, perm=Perm.CHANGE_PEOPLE, unit=batch.unit):
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            failure=_("The person who started this import no longer manages this unit."),
            updated_at=timezone.now(),
        )
        return
    ctx = _Context(user=user, unit=batch.unit, units=_Units(batch.unit), headers={})
    errors = list(batch.errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    seen: dict[tuple[Any, ...], int] = {}

    def save_progress(processed: int, **extra: Any) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            processed=processed,
            created_count=counts["created"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            errors=sorted(errors, key=lambda e: e["row"]),
            updated_at=timezone.now(),
            **extra,
        )

    processed = 0
    for processed, row in enumerate(batch.rows, start=1):
        if processed % DRY_RUN_CHUNK == 1:
            ctx.prefetch(batch.rows[processed - 1 : processed - 1 + DRY_RUN_CHUNK])
        try:
            outcome, problems = _try_row(row, ctx, seen, mode=SAVE)
        except Exception:
            logger.exception("roster import %s: row %s", batch.pk, row.get("row"))
            outcome, problems = None, [_problem(ctx, row["row"], "", _("Could not be saved."))]
        if outcome is None:
            errors.extend(problems)
        else:
            counts[outcome] += 1
        if processed % PROGRESS_STEP == 0:
            save_progress(processed)
    save_progress(batch.total, status=ImportStatus.DONE)
