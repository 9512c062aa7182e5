"""Zip bombs and other oversized rosters are refused before they are unpacked.

Each bomb is read in a fresh Python process (``_measure``), which reports the growth of its
peak resident memory over its size just before: after a normal roster was read, the peak
(``VmHWM``) is reset through ``/proc/self/clear_refs``, so the figure is the bomb's alone.
No wall-clock assertions.
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
import json, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from nutag.people.importing.reading import _read_table


def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])  # kB


warm = open(sys.argv[2], "rb").read()
_read_table(warm)  # imports and first-use caches, outside the measure
data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # reset the peak (VmHWM) to the present size
before = status("VmRSS")
code, rows = None, None
try:
    rows = len(_read_table(data).rows)
except ValidationError as exc:
    code = exc.code
after = status("VmHWM")
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
    size = path.stat().st_size / CHUNK
    print(f"{name}: {size:.1f} MB file, peak growth {result['growth_mb']:.1f} MB")  # noqa: T201
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
