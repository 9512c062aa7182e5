"""factory_boy factories and the shared cast that every test builds on."""

from __future__ import annotations

import dataclasses
import itertools
from typing import TYPE_CHECKING

import factory
from django.contrib.auth import get_user_model

from nutag.core.actors import SYSTEM
from nutag.core.text import name_initials, name_pinyin
from nutag.orgs import services as org_services
from nutag.orgs.models import Access, Position, PositionTitle, Unit, UnitKind
from nutag.people.models import CareWorker, Person
from nutag.people.tallies import care_tally_refresh

if TYPE_CHECKING:
    from nutag.revival.models import WatchedHousehold

User = get_user_model()
_codes = itertools.count(1)

TEST_PASSWORD = "test-pass-1234"  # noqa: S105


def make_unit(*, parent: Unit | None, kind: str, name: str, code: str | None = None) -> Unit:
    return org_services.unit_create(
        acting_user=SYSTEM,
        parent=parent,
        code=code or f"{900000000000 + next(_codes)}",
        kind=kind,
        name=name,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试{n}")
    unit_path = factory.LazyAttribute(lambda o: o.unit.path)
    name_pinyin = factory.LazyAttribute(lambda o: name_pinyin(o.name))
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))


def make_care_worker(*, person: Person, unit: Unit, elder_category: str = "") -> CareWorker:
    """A care-work participant, with the unit's tally kept exact as the services do."""
    worker = CareWorker.objects.create(
        person=person, unit=unit, unit_path=unit.path, elder_category=elder_category
    )
    care_tally_refresh(unit_ids=[unit.pk])
    return worker


def person_with_position(
    *, unit: Unit, title: str, access: str | None = None, username: str | None = None, name: str
) -> Person:
    user = UserFactory(username=username) if username else None
    person = PersonFactory(unit=unit, name=name, user=user)
    org_services.position_assign(
        acting_user=SYSTEM, unit=unit, person_id=person.pk, title=title, access=access
    )
    return person


@dataclasses.dataclass
class Cast:
    banner: Unit
    township1: Unit
    township2: Unit
    village1a: Unit
    village1b: Unit
    village2a: Unit
    school1: Unit
    admin: object
    banner_officer: object
    township1_secretary: object
    township1_officer: object
    village1a_secretary: object
    village1a_officer: object
    village2a_secretary: object
    volunteer: object
    resident: object

    def users(self) -> dict[str, object]:
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if not isinstance(getattr(self, f.name), Unit)
        }


def build_cast() -> Cast:
    banner = make_unit(parent=None, kind=UnitKind.BANNER, name="测试旗", code="150799")
    t1 = make_unit(parent=banner, kind=UnitKind.TOWNSHIP, name="第一镇", code="150799100")
    t2 = make_unit(parent=banner, kind=UnitKind.TOWNSHIP, name="第二苏木", code="150799200")
    v1a = make_unit(parent=t1, kind=UnitKind.VILLAGE, name="一甲嘎查", code="150799100201")
    v1b = make_unit(parent=t1, kind=UnitKind.VILLAGE, name="一乙嘎查", code="150799100202")
    v2a = make_unit(parent=t2, kind=UnitKind.VILLAGE, name="二甲嘎查", code="150799200201")
    s1 = make_unit(parent=t1, kind=UnitKind.SCHOOL, name="第一镇学校", code="150799100401")
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)

    def holder(unit: Unit, title: str, username: str, access: str | None = None) -> object:
        return person_with_position(
            unit=unit, title=title, access=access, username=username, name=f"{username}名"
        ).user

    banner_officer = holder(banner, PositionTitle.OFFICER, "banner-officer")
    t1_sec = holder(t1, PositionTitle.BRANCH_SECRETARY, "t1-secretary")
    t1_off = holder(t1, PositionTitle.OFFICER, "t1-officer")
    v1a_sec = holder(v1a, PositionTitle.BRANCH_SECRETARY, "v1a-secretary")
    v1a_off = holder(v1a, PositionTitle.OFFICER, "v1a-officer", access=Access.OFFICER)
    v2a_sec = holder(v2a, PositionTitle.BRANCH_SECRETARY, "v2a-secretary")
    volunteer_user = UserFactory(username="volunteer")
    volunteer = PersonFactory(unit=v1a, name="志愿者", user=volunteer_user)
    make_care_worker(person=volunteer, unit=v1a, elder_category="teacher")
    resident_user = UserFactory(username="resident")
    PersonFactory(unit=v1a, name="牧民", user=resident_user, is_resident=True)
    return Cast(
        banner=banner,
        township1=t1,
        township2=t2,
        village1a=v1a,
        village1b=v1b,
        village2a=v2a,
        school1=s1,
        admin=admin,
        banner_officer=banner_officer,
        township1_secretary=t1_sec,
        township1_officer=t1_off,
        village1a_secretary=v1a_sec,
        village1a_officer=v1a_off,
        village2a_secretary=v2a_sec,
        volunteer=volunteer_user,
        resident=resident_user,
    )


def make_concern(
    *, unit: Unit, text: str = "草场围栏被冲坏了", category_key: str = "pasture", **fields: object
) -> object:
    """A concern raised at ``unit`` through the service (as the system), as a resident would."""
    from nutag.core.actors import SYSTEM
    from nutag.voice.services import banner_of, categories_ensure, concern_submit

    categories = categories_ensure(acting_user=SYSTEM, banner=banner_of(unit))
    category = next(c for c in categories if c.key == category_key)
    return concern_submit(
        acting_user=SYSTEM,
        unit=unit,
        category=category,
        text=text,
        **fields,  # type: ignore[arg-type]
    ).concern


__all__ = [
    "Cast",
    "Position",
    "build_cast",
    "make_concern",
    "make_elder",
    "make_unit",
    "make_youth_record",
    "person_with_position",
]


def make_youth_record(*, unit: Unit, name: str = "小明", birth_year: int = 2014, **fields: object):  # type: ignore[no-untyped-def]
    """A young person (role and person) with the care committee's record, through the service."""
    import datetime as dt

    from nutag.people.models import YoungPerson
    from nutag.youth.services import record_create

    person = PersonFactory(unit=unit, name=name, birth_date=dt.date(birth_year, 3, 1))
    young = YoungPerson.objects.create(person=person, unit=unit, unit_path=unit.path, school="一中")
    return record_create(acting_user=SYSTEM, young=young, **fields)  # type: ignore[arg-type]


def make_elder(*, unit: Unit, username: str, name: str = "老师傅") -> Person:
    """A five elder (care-work role) with a login."""
    person = PersonFactory(unit=unit, name=name, user=UserFactory(username=username))
    make_care_worker(person=person, unit=unit, elder_category="teacher")
    return person


def make_place(*, unit: Unit, host: object = None, kind: str = "stay", **fields: object):  # type: ignore[no-untyped-def]
    """A tourist place at ``unit`` through the service (SYSTEM); a stay takes 4 a day."""
    from nutag.core.actors import SYSTEM
    from nutag.tourism.services import PlaceInput, place_create

    data = {"name": "测试牧家乐", "capacity": 4 if kind == "stay" else 0, **fields}
    if data["capacity"] and host is None:
        host = UserFactory()
    return place_create(
        acting_user=SYSTEM,
        unit=unit,
        data=PlaceInput(kind=kind, host=host, **data),  # type: ignore[arg-type]
    )


def make_household(
    *, unit: Unit, name: str = "巴特尔", category: str = "unstable", members: int = 4
) -> WatchedHousehold:
    """A household under watch in the revitalisation ledger (head and household), through the
    service."""
    import datetime as dt

    from nutag.revival.services import household_create

    head = PersonFactory(unit=unit, name=name, id_number="")
    return household_create(
        acting_user=SYSTEM,
        head=head,
        category=category,
        members=members,
        watched_since=dt.date(2025, 3, 1),
    )
