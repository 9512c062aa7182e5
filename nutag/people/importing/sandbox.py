"""Reading a large roster file in a child process with a memory limit.

``read_table_limited(data, language=...)`` runs ``_read_table`` in a fresh Python process
(``CHILD``) whose address space is capped
(``RLIMIT_AS``: its size after start-up plus ``NUTAG_IMPORT_READ_MEMORY_MB``) and whose CPU
time is capped (``NUTAG_IMPORT_READ_SECONDS``). The readers hold a whole .xls sheet (and its
shared strings) in memory, so a crafted file can need far more memory than its size; in the
child such a file ends in ``MemoryError`` or the child's death, never in a worker or web
process grown by gigabytes. The child touches no database: it gets the file on its stdin
and answers one JSON document on its stdout — the table (cells tagged by type), or the
refusal (``ValidationError`` messages in the user's language).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .reading import _Layout, _Table

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[3]  # where ``nutag`` and ``config`` are imported from
EXIT_OK = 0
# The child sets Django up before it imports the reader (the package imports models).
CHILD = (
    "import sys, django; django.setup(); "
    "from nutag.people.importing.sandbox import child; "
    "sys.exit(child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))"
)


def too_much_to_read() -> ValidationError:
    return ValidationError(
        _(
            "This file needs more memory or time to read than the server allows for one "
            "file. Split it into smaller files, or save it again from Excel or WPS as .xlsx, "
            "and choose it again."
        ),
        code="too_much_to_read",
    )


# --------------------------------------------------------------------------- the table as JSON


def _cell_out(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"time": value.isoformat()}
    return str(value)


def _cell_in(value: Any) -> Any:
    if isinstance(value, dict):
        if "datetime" in value:
            return dt.datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        if "time" in value:
            return dt.time.fromisoformat(value["time"])
        return None
    return value


def table_to_json(table: _Table) -> dict[str, Any]:
    layout = table.layout
    return {
        "columns": list(layout.columns.items()),
        "headers": layout.headers,
        "notices": layout.notices,
        "data_start": layout.data_start,
        "extras": list(layout.extras.items()),
        "titles": list(layout.titles.items()),
        "rows": [(n, [_cell_out(c) for c in cells]) for n, cells in table.rows],
    }


def table_from_json(data: dict[str, Any]) -> _Table:
    layout = _Layout(
        columns={int(i): str(k) for i, k in data["columns"]},
        headers={str(k): str(v) for k, v in data["headers"].items()},
        notices=[(str(h), str(m)) for h, m in data["notices"]],
        data_start=int(data["data_start"]),
        extras={int(i): str(t) for i, t in data["extras"]},
        titles={int(i): str(t) for i, t in data["titles"]},
    )
    rows = [(int(n), [_cell_in(c) for c in cells]) for n, cells in data["rows"]]
    return _Table(layout=layout, rows=rows)


# --------------------------------------------------------------------------- the parent


def read_table_limited(data: bytes, *, language: str) -> _Table:
    """``_read_table(data)`` in a child process with a memory and CPU limit.

    Raises the reader's own ``ValidationError`` (unreadable, no header, too many rows …),
    or ``too_much_to_read()`` when the child hit a limit or died.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        "NUTAG_IMPORT_MAX_ROWS": str(settings.NUTAG_IMPORT_MAX_ROWS),
    }
    command = [
        sys.executable,
        "-c",
        CHILD,
        language,
        str(settings.NUTAG_IMPORT_READ_MEMORY_MB),
        str(settings.NUTAG_IMPORT_READ_SECONDS),
    ]
    try:
        done = subprocess.run(  # noqa: S603 (our own module, no shell)
            command,
            input=data,
            capture_output=True,
            cwd=ROOT,
            env=env,
            timeout=settings.NUTAG_IMPORT_READ_SECONDS * 3 + 30,  # CPU limit plus start-up
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        logger.warning("roster reader timed out")
        raise too_much_to_read() from exc
    answer: dict[str, Any] | None = None
    if done.returncode == EXIT_OK:
        try:
            answer = json.loads(done.stdout)
        except ValueError:
            answer = None
    if answer is None:
        logger.warning(
            "roster reader stopped (exit %s): %s",
            done.returncode,
            done.stderr.decode(errors="replace")[-2000:],
        )
        raise too_much_to_read()
    logger.info(
        "roster reader: peak %s MB", answer.get("peak_mb"), extra={"peak_mb": answer.get("peak_mb")}
    )
    if "refused" in answer:
        messages = [str(m) for m in answer["refused"]]
        raise ValidationError(
            messages[0] if len(messages) == 1 else messages, code=answer.get("code")
        )
    return table_from_json(answer["table"])


# --------------------------------------------------------------------------- the child


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def child(language: str, memory_mb: int, seconds: int) -> int:
    """The child's body (see ``CHILD``): read stdin, answer JSON on stdout."""
    import resource

    from django.utils import translation

    from .reading import _read_table

    data = sys.stdin.buffer.read()
    # the answer goes to the real stdout; anything a library prints goes to stderr
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    # the cap counts from the size after start-up: Python, Django and the readers loaded
    limit = _status_kb("VmSize") * 1024 + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    answer: dict[str, Any]
    with translation.override(language):
        try:
            answer = {"table": table_to_json(_read_table(data))}
        except ValidationError as exc:
            answer = {"refused": exc.messages, "code": getattr(exc, "code", None)}
        except MemoryError:
            return 3
    del data
    answer["peak_mb"] = round(_status_kb("VmHWM") / 1024, 1)
    out.write(json.dumps(answer, ensure_ascii=False))
    out.flush()
    return EXIT_OK
