"""People writes: validation, masking, roles, audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditAction, AuditEntry
from nutag.people.idcard import checksum_char, validate_id_number
from nutag.people.models import CareWorker, PartyMembership, Person
from nutag.people.services import (
    CareInput,
    PartyInput,
    PersonInput,
    YouthInput,
    person_create,
    person_update,
)


def make_id(birth: str = "19600501", seq: str = "001") -> str:
    first = f"150725{birth}{seq}"
    return first + checksum_char(first)


GOOD_ID = make_id()


def test_checksum_examples():
    first17 = GOOD_ID[:17]
    assert checksum_char(first17) == GOOD_ID[17]
    validate_id_number(GOOD_ID)
    with pytest.raises(ValidationError):
        validate_id_number(GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1"))
    with pytest.raises(ValidationError):
        validate_id_number("15072519601301001X")  # month 13
    with pytest.raises(ValidationError):
        validate_id_number("1234")


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)), st.integers(0, 999)
)
def test_every_generated_id_validates_and_one_wrong_digit_does_not(birth, seq):
    number = make_id(birth.strftime("%Y%m%d"), f"{seq:03d}")
    validate_id_number(number)
    wrong = number[:17] + ("X" if number[17] != "X" else "0")
    with pytest.raises(ValidationError):
        validate_id_number(wrong)


@pytest.mark.django_db
def test_create_refuses_unit_out_of_reach(cast):
    with pytest.raises(NotFound):
        person_create(
            acting_user=cast.village1a_secretary, unit=cast.village1b, data=PersonInput(name="越界")
        )
    with pytest.raises(NotFound):
        person_create(
            acting_user=cast.volunteer, unit=cast.village1a, data=PersonInput(name="越界")
        )
    assert not Person.objects.filter(name="越界").exists()


@pytest.mark.django_db
def test_create_normalises_and_validates(cast):
    with pytest.raises(ValidationError) as exc:
        person_create(
            acting_user=cast.village1a_officer,
            unit=cast.village1a,
            data=PersonInput(
                name="巴特尔", id_number=GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
            ),
        )
    assert "id_number" in exc.value.message_dict
    person = person_create(
        acting_user=cast.village1a_officer,
        unit=cast.village1a,
        data=PersonInput(
            name="陳 巴特爾",  # traditional → simplified
            id_number=GOOD_ID.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)}),  # full-width
            phone="+86 138 0000 1234",
            party=PartyInput(
                joined_on=dt.date(1985, 7, 1), is_mobile=True, current_location="海拉尔"
            ),
            care=CareInput(elder_category="teacher"),
        ),
    )
    assert person.name == "陈 巴特尔"
    assert person.id_number == GOOD_ID
    assert person.birth_date == dt.date(1960, 5, 1)
    assert person.gender == "m"
    assert person.phone == "13800001234"
    assert person.is_retired  # a five elder is retired
    assert person.name_initials == "cbte"
    assert PartyMembership.objects.get(person=person).is_mobile
    assert CareWorker.objects.get(person=person).unit_path == cast.village1a.path


@pytest.mark.django_db
def test_duplicate_id_and_mismatched_birth_date(cast):
    person_create(
        acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="甲", id_number=GOOD_ID)
    )
    with pytest.raises(ValidationError) as exc:
        person_create(
            acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="乙", id_number=GOOD_ID)
        )
    assert "id_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        person_create(
            acting_user=SYSTEM,
            unit=cast.village1a,
            data=PersonInput(
                name="丙", id_number=make_id(seq="002"), birth_date=dt.date(1970, 1, 1)
            ),
        )
    assert "birth_date" in exc.value.message_dict


@pytest.mark.django_db
def test_update_audits_masked_before_after_and_role_changes(cast):
    person = person_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=PersonInput(name="甲", phone="13800001234", id_number=GOOD_ID),
    )
    person_update(
        acting_user=cast.village1a_secretary,
        person=person,
        unit=cast.village1a,
        data=PersonInput(
            name="甲", phone="13900005678", id_number=GOOD_ID, youth=YouthInput(school="一中")
        ),
    )
    entry = AuditEntry.objects.get(object_type="people.person", action=AuditAction.UPDATE)
    assert entry.changes["phone"] == ["138****1234", "139****5678"]
    assert entry.changes["young_person"] == [False, True]
    assert GOOD_ID not in str(entry.changes)


@pytest.mark.django_db
def test_update_cannot_move_person_out_of_reach(cast):
    person = person_create(acting_user=SYSTEM, unit=cast.village1a, data=PersonInput(name="甲"))
    with pytest.raises(NotFound):
        person_update(
            acting_user=cast.township1_secretary,
            person=person,
            unit=cast.village2a,
            data=PersonInput(name="甲"),
        )
    person.refresh_from_db()
    assert person.unit == cast.village1a
