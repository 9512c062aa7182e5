from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.disclosure import services
from nutag.disclosure.models import Disclosure, DisclosureStatus, Question
from nutag.disclosure.tests.helpers import finance_draft, signed

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_desk_pages_are_404_out_of_reach(cast):
    d = finance_draft(cast.village1a)
    for user in (cast.village2a_secretary, cast.resident, cast.volunteer):
        c = _client(user)
        assert c.get(f"/desk/u/{cast.village1a.code}/disclosure/").status_code == 404
        assert c.get(f"/desk/u/{cast.village1a.code}/disclosure/{d.pk}/").status_code == 404
        r = c.post(f"/desk/u/{cast.village1a.code}/disclosure/{d.pk}/", {"action": "submit"})
        assert r.status_code == 404
    # a draft is not on the site, nor reached through another village's address
    assert _client().get(f"/u/{cast.village1a.code}/disclosure/{d.pk}/").status_code == 404
    c = _client(cast.village2a_secretary)
    assert c.get(f"/desk/u/{cast.village2a.code}/disclosure/{d.pk}/").status_code == 404
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.DRAFT


def test_a_wrong_line_keeps_what_was_typed_and_says_why(cast):
    d = finance_draft(cast.village1a)
    c = _client(cast.village1a_officer)
    url = f"/desk/u/{cast.village1a.code}/disclosure/{d.pk}/"
    r = c.post(
        url,
        {
            "action": "finance",
            "finance-direction": "spending",
            "finance-item": "修缮文化室",
            "finance-amount": "-20",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert ("修缮文化室" in html and "errorlist" in html) or "error" in html
    assert d.finance.count() == 2


def test_the_secretary_writes_submits_and_the_totals_are_checked(cast):
    c = _client(cast.village1a_officer)
    r = c.post(
        f"/desk/u/{cast.village1a.code}/disclosure/new/",
        {
            "kind": "finance",
            "period": "2026-Q3",
            "title": "三季度财务公开",
            "income_total": "500",
            "spending_total": "200",
        },
    )
    assert r.status_code == 302
    d = Disclosure.objects.get(title="三季度财务公开")
    url = f"/desk/u/{cast.village1a.code}/disclosure/{d.pk}/"
    c.post(
        url,
        {
            "action": "finance",
            "finance-direction": "income",
            "finance-item": "转移支付",
            "finance-amount": "450",
        },
    )
    r = c.post(url, {"action": "submit"}, follow=True)
    assert "50.00" in r.content.decode()  # the difference, shown
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.DRAFT
    bad = c.post(
        f"/desk/u/{cast.village1a.code}/disclosure/new/",
        {"kind": "finance", "period": "2026-Q9", "title": "x"},
    )
    assert bad.status_code == 200 and "2026-Q9" in bad.content.decode()


def test_sign_off_then_the_public_page_masks_names_and_offers_asking(cast):
    d = finance_draft(cast.village1a)
    services.disclosure_submit(acting_user=SYSTEM, disclosure=d)
    c = _client(cast.village1a_secretary)
    url = f"/desk/u/{cast.village1a.code}/disclosure/{d.pk}/"
    assert c.post(url, {"action": "sign_off"}).status_code == 302
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.SIGNED_OFF
    # editing afterwards is refused with the message, nothing changes
    r = c.post(
        url,
        {
            "action": "finance",
            "finance-direction": "income",
            "finance-item": "补",
            "finance-amount": "1",
        },
        follow=True,
    )
    assert "新版本" in r.content.decode()  # the refusal says how to correct it
    assert d.finance.count() == 2
    public = _client().get(f"/u/{cast.village1a.code}/disclosure/{d.pk}/").content.decode()
    assert "张**" in public and "张三丰" not in public
    column = _client().get(f"/u/{cast.village1a.code}/c/public_affairs/").content.decode()
    assert d.title in column
    # a resident of the village asks about a line
    line = d.finance.first()
    rc = _client(cast.resident)
    page = rc.get(
        f"/u/{cast.village1a.code}/disclosure/{d.pk}/?ask=finance-{line.pk}"
    ).content.decode()
    assert 'name="text"' in page
    r = rc.post(
        f"/u/{cast.village1a.code}/disclosure/{d.pk}/",
        {"line_kind": "finance", "line_id": line.pk, "text": "为什么这么多？"},
    )
    assert r.status_code == 302
    assert Question.objects.filter(disclosure=d, line_id=line.pk).count() == 1
    # anonymous and another village's people cannot ask
    assert (
        _client().post(f"/u/{cast.village1a.code}/disclosure/{d.pk}/", {"text": "x"}).status_code
        == 404
    )


def test_correction_page_shows_what_changed(cast):
    first = signed(cast.village1a)
    c = _client(cast.village1a_officer)
    r = c.post(
        f"/desk/u/{cast.village1a.code}/disclosure/{first.pk}/",
        {"action": "correct", "correct-note": "补录一笔"},
    )
    second = Disclosure.objects.get(supersedes=first)
    assert r.status_code == 302 and r["Location"].endswith(f"/{second.pk}/")
    services.finance_line_add(
        acting_user=SYSTEM, disclosure=second, direction="income", item="捐赠", amount=Decimal(5)
    )
    services.disclosure_update(
        acting_user=SYSTEM,
        disclosure=second,
        title=second.title,
        income_total=Decimal("1005"),
        spending_total=Decimal(600),
    )
    services.disclosure_submit(acting_user=SYSTEM, disclosure=second)
    services.disclosure_sign_off(acting_user=SYSTEM, disclosure=second)
    page = _client().get(f"/u/{cast.village1a.code}/disclosure/{second.pk}/").content.decode()
    assert "捐赠" in page and "补录一笔" in page and "<ins>5.00</ins>" in page
    old = _client().get(f"/u/{cast.village1a.code}/disclosure/{first.pk}/").content.decode()
    assert f"/disclosure/{second.pk}/" in old  # the old version points to the new one


def test_calendar_page_for_the_township(cast):
    signed(cast.village1a)
    r = _client(cast.township1_officer).get(f"/desk/u/{cast.township1.code}/disclosure/")
    assert r.status_code == 200
    html = r.content.decode()
    assert cast.village1a.name in html and cast.village1b.name in html
    assert cast.village2a.name not in html
