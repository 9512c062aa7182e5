"""Rows: parsing a row, matching it to a stored person, merging, saving, the dry run."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nutag.core.errors import NotFound
from nutag.core.masking import mask_id_number, mask_phone
from nutag.core.text import clean_name, clean_phone
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import AnyUser, Perm, has_unit_perm
from nutag.people import columns as cols
from nutag.people.idcard import id_number_birth_date, id_number_gender, normalize_id_number
from nutag.people.models import PartyMembership, Person, YoungPerson
from nutag.people.partial_dates import DatePrecision, PartialDate, partial_date
from nutag.people.services import (
    CareInput,
    PartyInput,
    PersonInput,
    YouthInput,
    birth_date_from_id,
    person_create,
    person_update,
)

from .cells import PARSERS, _CellError, _RowError
from .reading import Cell, _Layout, _text

# --------------------------------------------------------------------------- rows


class _Units:
    """The units a row may name: the import's unit and every unit below it."""

    def __init__(self, root: Unit) -> None:
        self.root = root
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in Unit.objects.filter(subtree_q(root.path)):
            self.by_code[unit.code] = unit
            self.by_name[clean_name(unit.name)].append(unit)

    def unknown(self) -> _CellError:
        return _CellError(
            _("Unknown unit: write the name or code of %(unit)s or of a unit under it.")
            % {"unit": self.root.name}
        )

    def find(self, text: str, *, code_only: bool = False) -> Unit:
        if text.isdigit():
            unit = self.by_code.get(text)
            if unit is None:
                raise self.unknown()
            return unit
        if code_only:
            raise self.unknown()
        found = self.by_name.get(clean_name(text), [])
        if len(found) > 1:
            found = [u for u in found if u.is_active] or found
        if len(found) > 1:
            raise _CellError(_("Several units have this name: write the unit code instead."))
        if not found:
            raise self.unknown()
        return found[0]


# Text columns whose length the models limit: checked on reading, by the models' validators.
_LENGTH_CHECKED = {
    "name": Person._meta.get_field("name"),
    "note": Person._meta.get_field("note"),
    "current_location": PartyMembership._meta.get_field("current_location"),
    "school": YoungPerson._meta.get_field("school"),
}


@dataclasses.dataclass
class _Context:
    user: AnyUser
    unit: Unit
    units: _Units
    headers: dict[str, str]
    # People the rows of the current chunk may match, fetched once per chunk.
    by_id: dict[str, Person] = dataclasses.field(default_factory=dict)
    by_home: dict[tuple[int, str], list[Person]] = dataclasses.field(default_factory=dict)

    def column(self, key: str) -> str:
        """The header of column ``key`` as the file writes it (an extra column's key is
        its header)."""
        return self.headers.get(key) or cols.HEADER.get(key) or key

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        """Fetch the people ``rows`` may match: two queries for the whole chunk."""
        ids = {r["id_number"] for r in rows if r.get("id_number") and not _masked(r["id_number"])}
        self.by_id = {p.id_number: p for p in _PEOPLE.filter(id_number__in=ids)} if ids else {}
        homes: set[int] = set()
        for r in rows:
            unit = self.units.by_code.get(r.get("unit_code", ""))
            homes.add(unit.pk if unit else self.unit.pk)
        names = {r["name"] for r in rows}
        self.by_home = defaultdict(list)
        for person in _PEOPLE.filter(unit_id__in=homes, name__in=names).order_by("pk"):
            self.by_home[(person.unit_id, person.name)].append(person)


@dataclasses.dataclass
class _Issue:
    """One problem of a row: under the column ``key`` ("" for the whole row), with the
    value read from the cell when it is that value that could not be read. ``named``:
    the message names its columns itself (it concerns several)."""

    key: str
    message: str
    value: str = ""
    named: bool = False


MAX_EXTRA_LENGTH = 200


def _shown_value(value: Cell) -> str:
    text = " ".join(_text(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _parse_row(cells: list[Cell], ctx: _Context, layout: _Layout) -> tuple[dict[str, Any], list]:
    """A row as a dict of normalised, JSON-ready values, and every problem it has
    (``_Issue``): each cell that cannot be read and each rule the row breaks."""
    row: dict[str, Any] = {}
    problems: list[_Issue] = []
    for i, key in layout.columns.items():
        value = cells[i] if i < len(cells) else None
        if not _text(value):
            continue
        try:
            parsed = PARSERS[key](value)
        except _CellError as exc:
            # The value read is shown, but never an ID or phone number (the row and name
            # say where it is, and problem lists are not the place for such numbers).
            shown = "" if key in ("id_number", "phone") else _shown_value(value)
            problems.append(_Issue(key, exc.message, shown))
            if key == "name":
                row["name"] = _text(value)
            continue
        if parsed != "" or key == "elder_category":
            row[key] = parsed
    extra: dict[str, str] = {}
    for i, header in layout.extras.items():
        text = " ".join(_text(cells[i]).split()) if i < len(cells) else ""
        if len(text) > MAX_EXTRA_LENGTH:
            problems.append(
                _Issue(
                    header,
                    _("At most %(max)d characters.") % {"max": MAX_EXTRA_LENGTH},
                    _shown_value(text),
                )
            )
        elif text:
            extra[header] = text
    if extra:
        row["extra"] = extra
    for key, field in _LENGTH_CHECKED.items():
        if key in row:
            try:
                field.run_validators(row[key])
            except ValidationError as exc:
                problems.append(_Issue(key, exc.messages[0]))
    if not row.get("name"):
        problems.append(_Issue("name", _("A name is required.")))
    # The unit: by name or code (单位), or by code (单位代码); they must agree.
    try:
        named = ctx.units.find(row.pop("unit")) if "unit" in row else None
    except _CellError as exc:
        problems.append(_Issue("unit", exc.message, _shown_value(_cell(cells, layout, "unit"))))
        named = None
    try:
        coded = ctx.units.find(row["unit_code"], code_only=True) if "unit_code" in row else None
    except _CellError as exc:
        problems.append(_Issue("unit_code", exc.message, row.pop("unit_code")))
        coded = None
    if named and coded and named.pk != coded.pk:
        problems.append(
            _Issue("unit_code", _("This code names another unit than the unit column."))
        )
    elif (target := coded or named) is not None:
        if not target.is_active:
            problems.append(_Issue("unit", _("This unit is closed.")))
        row["unit_code"] = target.code
    # A "no" beside details that say "yes".
    if row.get("party") is False and (
        row.get("joined_on") or row.get("is_mobile") or row.get("current_location")
    ):
        problems.append(_Issue("party", _("Says 否 (no), yet Party details are filled in.")))
    if row.get("care") is False and row.get("elder_category"):
        problems.append(_Issue("care", _("Says 否 (no), yet a five-elder category is filled in.")))
    if row.get("youth") is False and row.get("school"):
        problems.append(_Issue("youth", _("Says 否 (no), yet a school is filled in.")))
    # The birth date against the ID number: a month or a year containing its date agrees.
    id_number, birth = row.get("id_number", ""), row.get("birth_date")
    if birth and id_number and not _masked(id_number):
        born = id_number_birth_date(id_number)
        given = PartialDate.from_iso(birth)
        if born is not None and not given.contains(born):
            problems.append(
                _Issue(
                    "birth_date",
                    _(
                        "The birth date does not match the ID number "
                        "(ID number: %(id)s, in the file: %(given)s)."
                    )
                    % {"id": PartialDate.of(born).cut(given.precision), "given": given},
                    named=True,
                )
            )
    return row, problems


def _cell(cells: list[Cell], layout: _Layout, key: str) -> Cell:
    for i, k in layout.columns.items():
        if k == key:
            return cells[i] if i < len(cells) else None
    return None


def _role(person: Person, name: str) -> Any:
    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def person_input_of(person: Person) -> PersonInput:
    """What is stored about ``person``, as the services take it."""
    party, care, youth = _role(person, "party"), _role(person, "care"), _role(person, "youth")
    return PersonInput(
        name=person.name,
        gender=person.gender,
        ethnicity=person.ethnicity,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        extra=dict(person.extra or {}),
        phone=person.phone,
        id_number=person.id_number,
        is_resident=person.is_resident,
        is_retired=person.is_retired,
        note=person.note,
        party=PartyInput(
            joined_on=party.joined_on,
            joined_on_precision=party.joined_on_precision,
            is_mobile=party.is_mobile,
            current_location=party.current_location,
        )
        if party
        else None,
        care=CareInput(elder_category=care.elder_category, since=care.since) if care else None,
        youth=YouthInput(school=youth.school) if youth else None,
    )


def _masked(value: Any) -> bool:
    return isinstance(value, str) and "*" in value


def _laid_over(given: str, stored: dt.date | None, precision: str | None) -> tuple[dt.date, str]:
    """A row's date over the stored one: a coarser date that contains it (1950-05 over
    1950-05-17) keeps the stored date; any other replaces it."""
    day = PartialDate.from_iso(given)
    if stored is not None:
        kept = PartialDate.of(stored, precision or DatePrecision.DAY)
        if day.contains(kept.first_day) and day.cut(kept.precision) == day:
            return kept.first_day, kept.precision
    return day.first_day, day.precision


def _agree(given: str, stored: dt.date, precision: str) -> bool:
    """Whether a row's date and a stored one may be the same date."""
    day, kept = PartialDate.from_iso(given), PartialDate.of(stored, precision)
    return day.contains(kept.first_day) or kept.contains(day.first_day)


def _merge(row: dict[str, Any], base: PersonInput) -> PersonInput:
    """``base`` with the row's filled-in cells laid over it."""
    data = copy.deepcopy(base)
    data.name = row["name"]
    for key in ("gender", "ethnicity", "is_resident", "is_retired", "note"):
        if key in row:
            setattr(data, key, row[key])
    if "birth_date" in row:
        data.birth_date, data.birth_date_precision = _laid_over(
            row["birth_date"], data.birth_date, data.birth_date_precision
        )
    if row.get("extra"):
        data.extra = {**(data.extra or {}), **row["extra"]}
    for key in ("phone", "id_number"):
        if key in row and not _masked(row[key]):
            setattr(data, key, row[key])

    wants = row.get("party")
    if wants is False:
        data.party = None
    elif (
        wants
        or row.get("joined_on")
        or row.get("is_mobile")
        or row.get("current_location")
        or (data.party is not None)
    ):
        party = data.party or PartyInput()
        if "joined_on" in row:
            party.joined_on, party.joined_on_precision = _laid_over(
                row["joined_on"], party.joined_on, party.joined_on_precision
            )
        if "is_mobile" in row:
            party.is_mobile = row["is_mobile"]
        if "current_location" in row:
            party.current_location = row["current_location"]
        data.party = party

    wants = row.get("care")
    category = row.get("elder_category")
    if wants is False:
        data.care = None
    elif wants or category or data.care is not None:
        care = data.care or CareInput()
        if category is not None:
            care.elder_category = category
        data.care = care

    wants = row.get("youth")
    if wants is False:
        data.youth = None
    elif wants or "school" in row or data.youth is not None:
        youth = data.youth or YouthInput()
        if "school" in row:
            youth.school = row["school"]
        data.youth = youth
    return data


def _settled(data: PersonInput) -> PersonInput:
    """``data`` as the services would store it, to tell an unchanged row."""
    out = copy.deepcopy(data)
    out.name = clean_name(out.name)
    out.phone = clean_phone(out.phone) if out.phone else ""
    out.id_number = normalize_id_number(out.id_number) if out.id_number else ""
    out.note = out.note.strip()
    if out.birth_date is None:
        out.birth_date_precision = DatePrecision.DAY
    out.birth_date_precision = out.birth_date_precision or DatePrecision.DAY
    if out.party is not None:
        out.party.joined_on_precision = (
            out.party.joined_on_precision if out.party.joined_on else DatePrecision.DAY
        ) or DatePrecision.DAY
    out.extra = {k: v for k, v in (out.extra or {}).items() if str(v).strip()}
    if len(out.id_number) == 18 and out.id_number[:17].isdigit():
        birth = partial_date(out.birth_date, out.birth_date_precision)
        with contextlib.suppress(ValidationError):  # a conflict: the service refuses it
            birth = birth_date_from_id(out.id_number, birth)
        if birth is not None:
            out.birth_date, out.birth_date_precision = birth.first_day, birth.precision
        if not out.gender:
            out.gender = id_number_gender(out.id_number)
    out.is_retired = out.is_retired or bool(out.care and out.care.elder_category)
    return out


_PEOPLE = Person.objects.select_related("unit", "party", "care", "youth")


def _match(row: dict[str, Any], ctx: _Context, unit: Unit | None) -> Person | None:
    id_number = row.get("id_number", "")
    if id_number and not _masked(id_number):
        person = ctx.by_id.get(id_number)
        if person is not None:
            if not has_unit_perm(user=ctx.user, perm=Perm.CHANGE_PEOPLE, unit=person.unit):
                raise _RowError(
                    "id_number",
                    _(
                        "This ID number belongs to a person outside the units you manage: "
                        "ask the office above you to move that person here."
                    ),
                )
            return person
    home = unit or ctx.unit
    candidates = list(ctx.by_home.get((home.pk, row["name"]), []))
    if _masked(id_number):
        candidates = [
            c for c in candidates if c.id_number and mask_id_number(c.id_number) == id_number
        ]
    elif id_number:
        candidates = [c for c in candidates if not c.id_number]  # another ID: someone else
    phone, birth = row.get("phone"), row.get("birth_date")
    if phone or birth:

        def same_phone(stored: str) -> bool:
            if _masked(phone):
                return bool(stored) and mask_phone(stored) == phone
            return stored == phone

        same = [
            c
            for c in candidates
            if (phone and same_phone(c.phone))
            or (birth and c.birth_date and _agree(birth, c.birth_date, c.birth_date_precision))
        ]
        # Else someone stored without these details (nothing contradicts): the row adds them.
        candidates = same or [
            c for c in candidates if (not phone or not c.phone) and (not birth or not c.birth_date)
        ]
    if len(candidates) > 1:
        raise _RowError(
            "name",
            _(
                "Several people of %(unit)s match this row: "
                "add the ID number, phone or birth date to tell them apart."
            )
            % {"unit": home.name},
        )
    return candidates[0] if candidates else None


def _save_row(
    row: dict[str, Any], ctx: _Context, seen: dict[tuple[Any, ...], int], *, write: bool = True
) -> str:
    """Create, update or leave one person: 'created', 'updated' or 'unchanged'.

    With ``write=False`` only match and compare, without calling the services.
    """
    unit = None
    if "unit_code" in row:
        unit = ctx.units.by_code.get(row["unit_code"])
        if unit is None:
            raise _RowError("unit", ctx.units.unknown().message)
    person = _match(row, ctx, unit)
    if person is None:
        for key in ("phone", "id_number"):
            if _masked(row.get(key)):
                raise _RowError(
                    key,
                    _("This number is masked (it has *): write it in full, or leave it blank."),
                )
        target = unit or ctx.unit
        data = _merge(row, PersonInput(name=row["name"]))
    else:
        target = unit or person.unit
        data = _merge(row, person_input_of(person))

    settled = _settled(data)
    keys: list[tuple[Any, ...]] = []
    if person is not None:
        keys.append(("person", person.pk))
    if settled.id_number:
        keys.append(("id", settled.id_number))
    if person is None:
        keys.append(("new", target.pk, settled.name, settled.phone, settled.birth_date))
    for dup in keys:
        if dup in seen:
            raise _RowError(
                "id_number" if dup[0] == "id" else "name",
                _("The same person is already on row %(row)d of this file.") % {"row": seen[dup]},
            )

    if person is None:
        if write:
            person_create(acting_user=ctx.user, unit=target, data=data)
        return _seen(row, keys, seen, "created")
    stored = _settled(person_input_of(person))
    if person.unit_id == target.pk and settled == stored:
        row.pop("changes", None)
        return _seen(row, keys, seen, "unchanged")
    row["changes"] = (["unit"] if person.unit_id != target.pk else []) + _changes(settled, stored)
    if write:
        person_update(acting_user=ctx.user, person=person, unit=target, data=data)
    return _seen(row, keys, seen, "updated")


def _seen(
    row: dict[str, Any], keys: list[tuple[Any, ...]], seen: dict[tuple[Any, ...], int], outcome: str
) -> str:
    for dup in keys:
        seen[dup] = row["row"]
    return outcome


_CHANGE_KEYS = {
    "birth_date_precision": "birth_date",
    "care": "care",
    "party": "party",
    "youth": "youth",
    "extra": "extra",
}


def _changes(new: PersonInput, old: PersonInput) -> list[str]:
    """The columns (keys) a row changes, for the preview's list of who changes."""
    keys: list[str] = []
    for field in dataclasses.fields(PersonInput):
        if getattr(new, field.name) != getattr(old, field.name):
            key = _CHANGE_KEYS.get(field.name, field.name)
            if key not in keys:
                keys.append(key)
    return keys


def _problem(
    ctx: _Context,
    row: int,
    key: str,
    message: str,
    *,
    name: str = "",
    value: str = "",
    named: bool = False,
) -> dict[str, Any]:
    problem: dict[str, Any] = {
        "row": row,
        "name": name,
        "column": ctx.column(key) if key else "",
        "message": str(message),
    }
    if value:
        problem["value"] = value
    if named:
        problem["named"] = True
    return problem


def _issue_problem(ctx: _Context, row: dict[str, Any], issue: _Issue) -> dict[str, Any]:
    return _problem(
        ctx,
        row["row"],
        issue.key,
        issue.message,
        name=row.get("name", ""),
        value=issue.value,
        named=issue.named,
    )


def _service_problems(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (cols.FIELD_COLUMN.get(field, ""), str(message))
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", str(message)) for message in exc.messages]


def _outside() -> str:
    return _("This person or unit lies outside the units you manage.")


class _DryRun(Exception):
    """Raised to roll back a row checked for the preview."""


CHECK, DRY_RUN, SAVE = "check", "dry-run", "save"


def _try_row(
    row: dict[str, Any], ctx: _Context, seen: dict[tuple[Any, ...], int], *, mode: str
) -> tuple[str | None, list[dict[str, Any]]]:
    """One row: (outcome, problems).

    ``SAVE`` saves it in its own savepoint; ``DRY_RUN`` runs the services too, then rolls
    back; ``CHECK`` only matches and compares.
    """
    number, name = row["row"], row.get("name", "")
    try:
        if mode == CHECK:
            outcome = _save_row(row, ctx, seen, write=False)
        else:
            with transaction.atomic():
                outcome = _save_row(row, ctx, seen)
                if mode == DRY_RUN:
                    raise _DryRun
    except _DryRun:
        return outcome, []
    except _RowError as exc:
        return None, [_problem(ctx, number, exc.column, exc.message, name=name)]
    except ValidationError as exc:
        return None, [_problem(ctx, number, k, m, name=name) for k, m in _service_problems(exc)]
    except NotFound:
        return None, [_problem(ctx, number, "", _outside(), name=name)]
    return outcome, []
