"""Hand-made .xls (BIFF8 in an OLE2 compound file) bombs for the import tests.

No .xls writer is a dependency, so the few records the readers need are written here:
a workbook globals substream (BOF, a FONT and the XF records cells point at, a SST of shared
strings, BOUNDSHEET, EOF) and one sheet substream of cells, wrapped in a version-3 compound
file (512-byte sectors, one FAT without extension: files up to about 7 MB).

- ``shared_strings_bomb``: a shared-string table of 1.3 million short strings, each one
  object in memory (the table is read whole when the workbook opens);
- ``cells_bomb``: a sheet of a million numeric cells in MULRK records (six bytes a cell; a
  sheet is read whole);
- ``rows_bomb``: 65,536 rows of one short text cell each (the most a .xls sheet holds).
"""

from __future__ import annotations

import struct
from pathlib import Path

SECTOR = 512
FREE, END, FATSECT = -1, -2, -3


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _unicode(text: str) -> bytes:
    """A BIFF8 string with a 16-bit length, stored as UTF-16 (flag 1)."""
    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def _font() -> bytes:
    name = "Arial"
    return _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
                   + struct.pack("<BB", len(name), 0) + name.encode("latin-1"))  # fmt: skip


def _xf() -> bytes:
    return _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _sst(strings: list[str]) -> bytes:
    """The SST record and its CONTINUE records (8,224 data bytes each; strings whole)."""
    out = []
    data = struct.pack("<II", len(strings), len(strings))
    kind = 0x00FC
    for text in strings:
        piece = struct.pack("<HB", len(text), 0) + text.encode("latin-1")
        if len(data) + len(piece) > 8224:
            out.append(_record(kind, data))
            data, kind = b"", 0x003C
        data += piece
    out.append(_record(kind, data))
    return b"".join(out)


def _workbook(strings: list[str], cells: bytes) -> bytes:
    def globals_(sheet_offset: int) -> bytes:
        name = "Sheet1"
        boundsheet = _record(
            0x0085,
            struct.pack("<IBB", sheet_offset, 0, 0) + struct.pack("<BB", len(name), 0)
            + name.encode("latin-1"),
        )  # fmt: skip
        return (
            _bof(0x0005)
            + _record(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
            + _font() * 5
            + _xf() * 16
            + _sst(strings)
            + boundsheet
            + _record(0x000A, b"")
        )

    size = len(globals_(0))
    sheet = _bof(0x0010) + cells + _record(0x000A, b"")
    return globals_(size) + sheet


def _label(row: int, col: int, text: str) -> bytes:
    return _record(0x0204, struct.pack("<HHH", row, col, 15) + _unicode(text))


def _header() -> bytes:
    return _label(0, 0, "姓名") + _label(0, 1, "性别")


def _compound(stream: bytes) -> bytes:
    """A version-3 compound file holding ``stream`` as "Workbook"."""
    size = len(stream)
    stream += b"\0" * (-len(stream) % SECTOR)
    n_stream = len(stream) // SECTOR
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_stream + 1 + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("too large for a FAT without extension")
    fat = [FATSECT] * n_fat + [END]  # the FAT sectors, then the directory
    first = n_fat + 1
    fat += [first + i + 1 for i in range(n_stream - 1)] + [END]
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<iiiiiiiii", 0, n_fat, n_fat, 0, 4096, END, 0, END, 0)
        + struct.pack("<109i", *(list(range(n_fat)) + [FREE] * (109 - n_fat)))
    )

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<iii", -1, -1, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<iII", start, length, 0)
        )

    directory = (
        entry("Root Entry", 5, 1, END, 0)
        + entry("Workbook", 2, -1, first, size)
        + entry("", 0, -1, 0, 0) * 2
    )
    return header + struct.pack(f"<{len(fat)}i", *fat) + directory + stream


def shared_strings_bomb(path: Path) -> Path:
    strings = [f"{a}{b}" for a in range(100) for b in range(13_000)]  # 1.3 million
    strings = [s[-2:] for s in strings]
    path.write_bytes(_compound(_workbook(strings, _header())))
    return path


def cells_bomb(path: Path) -> Path:
    rk = struct.pack("<HI", 15, (1 << 2) | 2)  # xf 15, the integer 1
    records = []
    per_record = (8224 - 6) // 6
    for row in range(1, 4_000):
        cells = rk * min(per_record, 255)
        records.append(_record(0x00BD, struct.pack("<HH", row, 0) + cells
                               + struct.pack("<H", min(per_record, 255) - 1)))  # fmt: skip
    path.write_bytes(_compound(_workbook(["x"], _header() + b"".join(records))))
    return path


def rows_bomb(path: Path) -> Path:
    cell = [_record(0x00FD, struct.pack("<HHHI", row, 0, 15, 0)) for row in range(1, 65_536)]
    path.write_bytes(_compound(_workbook(["x"], _header() + b"".join(cell))))
    return path
