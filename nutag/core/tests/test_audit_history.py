"""The history (``core.audit``) reads in the reader's language: every key a service writes
has a translated label (checked on every row the tests write), codes are shown as their
labels, and the notes services write as codes are put into the reader's words."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from nutag.core.actors import SYSTEM
from nutag.core.audit import audit_record, change_rows, shown_note
from nutag.core.models import AuditAction, AuditEntry
from nutag.youth import audit as youth_audit

NUTAG = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(r"(?<![A-Za-z])(?!WeChat\b)[A-Za-z]{3,}")  # the chat app keeps its name


def _note_samples() -> list[tuple[str, str]]:
    """Every note written as a literal (or an f-string, its parts filled with ``1`` or the
    module's constant) in a call's ``note=`` outside the tests and the demo: ``(where,
    note)``."""
    found = []
    for path in sorted(NUTAG.rglob("*.py")):
        rel = path.relative_to(NUTAG)
        if {"tests", "migrations"} & set(rel.parts) or rel.parts[0] == "demo":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = {
            t.targets[0].id: t.value.value
            for t in tree.body
            if isinstance(t, ast.Assign)
            and isinstance(t.targets[0], ast.Name)
            and isinstance(t.value, ast.Constant)
            and isinstance(t.value.value, str)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                value = kw.value.value if isinstance(kw.value, ast.Subscript) else kw.value
                if kw.arg != "note":
                    continue
                if isinstance(value, ast.Constant) and value.value:
                    found.append((f"{rel}:{node.lineno}", str(value.value)))
                elif isinstance(value, ast.JoinedStr):
                    sample = "".join(
                        str(part.value)
                        if isinstance(part, ast.Constant)
                        else consts.get(getattr(part.value, "id", ""), "1")  # type: ignore[attr-defined]
                        for part in value.values
                    )
                    found.append((f"{rel}:{node.lineno}", sample))
    return found


def test_the_scan_finds_the_notes_services_write() -> None:
    notes = {note for _where, note in _note_samples()}
    assert {"mediation", "machine reading", "line added: 1", "refused: 1"} <= notes


def test_every_note_a_service_writes_is_shown_in_the_readers_words() -> None:
    samples = _note_samples() + [
        ("youth/audit.py", purpose)
        for purpose in (youth_audit.OPEN, youth_audit.UNMASK, youth_audit.EXPORT)
    ]
    samples.append(("youth/audit.py", f"{youth_audit.EXPORT}: 12"))
    untranslated = []
    for language in ("zh-hans", "zh-hant", "mn-mong"):
        with translation.override(language):
            for where, note in samples:
                shown = shown_note(note)
                if shown == note or ENGLISH.search(shown):
                    untranslated.append((language, where, note, shown))
    assert untranslated == []


def test_a_note_that_is_no_code_is_shown_as_written() -> None:
    with translation.override("zh-hans"):
        assert shown_note("修了又坏了，还是不行。") == "修了又坏了，还是不行。"
        assert shown_note("/desk/people/418/") == "/desk/people/418/"
        # a code inside a longer note is not taken for the code
        assert shown_note("mediation of the well") == "mediation of the well"


def test_a_coded_note_keeps_its_details_and_names_the_line_kind() -> None:
    with translation.override("zh-hans"):
        assert "道路维修" in shown_note("line added: 道路维修")
        removed = shown_note("line removed: subsidy 12")
        assert "12" in removed and "subsid" not in removed
        # a detail with braces is data, never a template; one over two lines is kept whole
        assert "{count}" in shown_note("hidden: {count}")
        assert shown_note("hidden: 广告\n重复") == "已隐藏：广告\n重复"


@pytest.mark.django_db
def test_a_read_shows_how_many_people_and_what_in_words(cast: Any) -> None:
    entry = AuditEntry(
        action=AuditAction.VIEW,
        object_type="orgs.unit",
        changes={
            "people": [None, [418, 419, 420]],
            "shown": [None, ["minor", "phone", "id_number"]],
        },
    )
    with translation.override("zh-hans"):
        rows = {label: after for label, _before, after in change_rows(entry)}
    assert rows == {"个人信息被查看的人数": "3", "查看的内容": "未成年、联系电话、身份证号"}


@pytest.mark.django_db
def test_a_field_without_a_translated_label_is_refused(cast: Any) -> None:
    """Negative first: ``Unit.path`` has no verbose name, ``nonsense`` is no key at all."""
    unit = cast.village1a
    with override_settings(NUTAG_AUDIT_LABELS_CHECKED=True):
        for key in ("path", "nonsense"):
            with pytest.raises(ImproperlyConfigured, match=key):
                audit_record(
                    actor=SYSTEM,
                    action=AuditAction.UPDATE,
                    obj=unit,
                    unit=unit,
                    changes={key: [1, 2]},
                )
        # a field with one, and a key the model labels, pass
        audit_record(
            actor=SYSTEM,
            action=AuditAction.UPDATE,
            obj=unit,
            unit=unit,
            changes={"name": ["甲", "乙"], "parent": [None, "150799100"]},
        )
    assert AuditEntry.objects.filter(object_id=str(unit.pk), changes__has_key="name").exists()


def _history_page(client: Any, cast: Any) -> str:
    """The village's History page, as its secretary reads it in Chinese."""
    client.force_login(cast.village1a_secretary)
    return str(
        client.get(
            reverse("desk-unit-history", args=[cast.village1a.code]),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()
    )


@pytest.mark.django_db
def test_the_history_page_shows_notes_in_the_readers_words(client: Any, cast: Any) -> None:
    unit = cast.village1a
    audit_record(actor=SYSTEM, action=AuditAction.UPDATE, obj=unit, unit=unit, note="mediation")
    page = _history_page(client, cast)
    assert "调解" in page
    assert "mediation" not in page


@pytest.mark.django_db
def test_the_history_page_shows_a_read_as_what_was_shown(client: Any, cast: Any) -> None:
    """A read changes nothing: its row says how many people and what, with no "before"."""
    unit = cast.village1a
    audit_record(
        actor=SYSTEM,
        action=AuditAction.VIEW,
        obj=unit,
        unit=unit,
        changes={"people": [None, [1, 2]], "shown": [None, ["phone"]]},
    )
    page = _history_page(client, cast)
    assert "<li>个人信息被查看的人数: 2</li>" in page
    assert "<li>查看的内容: 联系电话</li>" in page
