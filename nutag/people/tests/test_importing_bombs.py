"""Zip bombs and other oversized rosters are refused before they are unpacked.

Each bomb is read in a fresh Python process (``_measure``), which reports the growth of its
peak resident memory over its size just before: after a normal roster was read, the peak
(``VmHWM``) is reset through ``/proc/self/clear_refs``, so the figure is the bomb's alone.
No wall-clock assertions.

Two ways of reading are measured: ``direct``, the reader itself in the process (the way a
file up to ``NUTAG_IMPORT_BACKGROUND_BYTES`` is read during the upload), and ``upload``, the
way the upload reads a file of that size (a larger file in the background: the worker
hands it to a child process with a memory limit, ``importing/sandbox.py``; the figure is
then the worker's growth, and the child's own peak is printed).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from nutag.core.archives import ZipLimits, check_zip
from nutag.people.tests import xls_bombs

LIMIT_MB = 100
GIB = 1024**3
CHUNK = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]

XML = '<?xml version="1.0" encoding="UTF-8"?>'
OOXML = "http://schemas.openxmlformats.org"
PACKAGE = f"{OOXML}/package/2006"
MAIN = f"{OOXML}/spreadsheetml/2006/main"
RELATION = f"{OOXML}/officeDocument/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _override(part: str, kind: str) -> str:
    return f'<Override PartName="{part}" ContentType="{SPREADSHEET}.{kind}+xml"/>'


def _relation(rid: str, kind: str, target: str) -> str:
    return f'<Relationship Id="{rid}" Type="{RELATION}/{kind}" Target="{target}"/>'


RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
CONTENT_TYPES = (
    f'{XML}<Types xmlns="{PACKAGE}/content-types">'
    f'<Default Extension="rels" ContentType="{RELS_TYPE}"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + _override("/xl/workbook.xml", "sheet.main")
    + _override("/xl/worksheets/sheet1.xml", "worksheet")
    + _override("/xl/sharedStrings.xml", "sharedStrings")
    + "</Types>"
)
RELS = (
    f'{XML}<Relationships xmlns="{PACKAGE}/relationships">'
    + _relation("rId1", "officeDocument", "xl/workbook.xml")
    + "</Relationships>"
)
WORKBOOK = (
    f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{RELATION}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'{XML}<Relationships xmlns="{PACKAGE}/relationships">'
    + _relation("rId1", "worksheet", "worksheets/sheet1.xml")
    + _relation("rId2", "sharedStrings", "sharedStrings.xml")
    + "</Relationships>"
)
SHEET_HEAD = (
    f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>性别</t></is></c></row>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def cell_bomb(path: Path) -> Path:
    """One cell whose text unpacks to 1 GiB."""
    head = (SHEET_HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode()
    _book_with_tail(
        path,
        "xl/worksheets/sheet1.xml",
        head,
        b"A" * CHUNK,
        GIB // CHUNK,
        b"</t></is></c></row>" + SHEET_TAIL.encode(),
    )
    return path


def shared_string_bomb(path: Path) -> Path:
    """One shared string that unpacks to 1 GiB, used by a cell."""
    head = f'{XML}<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    sheet = (SHEET_HEAD + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + SHEET_TAIL).encode()
    _book_with_tail(
        path,
        "xl/sharedStrings.xml",
        head,
        b"B" * CHUNK,
        GIB // CHUNK,
        b"</t></si></sst>",
        sheet=sheet,
    )
    return path


def rows_bomb(path: Path) -> Path:
    """15 million rows (no row numbers: each counts as the next) in a file of a few MB."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    per_chunk = 20_000
    head = SHEET_HEAD.encode()
    _book_with_tail(
        path,
        "xl/worksheets/sheet1.xml",
        head,
        row * per_chunk,
        15_000_000 // per_chunk,
        SHEET_TAIL.encode(),
    )
    return path


def _book_with_tail(path: Path, name: str, head: bytes, chunk: bytes, count: int, tail: bytes,
                    sheet: bytes | None = None) -> None:  # fmt: skip
    parts: dict = {
        "[Content_Types].xml": [CONTENT_TYPES.encode()],
        "_rels/.rels": [RELS.encode()],
        "xl/workbook.xml": [WORKBOOK.encode()],
        "xl/_rels/workbook.xml.rels": [WORKBOOK_RELS.encode()],
        "xl/worksheets/sheet1.xml": [sheet or (SHEET_HEAD + SHEET_TAIL).encode()],
        "xl/sharedStrings.xml": [
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
        ],
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for part, pieces in parts.items():
            with archive.open(part, "w", force_zip64=True) as member:
                if part == name:
                    member.write(head)
                    for _ in range(count):
                        member.write(chunk)
                    member.write(tail)
                else:
                    for piece in pieces:
                        member.write(piece)


def csv_rows_bomb(path: Path) -> Path:
    """Ten megabytes of three-character lines: 3.3 million rows of plain text."""
    path.write_bytes("姓名,性别\n".encode() + b"ab\n" * 3_300_000)
    return path


def csv_cell_bomb(path: Path) -> Path:
    """One quoted cell of 9 MB."""
    path.write_bytes("姓名,性别\n".encode() + b'"' + b"C" * (9 * CHUNK) + b'",x\n')
    return path


MEASURE = r"""
import json, logging, sys
import django
django.setup()
from django.conf import settings
from django.core.exceptions import ValidationError
from nutag.people.importing.reading import _read_table
from nutag.people.importing.sandbox import read_table_limited

child_peaks = []


class Peaks(logging.Handler):
    def emit(self, record):
        child_peaks.append(getattr(record, "peak_mb", None))


logging.getLogger("nutag.people.importing.sandbox").addHandler(Peaks())
logging.getLogger("nutag.people.importing.sandbox").setLevel(logging.INFO)


def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])  # kB


warm = open(sys.argv[2], "rb").read()
_read_table(warm)  # imports and first-use caches, outside the measure
data = open(sys.argv[1], "rb").read()
read = _read_table
if sys.argv[3] == "upload" and len(data) > settings.NUTAG_IMPORT_BACKGROUND_BYTES:
    read = lambda data: read_table_limited(data, language="en")
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # reset the peak (VmHWM) to the present size
before = status("VmRSS")
code, rows = None, None
try:
    rows = len(read(data).rows)
except ValidationError as exc:
    code = getattr(exc, "code", None)
after = status("VmHWM")
print(json.dumps({"growth_mb": (after - before) / 1024, "code": code, "rows": rows,
                  "child_mb": child_peaks[0] if child_peaks else None}))
"""


def _measure(path: Path, warm: Path, mode: str = "direct") -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", MEASURE, str(path), str(warm), mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("warm") / "roster.xlsx"
    sheet = (SHEET_HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>巴特尔</t></is></c></row>'
             + SHEET_TAIL).encode()  # fmt: skip
    _book_with_tail(path, "xl/worksheets/sheet1.xml", sheet, b"", 0, b"", sheet=sheet)
    return path


BOMBS = {
    "cell_bomb.xlsx": (cell_bomb, "archive_bomb"),
    "shared_string_bomb.xlsx": (shared_string_bomb, "archive_bomb"),
    "rows_bomb.xlsx": (rows_bomb, "archive_bomb"),
    "rows_bomb.csv": (csv_rows_bomb, "too_many_rows"),
    "cell_bomb.csv": (csv_cell_bomb, "unreadable"),
}
# .xls files hold no compressed data: a sheet and the shared strings are read whole, so a
# file of a few MB can still take a hundred MB to read. Refused or read, what matters is
# the memory: the worker's stays low, the child's stays under its limit.
XLS_BOMBS = {
    "shared_strings_bomb.xls": (xls_bombs.shared_strings_bomb, None),
    "cells_bomb.xls": (xls_bombs.cells_bomb, None),
    "rows_bomb.xls": (xls_bombs.rows_bomb, "too_many_rows"),
}
CASES = [(name, "direct") for name in BOMBS] + [(name, "upload") for name in [*BOMBS, *XLS_BOMBS]]


@pytest.fixture(scope="module")
def bomb_files(tmp_path_factory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """Each bomb made once for the module (the .xlsx ones compress a gigabyte)."""
    return {"_dir": tmp_path_factory.mktemp("bombs")}


@pytest.mark.parametrize(("name", "mode"), CASES)
def test_a_bomb_is_refused_and_the_peak_memory_stays_low(bomb_files, warm, name, mode):
    make, code = {**BOMBS, **XLS_BOMBS}[name]
    if name not in bomb_files:
        bomb_files[name] = make(bomb_files["_dir"] / name)
    path = bomb_files[name]
    assert path.stat().st_size < 10 * CHUNK  # within the upload limit: only the guards stop it
    assert path.stat().st_size > 256 * 1024  # read in the background when uploaded
    result = _measure(path, warm, mode)
    size = path.stat().st_size / CHUNK
    print(  # noqa: T201
        f"{name} ({mode}): {size:.1f} MB file, peak growth {result['growth_mb']:.1f} MB, "
        f"child peak {result['child_mb']} MB, refused: {result['code']}, rows {result['rows']}"
    )
    assert result["code"] == code
    assert result["growth_mb"] < LIMIT_MB
    if mode == "upload":
        assert result["child_mb"] is not None  # read by the child
        assert result["child_mb"] < 160 + 384  # its start-up size plus its limit


def test_the_warm_roster_reads(warm):
    from nutag.people.importing.reading import _read_table

    table = _read_table(warm.read_bytes())
    assert [row[1][0] for row in table.rows] == ["巴特尔"]


def test_check_zip_refuses_too_many_members_and_oversized_ones():
    def archive(members: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return out.getvalue()

    limits = ZipLimits(max_members=3, max_member_bytes=1000, max_total_bytes=1500, max_ratio=10)
    with pytest.raises(ValidationError) as info:
        check_zip(archive({f"{i}.xml": b"x" for i in range(4)}), limits)
    assert info.value.code == "archive_bomb"
    with pytest.raises(ValidationError):
        check_zip(archive({"a.xml": b"x" * 1001}), limits)
    with pytest.raises(ValidationError):
        check_zip(archive({"a.xml": b"x" * 800, "b.xml": b"y" * 800}), limits)
    # a ratio above the limit counts only past 1 MB unpacked
    with pytest.raises(ValidationError):
        check_zip(archive({"a.xml": b"z" * (2 * CHUNK)}), ZipLimits(max_ratio=10))
    check_zip(archive({"a.xml": b"x" * 900}), limits)  # within every limit
    check_zip(b"not a zip at all", limits)  # left to the reader to call unreadable


def test_one_long_shared_string_in_many_cells_is_refused_before_it_is_copied(tmp_path):
    """A small .xlsx whose cells all point at one 2,000-character shared string (within
    every limit of the archive): kept as rows (then as the preview's JSON) each cell would
    become its own copy."""
    from nutag.people.importing.reading import MAX_TABLE_CHARS, _read_table

    sst = f'{XML}<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{"长" * 2000}</t></si></sst>'
    row = '<row><c t="inlineStr"><is><t>巴特尔</t></is></c><c t="s"><v>0</v></c></row>'
    sheet = SHEET_HEAD + row * (MAX_TABLE_CHARS // 2000 + 10) + SHEET_TAIL
    path = tmp_path / "shared.xlsx"
    _book_with_tail(path, "xl/sharedStrings.xml", sst.encode(), b"", 0, b"", sheet=sheet.encode())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ValidationError) as info:
        _read_table(path.read_bytes())
    assert info.value.code == "too_much_text"
