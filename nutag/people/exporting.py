"""Spreadsheets out: the people roster (the writer itself is ``nutag.core.xlsx``).

The roster uses the same Chinese headers the importer reads (``nutag.people.columns``),
whatever the UI language, so an exported file imports again without adding anybody.
Phone and ID numbers are masked unless the user's right shows them; the importer reads a
masked number as "keep what is stored".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nutag.core.xlsx import rows_to_xlsx, sheets_to_xlsx
from nutag.orgs.models import Unit
from nutag.orgs.permissions import AnyUser
from nutag.people import columns as cols
from nutag.people.ethnicity import ETHNICITY_ZH
from nutag.people.idcard import checksum_char
from nutag.people.models import ImportBatch, Person
from nutag.people.selectors import people_of_unit, shown_id_number, shown_phone
from nutag.people.services import sensitive_read_log

ROSTER_TITLE = "人员名单"  # sheet title of the roster; spreadsheets speak Chinese


def _yes_no(value: bool) -> str:
    return cols.YES if value else cols.NO


def _role(person: Person, name: str) -> Any:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def person_row(*, user: AnyUser, person: Person, extra: Sequence[str] = ()) -> list[Any]:
    """One roster line, in the order of ``columns.COLUMNS``, then the ``extra`` columns
    (other information, as an imported roster gave it). A date known only to the month
    or year is written as offices write it (1950.05, 1950), and reads back the same."""
    party, care, youth = _role(person, "party"), _role(person, "care"), _role(person, "youth")
    values: dict[str, Any] = {
        "name": person.name,
        "unit": person.unit.name,
        "unit_code": person.unit.code,
        "gender": cols.GENDER_TEXT.get(person.gender, ""),
        "ethnicity": ETHNICITY_ZH.get(person.ethnicity, ""),
        "birth_date": person.birth.spreadsheet_value() if person.birth else None,
        "phone": shown_phone(user=user, person=person),
        "id_number": shown_id_number(user=user, person=person),
        "party": _yes_no(party is not None),
        "joined_on": party.joined.spreadsheet_value() if party and party.joined else None,
        "is_mobile": _yes_no(party.is_mobile) if party else "",
        "current_location": party.current_location if party else "",
        "care": _yes_no(care is not None),
        "elder_category": cols.ELDER_TEXT.get(care.elder_category, "") if care else "",
        "youth": _yes_no(youth is not None),
        "school": youth.school if youth else "",
        "is_resident": _yes_no(person.is_resident),
        "is_retired": _yes_no(person.is_retired),
        "note": person.note,
    }
    stored = person.extra or {}
    return [values[key] for key, _header in cols.COLUMNS] + [stored.get(h, "") for h in extra]


def extra_headers(people: Iterable[Person]) -> list[str]:
    """The other-information columns of ``people``, in the order they first appear."""
    headers: dict[str, None] = {}
    known = set(cols.HEADER.values())
    for person in people:
        for header in person.extra or {}:
            if header not in known:
                headers.setdefault(header, None)
    return list(headers)


def people_to_xlsx(*, user: AnyUser, people: Iterable[Person]) -> bytes:
    """The roster of ``people`` (fetch them with their unit and roles: ``people_of_unit``)."""
    people = list(people)
    extra = extra_headers(people)
    headers = [header for _key, header in cols.COLUMNS] + extra
    rows = (person_row(user=user, person=p, extra=extra) for p in people)
    return rows_to_xlsx(headers=headers, rows=rows, title=ROSTER_TITLE)


def import_problems_xlsx(*, batch: ImportBatch, problems: dict[int, list[str]]) -> bytes:
    """The imported file as read, with a 问题 column on each refused row, so that a clerk
    can correct the rows in their own spreadsheet and import the file again (rows already
    imported are recognised and left unchanged). ``problems``: row number → its problems
    (``importing.problems_of_rows``)."""
    source = batch.source or {}
    header = [*source.get("header", []), cols.PROBLEM_HEADER]
    width = len(header) - 1
    rows = []
    for number, values in source.get("rows", []):
        cells = list(values) + [None] * (width - len(values))
        rows.append([*cells[:width], "；".join(problems.get(number, []))])
    return rows_to_xlsx(headers=header, rows=rows, title=ROSTER_TITLE)


@transaction.atomic
def people_export(*, acting_user: AnyUser, unit: Unit, query: str = "", role: str = "") -> bytes:
    """The roster of ``unit``'s subtree as the people list filters it, with one audit row.

    404 (``Http404``) without the right to view people there. A fixed number of queries,
    however many people.
    """
    people = list(people_of_unit(user=acting_user, unit=unit, query=query, role=role))
    content = people_to_xlsx(user=acting_user, people=people)
    sensitive_read_log(
        acting_user=acting_user,
        people=people,
        unit=unit,
        always=True,
        where=_("roster exported: %(count)d people") % {"count": len(people)},
    )
    return content


def example_id_number() -> str:
    first17 = "15072519600501123"
    return first17 + checksum_char(first17)


def import_template_xlsx(*, unit: Unit) -> bytes:
    """An empty roster with one example row, and a sheet explaining each column."""
    example: dict[str, Any] = {
        "name": "张三",
        "unit": unit.name,
        "unit_code": unit.code,
        "gender": "男",
        "ethnicity": "蒙古族",
        "birth_date": dt.date(1960, 5, 1),
        "phone": "13900000000",
        "id_number": example_id_number(),
        "party": cols.YES,
        "joined_on": dt.date(1985, 7, 1),
        "is_mobile": cols.NO,
        "current_location": "",
        "care": cols.YES,
        "elder_category": "老教师",
        "youth": cols.NO,
        "school": "",
        "is_resident": cols.YES,
        "is_retired": cols.YES,
        "note": "",
    }
    headers = [header for _key, header in cols.COLUMNS]
    h = cols.HEADER
    yes_no = _("是 (yes) or 否 (no)")
    date = _(
        "A date: 1960-05-01, 1960/5/1, 1960年5月1日 or 19600501; or only the month "
        "(1960.05, 1960年5月, 196005) or the year (1960)"
    )
    guide = [
        (h["name"], _("Required.")),
        (h["unit"], _("The unit's name or code; blank means the unit you import for.")),
        (h["unit_code"], _("Optional; when the unit column is filled too, both must agree.")),
        (h["gender"], _("男 (male) or 女 (female)")),
        (h["ethnicity"], _("For example 汉族 or 蒙古族")),
        (h["birth_date"], date),
        (h["phone"], _("An 11-digit mobile number, or a landline number with its area code")),
        (h["id_number"], _("18 characters; format the column as text")),
        (h["party"], yes_no),
        (h["joined_on"], date),
        (h["is_mobile"], yes_no),
        (h["current_location"], _("Where a mobile Party member is now")),
        (h["care"], yes_no),
        (h["elder_category"], "老干部 / 老战士 / 老专家 / 老教师 / 老模范"),
        (h["youth"], yes_no),
        (h["school"], _("The young person's school")),
        (h["is_resident"], yes_no),
        (h["is_retired"], yes_no),
        (h["note"], ""),
        ("", _("Delete the example row before importing.")),
        ("", _("A blank cell never erases what is stored.")),
        ("", _("Importing the same file again adds nobody twice.")),
        ("", _("Other columns (籍贯, 微信号 …) are kept as each person's other information.")),
    ]
    return sheets_to_xlsx(
        [
            (ROSTER_TITLE, headers, [[example[key] for key, _h in cols.COLUMNS]]),
            (_("How to fill in"), [_("Column"), _("How to fill it in")], guide),
        ]
    )
