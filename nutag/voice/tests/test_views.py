"""The concern pages: raising keeps what was typed, following and handling a concern, the
list for officers and for residents, the public board in the governance column."""

from __future__ import annotations

import pytest
from django.test import Client

from nutag.core.actors import SYSTEM
from nutag.factories import make_concern
from nutag.voice import services
from nutag.voice.models import Concern
from nutag.voice.services import banner_of, categories_ensure


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _water(unit):  # type: ignore[no-untyped-def]
    return next(
        c for c in categories_ensure(acting_user=SYSTEM, banner=banner_of(unit)) if c.key == "water"
    )


@pytest.mark.django_db
def test_the_form_is_not_for_other_villages_or_visitors(cast):
    url = f"/u/{cast.village1b.code}/concerns/new/"
    assert _client(cast.resident).get(url).status_code == 404
    r = _client(None).get(f"/u/{cast.village1a.code}/concerns/new/")
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.django_db
def test_a_refused_form_keeps_what_was_typed(cast):
    c = _client(cast.resident)
    url = f"/u/{cast.village1a.code}/concerns/new/"
    r = c.post(url, {"category": _water(cast.village1a).pk, "text": "", "location": "三号井"})
    assert r.status_code == 200 and "三号井" in r.content.decode()
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_raising_and_sending_twice_keeps_one(cast):
    c = _client(cast.resident)
    url = f"/u/{cast.village1a.code}/concerns/new/"
    form = {"category": _water(cast.village1a).pk, "text": "井水浑浊", "key": "form-key-1"}
    first = c.post(url, form)
    again = c.post(url, form)
    concern = Concern.objects.get()
    assert (
        first["Location"] == again["Location"] == f"/u/{cast.village1a.code}/concerns/{concern.pk}/"
    )
    page = c.get(first["Location"]).content.decode()
    assert "井水浑浊" in page and concern.number in page


@pytest.mark.django_db
def test_a_private_concern_page_is_404_to_others(cast):
    concern = make_concern(unit=cast.village1a)
    url = f"/u/{cast.village1a.code}/concerns/{concern.pk}/"
    for user in (None, cast.resident, cast.village2a_secretary):
        assert _client(user).get(url).status_code == 404
    assert _client(cast.village1a_officer).get(url).status_code == 200
    assert (
        _client(cast.village1a_officer)
        .get(f"/u/{cast.village2a.code}/concerns/{concern.pk}/")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_an_officer_answers_and_the_resident_closes_on_the_page(cast):
    resident = _client(cast.resident)
    resident.post(
        f"/u/{cast.village1a.code}/concerns/new/",
        {"category": _water(cast.village1a).pk, "text": "井坏了", "key": "k"},
    )
    concern = Concern.objects.get()
    url = f"/u/{cast.village1a.code}/concerns/{concern.pk}/"
    # a resident cannot answer
    assert resident.post(url, {"action": "answer", "answer": "x", "version": 1}).status_code == 404
    officer = _client(cast.village1a_officer)
    stale = officer.post(url, {"action": "answer", "answer": "修好了", "version": 0})
    assert stale.status_code == 200 and "修好了" in stale.content.decode()
    assert (
        officer.post(url, {"action": "answer", "answer": "修好了", "version": 1}).status_code == 302
    )
    assert resident.post(url, {"action": "close", "rating": 5, "version": 2}).status_code == 302
    concern.refresh_from_db()
    assert concern.state == "closed" and concern.rating == 5


@pytest.mark.django_db
def test_each_step_form_on_the_page_has_its_own_ids(cast):
    """The officer's page shows the answer and the pass forms together (both carry the
    concern's version): no id twice, so each label and each error-summary link finds its
    own field, on the page and after a refusal (whose summary the page lacked: its forms
    are kept by name, and the summary did not look into a dict)."""
    import re

    concern = make_concern(unit=cast.village1a, text="路灯坏了")
    url = f"/u/{cast.village1a.code}/concerns/{concern.pk}/"
    officer = _client(cast.village1a_officer)
    for page in (
        officer.get(url).content.decode(),
        officer.post(url, {"action": "answer", "answer": "", "version": 1}).content.decode(),
    ):
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert "id_answer_version" in ids and "id_pass_version" in ids
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    # a refusal: the error summary at the top links the answer's own field, the title says so
    refused = officer.post(url, {"action": "answer", "answer": "", "version": 1}).content.decode()
    assert 'class="error-summary"' in refused and "<title>错误：" in refused
    assert 'href="#id_answer_answer"' in refused and 'id="id_answer_answer"' in refused


@pytest.mark.django_db
def test_the_list_shows_handlers_their_unit_and_residents_their_own(cast):
    make_concern(unit=cast.village1a, text="别人的私事")
    mine = services.concern_submit(
        acting_user=cast.resident,
        unit=cast.village1a,
        category=_water(cast.village1a),
        text="我的事",
    ).concern
    url = f"/u/{cast.village1a.code}/concerns/"
    page = _client(cast.resident).get(url).content.decode()
    assert "我的事" in page and "别人的私事" not in page and mine.number in page
    page = _client(cast.village1a_officer).get(url).content.decode()
    assert "我的事" in page and "别人的私事" in page
    assert _client(cast.village2a_secretary).get(url).status_code == 404


@pytest.mark.django_db
def test_the_board_shows_public_answers_without_the_place(cast):
    public = make_concern(unit=cast.village1a, is_public=True, location="秘密地点", text="路灯坏了")
    services.concern_answer(acting_user=SYSTEM, concern=public, version=1, answer="已换新灯")
    private = make_concern(unit=cast.village1a, text="私下的事")
    services.concern_answer(acting_user=SYSTEM, concern=private, version=1, answer="私下答复")
    page = _client(None).get(f"/u/{cast.village1a.code}/c/governance/").content.decode()
    assert "路灯坏了" in page and "已换新灯" in page
    assert "秘密地点" not in page and "私下的事" not in page


@pytest.mark.django_db
def test_the_boards_button_only_for_those_the_form_takes(cast):
    make_concern(unit=cast.village1a, is_public=True, text="路灯坏了")
    column = f"/u/{cast.village1a.code}/c/governance/"
    form = f"/u/{cast.village1a.code}/concerns/new/"
    # a login of another village, and an anonymous reader: no button (the form is not theirs)
    for user in (cast.village2a_secretary, None):
        assert form not in _client(user).get(column).content.decode()
    assert _client(cast.village2a_secretary).get(form).status_code == 404
    # the village's resident and an officer above it: the button, and the form behind it
    for user in (cast.resident, cast.township1_officer):
        assert form in _client(user).get(column).content.decode()
        assert _client(user).get(form).status_code == 200


@pytest.mark.django_db
def test_an_answer_purges_the_cached_board(cast, django_capture_on_commit_callbacks):
    public = make_concern(unit=cast.village1a, is_public=True, text="水渠堵了")
    url = f"/u/{cast.village1a.code}/c/governance/"
    visitor = _client(None)
    assert "水渠堵了" not in visitor.get(url).content.decode()  # not answered yet
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_answer(acting_user=SYSTEM, concern=public, version=1, answer="已疏通")
    assert "已疏通" in visitor.get(url).content.decode()


@pytest.mark.django_db
def test_a_residents_own_page_links_to_their_concerns(cast):
    page = _client(cast.resident).get("/desk/me/").content.decode()
    assert f"/u/{cast.village1a.code}/concerns/" in page


@pytest.mark.django_db
def test_only_platform_admins_see_the_settings_in_the_admin(cast):
    _water(cast.village1a)
    assert _client(cast.admin).get("/admin/voice/category/").status_code == 200
    for user in (cast.township1_secretary, cast.banner_officer):
        user.is_staff = True
        user.save()
        assert _client(user).get("/admin/voice/category/").status_code in (302, 403)
