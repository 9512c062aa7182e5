"""Roster import: read a spreadsheet, preview it, then apply it in the background.

``import_parse`` reads the upload (.xlsx, .xls or .csv in UTF-8, UTF-8 with BOM or
GB18030), finds the header row among the first rows (title rows and merged two-row headers
are fine), turns each line into a normalised row and checks it by running the very
services a real import runs, inside a savepoint that is rolled back: the preview shows the
errors the real run would raise, one message per bad row and column. ``import_confirm``
starts ``apply_import`` in the background, which saves every good row in its own
transaction, advances ``processed`` and never lets one bad row stop the rest.

Matching, so that importing the same file twice adds nobody:

- by ID number when the row has one (a person outside the importer's units is a row
  error that names nobody);
- else by home unit + name + (phone or birth date); failing that, the one person of that
  name in the unit stored without phone and birth date (so a roster first typed with names
  only can be completed later); a row with only a name matches the one person of that
  name in the unit.

A blank cell, or a column the file lacks, keeps what is stored: an import never erases
(clear a value in the person's form). A masked number (with ``*``, as an export for an
officer writes it) also keeps what is stored. Spreadsheets use Chinese headers whatever
the UI language; see ``nutag.people.columns``.

The code lives in submodules: ``reading`` (file formats, decoding, the header, the table),
``cells`` (cell parsers), ``rows`` (row parsing, matching, merging, saving, the dry run),
``services`` (``import_parse``, ``read_import``, ``import_confirm``, ``apply_import``),
``sandbox`` (a large file is read in a child process with a memory limit) and ``selectors``
(``access_import_batch``, ``import_batches_of_unit``, ``batch_report``, ``problem_text``).
The names below are re-exported so ``nutag.people.importing.<name>`` keeps working; to
patch a setting such as ``DRY_RUN_SECONDS`` in a test, patch it in the submodule that
reads it (``nutag.people.importing.services``).
"""

from __future__ import annotations

from .cells import PARSERS
from .reading import (
    ALLOWED_EXTENSIONS,
    HEADER_SEARCH_ROWS,
    MAX_SHEETS,
    XLS_MAGIC,
    XLSX_MAGIC,
    Cell,
)
from .rows import CHECK, DRY_RUN, SAVE, person_input_of
from .selectors import (
    SHOWN_ERRORS,
    BatchReport,
    access_import_batch,
    batch_report,
    import_batches_of_unit,
    problem_text,
    problems_of_rows,
)
from .services import (
    DRY_RUN_CHUNK,
    DRY_RUN_SECONDS,
    PROGRESS_STEP,
    apply_import,
    import_confirm,
    import_parse,
    import_previews_expire,
    read_import,
)

__all__ = [
    "ALLOWED_EXTENSIONS",
    "CHECK",
    "DRY_RUN",
    "DRY_RUN_CHUNK",
    "DRY_RUN_SECONDS",
    "HEADER_SEARCH_ROWS",
    "MAX_SHEETS",
    "PARSERS",
    "PROGRESS_STEP",
    "SAVE",
    "SHOWN_ERRORS",
    "XLSX_MAGIC",
    "XLS_MAGIC",
    "BatchReport",
    "Cell",
    "access_import_batch",
    "apply_import",
    "batch_report",
    "import_batches_of_unit",
    "import_confirm",
    "import_parse",
    "import_previews_expire",
    "person_input_of",
    "problem_text",
    "problems_of_rows",
    "read_import",
]
