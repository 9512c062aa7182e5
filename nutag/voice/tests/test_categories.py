"""The banner's concern categories and routing rules in the workbench; negatives first."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.factories import make_concern
from nutag.voice.models import Category, RoutingRule
from nutag.voice.services import categories as svc
from nutag.voice.services import categories_ensure, concern_submit, route

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _water(cast) -> Category:  # type: ignore[no-untyped-def]
    categories_ensure(acting_user=SYSTEM, banner=cast.banner)
    return Category.objects.get(banner=cast.banner, key="water")


def test_only_the_banner_edits_categories(cast):
    water = _water(cast)
    for user in (cast.township1_secretary, cast.village1a_secretary, cast.resident):
        with pytest.raises(NotFound):
            svc.category_update(
                acting_user=user, category=water, name="水", days_limit=3, allows_anonymous=False
            )
        with pytest.raises(NotFound):
            svc.category_create(
                acting_user=user,
                banner=cast.banner,
                name="草场",
                days_limit=3,
                allows_anonymous=False,
            )
        assert (
            _client(user).get(f"/desk/u/{cast.banner.code}/concern-categories/").status_code == 404
        )
    # a township's page does not exist: categories belong to the banner
    r = _client(cast.banner_officer).get(f"/desk/u/{cast.township1.code}/concern-categories/")
    assert r.status_code == 404
    assert Category.objects.get(pk=water.pk).days_limit == 7


def test_bad_input_and_the_last_category(cast):
    water = _water(cast)
    with pytest.raises(ValidationError):
        svc.category_update(
            acting_user=cast.banner_officer,
            category=water,
            name=" ",
            days_limit=0,
            allows_anonymous=False,
        )
    with pytest.raises(ValidationError):
        svc.category_create(
            acting_user=cast.banner_officer,
            banner=cast.banner,
            name=water.name,
            days_limit=3,
            allows_anonymous=False,
        )
    others = Category.objects.filter(banner=cast.banner).exclude(pk=water.pk)
    others.update(retired=True)
    with pytest.raises(ValidationError):
        svc.category_retire(acting_user=cast.banner_officer, category=water)


def test_retire_keeps_concerns_and_stops_offering(cast):
    water = _water(cast)
    concern = make_concern(unit=cast.village1a, category_key="water")
    svc.category_retire(acting_user=cast.banner_officer, category=water)
    assert Category.objects.filter(pk=water.pk).exists()
    concern.refresh_from_db()
    assert concern.category_id == water.pk
    offered = categories_ensure(acting_user=SYSTEM, banner=cast.banner)
    assert water not in offered and len(offered) == 7
    with pytest.raises(ValidationError):
        concern_submit(acting_user=SYSTEM, unit=cast.village1a, category=water, text="没水了")
    svc.category_retire(acting_user=cast.banner_officer, category=water, retired=False)
    assert water in categories_ensure(acting_user=SYSTEM, banner=cast.banner)


def test_page_edits_adds_and_sets_a_rule(cast):
    water = _water(cast)
    c = _client(cast.banner_officer)
    url = f"/desk/u/{cast.banner.code}/concern-categories/"
    assert c.get(url).status_code == 200
    prefix = f"c{water.pk}"
    r = c.post(
        url,
        {
            "action": "edit",
            "category": water.pk,
            f"{prefix}-name": "饮水",
            f"{prefix}-days_limit": "3",
            f"{prefix}-allows_anonymous": "on",
        },
    )
    assert r.status_code == 302
    water.refresh_from_db()
    assert (water.name, water.days_limit, water.allows_anonymous) == ("饮水", 3, True)
    r = c.post(url, {"action": "add", "new-name": "防火", "new-days_limit": "2"})
    assert r.status_code == 302
    assert Category.objects.filter(banner=cast.banner, name="防火", days_limit=2).exists()
    r = c.post(
        url,
        {
            "action": "rule",
            "rule-township": cast.township1.code,
            "rule-category": "water",
            "rule-target": cast.township1.code,
        },
    )
    assert r.status_code == 302
    assert route(unit=cast.village1a, category=water) == cast.township1
    # a target outside the township is refused next to the field
    r = c.post(
        url,
        {
            "action": "rule",
            "rule-township": cast.township1.code,
            "rule-category": "water",
            "rule-target": cast.village2a.code,
        },
    )
    assert r.status_code == 200
    assert RoutingRule.objects.get().target == cast.township1
    r = c.post(
        url,
        {"action": "rule", "rule-township": cast.township1.code, "rule-category": "water"},
    )
    assert r.status_code == 302
    assert route(unit=cast.village1a, category=water) == cast.village1a
