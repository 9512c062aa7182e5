"""Activities: negatives first (no consent, out of reach, a forged or expired QR code, a photo
without consent), then what sign-up, check-in, photos and the report write."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone
from PIL import Image

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, make_elder, make_youth_record, person_with_position
from nutag.orgs.models import Access, PositionTitle
from nutag.people.models import Guardianship
from nutag.sites.models import Article, ArticleStatus
from nutag.youth import services
from nutag.youth.models import SignUp
from nutag.youth.public import render_care_photos
from nutag.youth.selectors import youth_figures
from nutag.youth.selectors.activities import photo_is_public
from nutag.youth.services.activities import activity_of_token, checkin_token

pytestmark = pytest.mark.django_db


def _jpeg(name: str = "p.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    mine = make_youth_record(unit=cast.village1a, name="巴特尔")
    other = make_youth_record(unit=cast.village1a, name="其其格")
    sibling = make_youth_record(unit=cast.village1b, name="乌日娜")
    mum = PersonFactory(unit=cast.village1a, name="萨仁", phone="13912345678")
    dad = PersonFactory(unit=cast.village1a, name="巴图", phone="13800000001")
    Guardianship.objects.create(young=mine.young, guardian=mum, relation="母亲")
    Guardianship.objects.create(young=other.young, guardian=dad, relation="父亲")
    elder = make_elder(unit=cast.village1a, username="elder")
    services.pairing_create(
        acting_user=SYSTEM, record=mine, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    officer = person_with_position(
        unit=cast.village1a,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="v1a-youth",
        name="青年专干",
    ).user
    activity = services.activity_create(
        acting_user=officer,
        unit=cast.village1a,
        kind="camp",
        title="夏令营",
        held_on=timezone.localdate(),
        place="嘎查活动室",
        capacity=2,
    )
    return {
        "mine": mine,
        "other": other,
        "sibling": sibling,
        "mum": mum,
        "dad": dad,
        "elder": elder.user,
        "officer": officer,
        "activity": activity,
    }


def _sign_up(world, record, guardian, photo=False):  # type: ignore[no-untyped-def]
    return services.signup_create(
        acting_user=world["officer"],
        activity=world["activity"],
        young=record.young,
        consent_by=guardian,
        consent_how="paper",
        photo_consent=photo,
    )


# --- negatives --------------------------------------------------------------------------


def test_a_minor_without_a_guardians_consent_is_refused(world):
    a, young = world["activity"], world["mine"].young
    for kwargs in (
        {},  # nobody consented
        {"consent_by": world["dad"], "consent_how": "paper"},  # not this child's guardian
        {"consent_by": world["mum"]},  # how is not said
    ):
        with pytest.raises(ValidationError):
            services.signup_create(acting_user=world["officer"], activity=a, young=young, **kwargs)
    assert not SignUp.objects.exists()


def test_sign_up_out_of_reach_is_404(cast, world):
    a = world["activity"]
    for user in (cast.village1a_officer, cast.village2a_secretary, cast.resident):
        with pytest.raises(NotFound):
            services.signup_create(
                acting_user=user,
                activity=a,
                young=world["mine"].young,
                consent_by=world["mum"],
                consent_how="paper",
            )
    # the paired elder signs up their own child only
    with pytest.raises(NotFound):
        services.signup_create(
            acting_user=world["elder"],
            activity=a,
            young=world["other"].young,
            consent_by=world["dad"],
            consent_how="phone",
        )
    # a young person of a sibling village, even by the activity's officer
    with pytest.raises(NotFound):
        services.signup_create(acting_user=SYSTEM, activity=a, young=world["sibling"].young)
    assert not SignUp.objects.exists()


def test_activity_out_of_reach(cast, world):
    for user in (cast.village1a_officer, cast.village2a_secretary, world["elder"]):
        with pytest.raises(NotFound):
            services.activity_create(
                acting_user=user,
                unit=cast.village1a,
                kind="lecture",
                title="讲座",
                held_on=timezone.localdate(),
                place="学校",
            )
    url = f"/desk/youth/activities/{world['activity'].pk}/"
    assert _client(cast.village2a_secretary).get(url).status_code == 404
    assert _client(cast.village1a_officer).get(url).status_code == 404


def test_capacity_and_twice(world):
    _sign_up(world, world["mine"], world["mum"])
    with pytest.raises(ValidationError):
        _sign_up(world, world["mine"], world["mum"])
    _sign_up(world, world["other"], world["dad"])
    third = make_youth_record(unit=world["mine"].unit, name="第三", birth_year=2000)
    with pytest.raises(ValidationError):  # full
        services.signup_create(acting_user=SYSTEM, activity=world["activity"], young=third.young)


def test_a_forged_or_expired_code_is_404(world):
    _sign_up(world, world["mine"], world["mum"])
    token = checkin_token(world["activity"])
    with pytest.raises(NotFound):
        services.check_in_by_token(token=token[:-2] + "xx", phone="13912345678")
    after = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(NotFound):  # the same code, reused after it expired
        services.check_in_by_token(token=token, phone="13912345678", now=after)
    assert Client().get(f"/desk/youth/checkin/{token}x/").status_code == 404
    assert not SignUp.objects.filter(checked_in_at__isnull=False).exists()


def test_a_photo_without_consent_is_never_public(cast, world):
    a = world["activity"]
    _sign_up(world, world["mine"], world["mum"], photo=True)
    _sign_up(world, world["other"], world["dad"], photo=False)
    with pytest.raises(ValidationError):  # nobody tagged, and not said to show nobody
        services.activity_photo_add(acting_user=world["officer"], activity=a, upload=_jpeg())
    with pytest.raises(ValidationError):  # a young person not signed up
        services.activity_photo_add(
            acting_user=world["officer"],
            activity=a,
            upload=_jpeg(),
            tagged=[world["sibling"].young],
        )
    with pytest.raises(NotFound):
        services.activity_photo_add(
            acting_user=world["elder"], activity=a, upload=_jpeg(), tagged=[world["mine"].young]
        )
    both = services.activity_photo_add(
        acting_user=world["officer"],
        activity=a,
        upload=_jpeg(),
        tagged=[world["mine"].young, world["other"].young],
    )
    assert not photo_is_public(both)
    assert Client().get(f"/desk/youth/photos/a/{both.pk}.jpg").status_code == 404
    html = render_care_photos(RequestFactory().get("/"), cast.village1a, None)
    assert f"/a/{both.pk}.jpg" not in html
    # the officer still sees it, privately
    r = _client(world["officer"]).get(f"/desk/youth/photos/a/{both.pk}.jpg")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    # only the consenting child: public
    one = services.activity_photo_add(
        acting_user=world["officer"], activity=a, upload=_jpeg(), tagged=[world["mine"].young]
    )
    assert photo_is_public(one)
    assert Client().get(f"/desk/youth/photos/a/{one.pk}.jpg").status_code == 200
    html = render_care_photos(RequestFactory().get("/"), cast.village1a, None)
    assert f"/a/{one.pk}.jpg" in html and f"/a/{both.pk}.jpg" not in html
    # consent withdrawn (the sign-up taken back): the photo loses its tag and is private
    services.signup_remove(
        acting_user=world["officer"], signup=SignUp.objects.get(young=world["mine"].young)
    )
    one.refresh_from_db()
    assert not photo_is_public(one)


def test_the_elder_cannot_mark_attendance(world):
    signup = _sign_up(world, world["mine"], world["mum"])
    with pytest.raises(NotFound):
        services.attendance_mark(acting_user=world["elder"], signup=signup, present=True)
    r = _client(world["elder"]).post(
        f"/desk/youth/signups/{signup.pk}/attendance/", {"present": "1"}
    )
    assert r.status_code == 404


def test_a_report_before_the_day_or_without_text_is_refused(cast, world):
    later = services.activity_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        kind="sports",
        title="运动会",
        held_on=timezone.localdate() + dt.timedelta(days=3),
        place="草场",
    )
    for activity, summary in ((later, "很好"), (world["activity"], "  ")):
        with pytest.raises(ValidationError):
            services.activity_report_publish(
                acting_user=cast.village1a_secretary, activity=activity, summary=summary
            )
    assert not Article.objects.exists()


def test_a_youth_officer_s_report_waits_for_the_secretary(world):
    article = services.activity_report_publish(
        acting_user=world["officer"], activity=world["activity"], summary="很好"
    )
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED


# --- what it writes -----------------------------------------------------------------------


def test_the_paired_elder_signs_up_their_own_child_with_consent(world):
    signup = services.signup_create(
        acting_user=world["elder"],
        activity=world["activity"],
        young=world["mine"].young,
        consent_by=world["mum"],
        consent_how="phone",
    )
    assert signup.consent_relation == "母亲" and signup.consent_at is not None
    assert signup.photo_consent is False  # photos: no, unless said
    entry = AuditEntry.objects.get(object_type="youth.signup", object_id=str(signup.pk))
    assert entry.actor == world["elder"]


def test_an_adult_signs_up_without_a_guardian(world):
    adult = make_youth_record(unit=world["mine"].unit, name="成年", birth_year=2000)
    signup = services.signup_create(
        acting_user=world["officer"], activity=world["activity"], young=adult.young
    )
    assert signup.consent_by is None


def test_check_in_by_the_qr_code_names_nobody(world):
    _sign_up(world, world["mine"], world["mum"])
    token = checkin_token(world["activity"])
    assert activity_of_token(token) == world["activity"]
    assert services.check_in_by_token(token=token, phone="139 0000 0000") == 0
    page = Client().get(f"/desk/youth/checkin/{token}/")
    assert page.status_code == 200 and "巴特尔" not in page.content.decode()
    r = Client().post(f"/desk/youth/checkin/{token}/", {"phone": "139-1234-5678"}, follow=True)
    assert r.status_code == 200 and "巴特尔" not in r.content.decode()
    assert SignUp.objects.get().checked_in_at is not None
    assert services.check_in_by_token(token=token, phone="13912345678") == 0  # once


def test_the_officer_sees_the_qr_and_masked_names(world):
    _sign_up(world, world["mine"], world["mum"])
    page = _client(world["officer"]).get(f"/desk/youth/activities/{world['activity'].pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "/youth/checkin/" in html
    assert "巴*尔" in html and "巴特尔" not in html
    elder_page = _client(world["elder"]).get(f"/desk/youth/activities/{world['activity'].pk}/")
    assert elder_page.status_code == 200 and "<svg" not in elder_page.content.decode()


def test_sign_up_pages_record_consent(world):
    c = _client(world["officer"])
    url = f"/desk/youth/activities/{world['activity'].pk}/signup/"
    assert "巴*尔" in c.get(url).content.decode()
    young = world["mine"].young.pk
    r = c.post(url, {"young": young, "consent_how": "paper"})
    assert r.status_code == 200 and not SignUp.objects.exists()  # the error beside the field
    r = c.post(
        url,
        {
            "young": young,
            "consent_by": world["mum"].pk,
            "consent_how": "paper",
            "photo_consent": "on",
        },
    )
    assert r.status_code == 302
    assert SignUp.objects.get().photo_consent is True


def test_the_report_goes_to_the_care_column_and_figures_count(cast, world):
    _sign_up(world, world["mine"], world["mum"])
    _sign_up(world, world["other"], world["dad"])
    services.attendance_mark(
        acting_user=world["officer"], signup=SignUp.objects.first(), present=True
    )
    article = services.activity_report_publish(
        acting_user=cast.village1a_secretary, activity=world["activity"], summary="孩子们学了长调。"
    )
    article = Article.objects.select_related("column").get(pk=article.pk)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.column is not None and article.column.key == "next_generation"
    assert "巴特尔" not in article.body and "1" in article.body
    with pytest.raises(ValidationError):  # once
        services.activity_report_publish(
            acting_user=cast.village1a_secretary, activity=world["activity"], summary="又一次"
        )
    figures = youth_figures(unit=cast.banner)
    assert figures.activities == 1 and figures.participants == 1


# --- the API ------------------------------------------------------------------------------


def test_api_lists_signs_up_and_checks_in(cast, world):
    a = world["activity"]
    assert (
        _client(cast.village2a_secretary)
        .get(f"/api/v1/units/{cast.village1a.code}/activities")
        .status_code
        == 404
    )
    data = _client(world["officer"]).get(f"/api/v1/units/{cast.township1.code}/activities?limit=1")
    assert data.status_code == 404  # the village's officer holds no right at the township
    data = (
        _client(cast.township1_secretary)
        .get(f"/api/v1/units/{cast.township1.code}/activities?limit=1")
        .json()
    )
    assert data["count"] == 1 and data["items"][0]["title"] == "夏令营"
    c = _client(world["officer"])
    url = f"/api/v1/activities/{a.pk}/signups"
    body = {"young_id": world["mine"].young.person_id}
    r = c.post(url, body, content_type="application/json")
    assert r.status_code == 400 and "consent_by" in r.json()["errors"]
    r = _client(world["elder"]).post(
        url,
        {
            "young_id": world["other"].young.person_id,
            "consent_by": world["dad"].pk,
            "consent_how": "paper",
        },
        content_type="application/json",
    )
    assert r.status_code == 404  # another child
    r = c.post(
        url,
        {**body, "consent_by": world["mum"].pk, "consent_how": "phone", "photo_consent": True},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["name"] == "巴*尔"
    assert r.json()["consent_relation"] == "母亲"
    token = checkin_token(a)
    r = Client().post(
        "/api/v1/activities/checkin",
        {"token": token + "x", "phone": "13912345678"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = Client().post(
        "/api/v1/activities/checkin",
        {"token": token, "phone": "13912345678"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json() == {"checked_in": 1}


# --- a guardian's requests: withdraw the sign-up, withdraw photo consent ------------------


def _withdraw_urls(signup):  # type: ignore[no-untyped-def]
    api = f"/api/v1/activities/{signup.activity_id}/signups/{signup.pk}"
    return [
        (f"/desk/youth/signups/{signup.pk}/photo-consent/withdraw/", None),
        (f"/desk/youth/signups/{signup.pk}/withdraw/", None),
        (f"{api}/photo-consent/withdraw", "application/json"),
        (f"{api}/withdraw", "application/json"),
    ]


def _withdrawal_rows(signup):  # type: ignore[no-untyped-def]
    """The audit rows of a guardian's requests on ``signup`` (its creation left out)."""
    return list(
        AuditEntry.objects.filter(
            object_type="youth.signup", object_id=str(signup.pk), action__in=["update", "delete"]
        )
        .exclude(note="")
        .order_by("id")
    )


def test_withdrawing_out_of_reach_is_404(cast, world):
    signup = _sign_up(world, world["mine"], world["mum"], photo=True)
    other_elder = make_elder(unit=cast.village1a, username="other-elder")
    services.pairing_create(
        acting_user=SYSTEM,
        record=world["other"],
        elders=[other_elder],
        started_on=dt.date(2025, 9, 1),
    )
    sibling_officer = person_with_position(
        unit=cast.village1b,
        title=PositionTitle.OFFICER,
        access=Access.YOUTH,
        username="v1b-youth",
        name="邻村专干",
    ).user
    for user in (other_elder.user, sibling_officer, cast.village1a_officer, cast.resident):
        with pytest.raises(NotFound):
            services.signup_photo_consent_withdraw(acting_user=user, signup=signup)
        with pytest.raises(NotFound):
            services.signup_remove(acting_user=user, signup=signup)
        c = _client(user)
        for url, content_type in _withdraw_urls(signup):
            r = c.post(url, content_type=content_type) if content_type else c.post(url)
            assert r.status_code == 404, (user, url)
    # a crafted API call: the sign-up under another activity
    other = services.activity_create(
        acting_user=world["officer"],
        unit=cast.village1a,
        kind="sports",
        title="运动会",
        held_on=timezone.localdate(),
        place="草场",
    )
    r = _client(world["officer"]).post(
        f"/api/v1/activities/{other.pk}/signups/{signup.pk}/withdraw",
        content_type="application/json",
    )
    assert r.status_code == 404
    signup.refresh_from_db()
    assert signup.photo_consent is True
    assert not _withdrawal_rows(signup)


def test_photo_consent_withdrawn_the_photo_leaves_the_public_page(
    cast, world, django_capture_on_commit_callbacks
):
    from nutag.sites.events import site_changed

    signup = _sign_up(world, world["mine"], world["mum"], photo=True)
    photo = services.activity_photo_add(
        acting_user=world["officer"],
        activity=world["activity"],
        upload=_jpeg(),
        tagged=[world["mine"].young],
    )
    assert f"/a/{photo.pk}.jpg" in render_care_photos(
        RequestFactory().get("/"), cast.village1a, None
    )
    page = _client(world["elder"]).get(f"/desk/youth/activities/{world['activity'].pk}/")
    assert f"/desk/youth/signups/{signup.pk}/photo-consent/withdraw/" in page.content.decode()
    received: list[dict] = []  # type: ignore[type-arg]

    def receiver(sender, **kwargs):  # type: ignore[no-untyped-def]
        received.append(kwargs)

    site_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            r = _client(world["elder"]).post(
                f"/desk/youth/signups/{signup.pk}/photo-consent/withdraw/"
            )
    finally:
        site_changed.disconnect(receiver)
    assert r.status_code == 302
    assert received and cast.village1a.pk in received[0]["unit_ids"]  # the site's cache purged
    signup.refresh_from_db()
    assert signup.photo_consent is False  # the sign-up stays
    assert not photo_is_public(photo)
    assert Client().get(f"/desk/youth/photos/a/{photo.pk}.jpg").status_code == 404
    html = render_care_photos(RequestFactory().get("/"), cast.village1a, None)
    assert f"/a/{photo.pk}.jpg" not in html
    [row] = _withdrawal_rows(signup)
    assert row.actor_id == world["elder"].pk and row.changes == {"photo_consent": [True, False]}
    assert row.action == "update" and row.note


def test_the_api_withdraws_photo_consent_and_the_sign_up(world):
    signup = _sign_up(world, world["mine"], world["mum"], photo=True)
    c = _client(world["officer"])
    api = f"/api/v1/activities/{world['activity'].pk}/signups/{signup.pk}"
    r = c.post(f"{api}/photo-consent/withdraw", content_type="application/json")
    assert r.status_code == 200 and r.json()["photo_consent"] is False
    assert r.json()["name"] == "巴*尔"
    r = c.post(f"{api}/withdraw", content_type="application/json")
    assert r.status_code == 204 and not SignUp.objects.exists()
    assert [row.action for row in _withdrawal_rows(signup)] == ["update", "delete"]
    assert c.post(f"{api}/withdraw", content_type="application/json").status_code == 404


# --- the check-in's limit on wrong numbers ------------------------------------------------


def test_too_many_wrong_numbers_are_refused_per_address_and_per_code(world, settings):
    settings.NUTAG_CHECKIN_TRIES = 3
    _sign_up(world, world["mine"], world["mum"])
    token = checkin_token(world["activity"])
    url = f"/desk/youth/checkin/{token}/"
    c = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        r = c.post(url, {"phone": "13900000000"})
        assert r.status_code == 200
    r = c.post(url, {"phone": "13912345678"})  # even the right number, for now
    assert r.status_code == 429
    html = r.content.decode()
    assert "错误次数过多" in html and "13912345678" in html  # said, and nothing typed is lost
    assert not SignUp.objects.filter(checked_in_at__isnull=False).exists()
    api = Client(REMOTE_ADDR="10.0.0.1").post(
        "/api/v1/activities/checkin",
        {"token": token, "phone": "13912345678"},
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["detail"]
    # per code: misses from many addresses add up
    from django.core.cache import cache

    cache.clear()
    for n in range(3):
        Client(REMOTE_ADDR=f"10.0.1.{n}").post(url, {"phone": "13900000000"})
    assert Client(REMOTE_ADDR="10.0.2.1").post(url, {"phone": "13912345678"}).status_code == 429
    # a right number does not count: after a clear, check-ins go through
    cache.clear()
    r = Client(REMOTE_ADDR="10.0.3.1").post(url, {"phone": "13912345678"})
    assert r.status_code == 302
