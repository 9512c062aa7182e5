"""Invitations and join requests in the Django admin: read-only, scoped to the subtree, the
phone masked and no token anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.factories import PersonFactory, UserFactory
from nutag.people.accounts.services import invitation_issue
from nutag.people.models import JoinRequest

pytestmark = pytest.mark.django_db


def staff(user: Any) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_a_secretary_sees_only_the_subtree_and_changes_nothing(cast: Any) -> None:
    mine = PersonFactory(unit=cast.village1a, name="本镇的人")
    theirs = PersonFactory(unit=cast.village2a, name="别镇的人")
    issued = [invitation_issue(acting_user=SYSTEM, person=p) for p in (mine, theirs)]
    JoinRequest.objects.create(
        unit=cast.village1a,
        unit_path=cast.village1a.path,
        user=UserFactory(),
        name="申请人甲",
        phone="13800000001",
    )
    JoinRequest.objects.create(
        unit=cast.village2a,
        unit_path=cast.village2a.path,
        user=UserFactory(),
        name="申请人乙",
        phone="13800000002",
    )
    client = staff(cast.township1_secretary)
    html = client.get("/admin/people/invitation/").content.decode()
    assert "本镇的人" in html and "别镇的人" not in html
    assert all(i.token not in html for i in issued)
    html = client.get("/admin/people/joinrequest/").content.decode()
    assert "申请人甲" in html and "申请人乙" not in html
    assert "13800000001" not in html  # masked
    assert client.get("/admin/people/joinrequest/add/").status_code == 403
    other = JoinRequest.objects.get(name="申请人乙")
    assert client.get(f"/admin/people/joinrequest/{other.pk}/change/").status_code in (302, 404)


def test_people_without_a_right_do_not_see_them(cast: Any) -> None:
    client = staff(UserFactory())  # staff, but no position anywhere
    assert client.get("/admin/people/invitation/").status_code in (302, 403)
    assert client.get("/admin/people/joinrequest/").status_code in (302, 403)
