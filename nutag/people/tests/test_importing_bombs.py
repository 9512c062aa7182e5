"""Zip bombs and other oversized rosters are refused before they are unpacked.

Each bomb is read in a fresh Python process (``_measure``), which reports the growth of its
peak resident memory (``ru_maxrss``) over a baseline taken after a normal roster was read,
so the figure is the bomb's alone. No wall-clock assertions.
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

LIMIT_MB = 100
GIB = 1024**3
CHUNK = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>性别</t></is></c></row>'
)
SHEET_TAIL = "</sheetData></worksheet>"




def cell_bomb(path: Path) -> Path:
    """One cell whose text unpacks to 1 GiB."""
    head = (SHEET_HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode()
    _book_with_tail(path, "xl/worksheets/sheet1.xml", head, b"A" * CHUNK, GIB // CHUNK,
                    b"</t></is></c></row>" + SHEET_TAIL.encode())
    return path


def shared_string_bomb(path: Path) -> Path:
    """One shared string that unpacks to 1 GiB, used by a cell."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    sheet = (SHEET_HEAD + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + SHEET_TAIL).encode()
    _book_with_tail(path, "xl/sharedStrings.xml", head, b"B" * CHUNK, GIB // CHUNK,
                    b"</t></si></sst>", sheet=sheet)
    return path


def rows_bomb(path: Path) -> Path:
    """15 million rows (no row numbers: each counts as the next) in a file of a few MB."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    per_chunk = 20_000
    head = SHEET_HEAD.encode()
    _book_with_tail(path, "xl/worksheets/sheet1.xml", head, row * per_chunk,
                    15_000_000 // per_chunk, SHEET_TAIL.encode())
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
import json, os, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from nutag.people.importing.reading import _read_table
warm = open(sys.argv[2], "rb").read()
_read_table(warm)  # imports and first-use caches, outside the measure
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
code, rows = None, None
try:
    rows = len(_read_table(data).rows)
except ValidationError as exc:
    code = exc.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_mb": (after - before) / 1024, "code": code, "rows": rows}))
"""


def _measure(path: Path, warm: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", MEASURE, str(path), str(warm)],
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


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_bomb_is_refused_and_the_peak_memory_stays_low(tmp_path, warm, name):
    make, code = BOMBS[name]
    path = make(tmp_path / name)
    assert path.stat().st_size < 10 * CHUNK  # within the upload limit: only the guards stop it
    result = _measure(path, warm)
    print(f"{name}: {path.stat().st_size / CHUNK:.1f} MB file, peak growth {result['growth_mb']:.1f} MB")
    assert result["code"] == code
    assert result["growth_mb"] < LIMIT_MB


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
