"""Standards: who may install and edit them, what is refused, then the defaults and edits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nutag.assess.models import AutoSource, EvidenceKind, Standard, StandardItem, StandardKind
from nutag.assess.selectors.standards import (
    access_standard,
    standard_summary,
    standards_usable,
)
from nutag.assess.services import standards as services
from nutag.assess.tests.rounds_helpers import banner_secretary, defaults, five_good, open_round
from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry

pytestmark = pytest.mark.django_db


# --- wrong user, wrong unit -------------------------------------------------------------------


def test_officers_volunteers_and_residents_cannot_install_or_create(cast):
    for user in (cast.banner_officer, cast.volunteer, cast.resident, cast.village1a_secretary):
        with pytest.raises(NotFound):
            services.standards_install_defaults(acting_user=user, unit=cast.banner)
        with pytest.raises(NotFound):
            services.standard_create(acting_user=user, unit=cast.banner, name="六有", pass_mark=60)
    with pytest.raises(NotFound):  # an officer's right holds no MANAGE_STANDARDS
        services.standards_install_defaults(acting_user=cast.village1a_officer, unit=cast.village1a)
    assert not Standard.objects.exists()


def test_a_secretary_cannot_touch_a_sibling_or_the_unit_above(cast):
    for unit in (cast.township2, cast.village2a, cast.banner):
        with pytest.raises(NotFound):
            services.standards_install_defaults(acting_user=cast.township1_secretary, unit=unit)
    banner_five_good = five_good(cast.banner)
    item = banner_five_good.items.first()
    with pytest.raises(NotFound):
        services.standard_update(
            acting_user=cast.township1_secretary,
            standard=banner_five_good,
            name="改名",
            pass_mark=60,
        )
    with pytest.raises(NotFound):
        services.standard_item_remove(acting_user=cast.township1_secretary, item=item)
    with pytest.raises(NotFound):  # a copy goes only where the standard is usable
        services.standard_copy(
            acting_user=cast.township1_secretary,
            standard=defaults(cast.township2)[StandardKind.FIVE_GOOD],
            unit=cast.township1,
        )
    assert Standard.objects.filter(unit=cast.township1).count() == 0


def test_a_standard_is_not_readable_from_a_sibling_subtree(cast):
    t2_standard = five_good(cast.township2)
    for user in (cast.township1_secretary, cast.village1a_secretary, cast.volunteer):
        with pytest.raises(NotFound):
            access_standard(user=user, pk=t2_standard.pk)
    with pytest.raises(NotFound):
        access_standard(user=cast.admin, pk=999999)
    # the banner's standards are readable below it, where they are usable
    banner_standard = five_good(cast.banner)
    assert access_standard(user=cast.village1a_officer, pk=banner_standard.pk) == banner_standard
    assert access_standard(user=cast.banner_officer, pk=t2_standard.pk) == t2_standard


# --- bad input -------------------------------------------------------------------------------


def test_bad_items_are_refused_with_a_message_per_field(cast):
    standard = services.standard_create(
        acting_user=cast.admin, unit=cast.banner, name="六有", pass_mark=60
    )
    with pytest.raises(ValidationError) as exc:
        services.standard_item_add(
            acting_user=cast.admin,
            standard=standard,
            title=" ",
            points=0,
            accepts=["photo", "video"],
            auto_source="weather",
            auto_target=0,
        )
    assert set(exc.value.message_dict) == {
        "title",
        "points",
        "accepts",
        "auto_source",
        "auto_target",
    }
    assert not standard.items.exists()


def test_pass_mark_cannot_exceed_the_total_points(cast):
    standard = five_good(cast.banner)
    with pytest.raises(ValidationError) as exc:
        services.standard_update(
            acting_user=cast.admin, standard=standard, name=standard.name, pass_mark=101
        )
    assert "100" in exc.value.message_dict["pass_mark"][0]
    standard.refresh_from_db()
    assert standard.pass_mark == 80


def test_names_are_unique_per_unit(cast):
    services.standard_create(acting_user=cast.admin, unit=cast.banner, name="六有", pass_mark=60)
    with pytest.raises(ValidationError) as exc:
        services.standard_create(acting_user=cast.admin, unit=cast.banner, name="六有", pass_mark=1)
    assert "name" in exc.value.message_dict
    # another unit may use the same name
    services.standard_create(acting_user=cast.admin, unit=cast.township1, name="六有", pass_mark=1)


def test_items_of_a_used_standard_are_frozen_and_a_copy_is_offered(cast):
    standard = five_good(cast.banner)
    open_round(cast.banner, standard)
    item = standard.items.order_by("position").first()
    assert item is not None
    refusals = [
        lambda: services.standard_item_add(
            acting_user=cast.admin, standard=standard, title="新项", points=10
        ),
        lambda: services.standard_item_remove(acting_user=cast.admin, item=item),
        lambda: services.standard_item_move(acting_user=cast.admin, item=item, offset=1),
        lambda: services.standard_item_update(
            acting_user=cast.admin,
            item=item,
            title=item.title,
            points=item.points + 5,
            accepts=item.accepts,
            auto_source=item.auto_source,
            auto_target=item.auto_target,
        ),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError) as exc:
            refuse()
        assert "复制一份" in exc.value.messages[0]  # "make a copy", in the default language
    item.refresh_from_db()
    assert (item.points, item.position) == (20, 0)
    assert standard.items.count() == 5
    # the wording that helps people fill it in may still change
    services.standard_item_update(
        acting_user=cast.admin,
        item=item,
        title=item.title,
        points=item.points,
        guidance="新的说明",
        evidence=item.evidence,
        accepts=item.accepts,
        auto_source=item.auto_source,
        auto_target=item.auto_target,
    )
    item.refresh_from_db()
    assert item.guidance == "新的说明"
    # a copy is editable
    copy = services.standard_copy(acting_user=cast.admin, standard=standard)
    assert copy.name == "五好关工委 (2)"
    assert copy.kind == StandardKind.FIVE_GOOD
    assert [i.title for i in copy.items.all()] == [i.title for i in standard.items.all()]
    services.standard_item_add(acting_user=cast.admin, standard=copy, title="新项", points=10)
    assert standard_summary(standard=copy).total == 110


# --- the defaults, and editing --------------------------------------------------------------------


def test_install_defaults_is_idempotent(cast):
    user = banner_secretary(cast)
    first = services.standards_install_defaults(acting_user=user, unit=cast.banner)
    second = services.standards_install_defaults(acting_user=user, unit=cast.banner)
    assert [s.pk for s in first] == [s.pk for s in second]
    assert Standard.objects.count() == 3
    assert AuditEntry.objects.filter(object_type="assess.standard").count() == 3
    by_kind = {s.kind: s for s in first}
    five = standard_summary(standard=by_kind[StandardKind.FIVE_GOOD])
    assert [i.title for i in five.items] == [
        "领导班子好",
        "五老作用发挥好",
        "制度健全落实好",
        "工作创新好",
        "活动经常效果好",
    ]
    assert (five.total, five.standard.pass_mark) == (100, 80)
    assert [(i.auto_source, i.auto_target) for i in five.items] == [
        (AutoSource.POSITIONS, 4),
        (AutoSource.FIVE_ELDERS, 5),
        ("", 1),
        ("", 1),
        (AutoSource.ARTICLES, 6),
    ]
    assert all(i.guidance and i.evidence and i.accepts for i in five.items)
    inclusions = standard_summary(standard=by_kind[StandardKind.FOUR_INCLUSIONS])
    in_place = standard_summary(standard=by_kind[StandardKind.FOUR_IN_PLACE])
    for summary in (inclusions, in_place):
        assert [i.points for i in summary.items] == [25, 25, 25, 25]
        assert summary.standard.pass_mark == 75
    assert in_place.items[0].auto_source == AutoSource.CARE_WORKERS
    assert in_place.items[0].auto_target == 5


def test_an_edited_default_is_kept_when_installing_again(cast):
    standard = five_good(cast.banner)
    services.standard_update(acting_user=cast.admin, standard=standard, name="五好", pass_mark=85)
    services.standards_install_defaults(acting_user=SYSTEM, unit=cast.banner)
    standard.refresh_from_db()
    assert (standard.name, standard.pass_mark) == ("五好", 85)
    assert Standard.objects.filter(kind=StandardKind.FIVE_GOOD).count() == 1


def test_a_units_own_standard_item_by_item(cast):
    user = cast.township1_secretary
    standard = services.standard_create(
        acting_user=user, unit=cast.township1, name="六有", pass_mark=50, description="有阵地…"
    )
    titles = ["有组织", "有阵地", "有队伍", "有制度", "有活动", "有档案"]
    items = [
        services.standard_item_add(
            acting_user=user,
            standard=standard,
            title=t,
            points=10,
            accepts=[EvidenceKind.PHOTO, EvidenceKind.TEXT],
        )
        for t in titles
    ]
    assert [i.position for i in items] == [0, 1, 2, 3, 4, 5]
    assert items[0].accepts == ["text", "photo"]  # a fixed order
    services.standard_item_move(acting_user=user, item=items[5], offset=-1)
    services.standard_item_move(acting_user=user, item=items[0], offset=-1)  # already first
    services.standard_item_remove(acting_user=user, item=items[2])
    summary = standard_summary(standard=standard)
    assert [i.title for i in summary.items] == ["有组织", "有阵地", "有制度", "有档案", "有活动"]
    assert [i.position for i in summary.items] == [0, 1, 2, 3, 4]
    assert summary.total == 50 and not summary.used
    assert not StandardItem.objects.filter(pk=items[2].pk).exists()
    assert AuditEntry.objects.filter(object_type="assess.standard", object_id=str(standard.pk))


def test_standards_usable_at_a_unit_are_its_own_and_those_above(cast):
    banner = five_good(cast.banner)
    township1 = five_good(cast.township1)
    township2 = five_good(cast.township2)
    village = list(standards_usable(unit=cast.village1a))
    assert [s for s in village if s.kind == StandardKind.FIVE_GOOD] == [township1, banner]
    assert {s.unit_id for s in village} == {cast.township1.pk, cast.banner.pk}  # nearest first
    assert [s.unit_id for s in village] == [cast.township1.pk] * 3 + [cast.banner.pk] * 3
    assert township2 not in village
    assert {s.unit_id for s in standards_usable(unit=cast.banner)} == {cast.banner.pk}
    usable = {s.pk: s for s in standards_usable(unit=cast.township1)}
    assert usable[township1.pk].total == 100 and usable[township1.pk].item_count == 5


def test_a_village_copies_the_banners_standard_to_make_its_own(cast):
    banner = five_good(cast.banner)
    copy = services.standard_copy(
        acting_user=cast.village1a_secretary,
        standard=banner,
        unit=cast.village1a,
        name="我们的五好",
    )
    assert copy.unit == cast.village1a and copy.name == "我们的五好"
    assert copy.items.count() == 5


def test_default_standards_come_with_their_mongolian_names(cast):
    import re

    from django.test import Client

    secretary = banner_secretary(cast)
    installed = services.standards_install_defaults(acting_user=secretary, unit=cast.banner)
    mongolian = re.compile(r"^[\u1820-\u1878\u180e\u202f ]+$")
    for standard in installed:
        assert mongolian.match(standard.name_mn), standard.name
        for item in standard.items.all():
            assert mongolian.match(item.title_mn), item.title
    client = Client()
    client.force_login(secretary)
    client.cookies["nutag_lang"] = "mn-mong"
    five = next(s for s in installed if s.kind == StandardKind.FIVE_GOOD)
    html = client.get(f"/desk/standards/{five.pk}/").content.decode()
    assert f"<h1>{five.name_mn}</h1>" in html
    assert five.items.first().title_mn in html
    client.cookies["nutag_lang"] = "zh-hans"
    assert f"<h1>{five.name}</h1>" in client.get(f"/desk/standards/{five.pk}/").content.decode()
