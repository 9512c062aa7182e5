"""The elder's visit form in a real Chromium on a 360 x 740 phone: from their own list of
young people, a visit dated in the future is refused next to the date with every text kept;
corrected, it is saved with a photo, which the record page links privately."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.tests.test_browser_desk import fits_the_phone
from nutag.factories import TEST_PASSWORD, make_elder, make_youth_record
from nutag.sites.tests.test_browser_sites import jpeg_bytes
from nutag.youth import services
from nutag.youth.models import Visit, VisitPhoto

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_elder_writes_a_visit_from_a_phone(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Path
) -> None:
    record = make_youth_record(unit=cast.village1a, name="巴特尔")
    elder = make_elder(unit=cast.village1a, username="elder")
    pair = services.pairing_create(
        acting_user=SYSTEM, record=record, elders=[elder], started_on=dt.date(2025, 9, 1)
    )
    photo = tmp_path / "visit.jpg"
    photo.write_bytes(jpeg_bytes())
    page = phone_page
    base = live_server.url
    page.goto(f"{base}/desk/login/")
    page.fill("input[name=username]", "elder")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/desk/youth/mine/")
    fits_the_phone(page)
    page.click(f"a[href='/desk/youth/pairs/{pair.pk}/visit/']")
    page.wait_for_url(f"**/youth/pairs/{pair.pk}/visit/")
    fits_the_phone(page)

    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page.fill("input[name=visited_on]", tomorrow)
    page.check("input[name=kind][value=home]")
    page.fill("textarea[name=mood]", "心情不错，说想当老师")
    page.fill("textarea[name=help_given]", "辅导一小时数学")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    fits_the_phone(page)
    assert Visit.objects.count() == 0
    # the refusal next to the date (its error id), in the user's language
    error = page.locator("#id_visited_on_error")
    assert error.count() == 1 and "走访日期不能晚于今天" in error.inner_text()
    assert page.input_value("textarea[name=mood]") == "心情不错，说想当老师"

    page.fill("input[name=visited_on]", timezone.localdate().isoformat())
    page.set_input_files("input[name=photo]", str(photo))
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**/desk/youth/{record.pk}/")
    fits_the_phone(page)
    visit = Visit.objects.get()
    assert visit.mood == "心情不错，说想当老师" and visit.help_given == "辅导一小时数学"
    shot = VisitPhoto.objects.get(visit=visit)
    assert page.locator(f"a[href='/desk/youth/photos/v/{shot.pk}.jpg']").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_activity_on_a_phone_sign_up_check_in_and_a_guardians_request(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    """The officer signs a child up with the guardian's consent (refused without it, the
    choice kept), the guardian checks in by the QR code's URL, then withdraws photo consent:
    every page fits 360 px."""
    from nutag.factories import PersonFactory, person_with_position
    from nutag.orgs.models import Access, PositionTitle
    from nutag.people.models import Guardianship
    from nutag.youth.models import SignUp

    record = make_youth_record(unit=cast.village1a, name="巴特尔")
    mum = PersonFactory(unit=cast.village1a, name="萨仁", phone="13912345678")
    Guardianship.objects.create(young=record.young, guardian=mum, relation="母亲")
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
    )
    page = phone_page
    base = live_server.url
    page.goto(f"{base}/desk/login/")
    page.fill("input[name=username]", "v1a-youth")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/desk/youth/activities/{activity.pk}/")
    fits_the_phone(page)
    page.click(f"a[href='/desk/youth/activities/{activity.pk}/signup/']")
    page.wait_for_load_state()
    fits_the_phone(page)
    page.click("main .list a")
    page.wait_for_load_state()
    fits_the_phone(page)
    # no guardian chosen: refused beside the field, the photo choice kept
    page.check("input[name=photo_consent]")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    fits_the_phone(page)
    assert not SignUp.objects.exists()
    assert page.locator("#id_consent_by_error").count() == 1
    assert page.is_checked("input[name=photo_consent]")
    page.check(f"input[name=consent_by][value='{mum.pk}']")
    page.select_option("select[name=consent_how]", "paper")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**/desk/youth/activities/{activity.pk}/")
    fits_the_phone(page)
    signup = SignUp.objects.get()
    assert signup.consent_by_id == mum.pk and signup.photo_consent
    assert page.locator(".qr svg").count() == 1
    checkin_url = page.locator(".qr + p small").inner_text().strip()

    # the guardian scans the code: no login, no name on the page
    page.context.clear_cookies()
    page.goto(checkin_url)
    fits_the_phone(page)
    assert "巴特尔" not in page.content()
    page.fill("input[name=phone]", "139-1234-5678")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    fits_the_phone(page)
    assert "巴特尔" not in page.content()
    signup.refresh_from_db()
    assert signup.checked_in_at is not None

    # back as the officer: the guardian asks for the photos to stay private
    page.goto(f"{base}/desk/login/")
    page.fill("input[name=username]", "v1a-youth")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/desk/youth/activities/{activity.pk}/")
    page.click("main details summary")
    fits_the_phone(page)
    page.click(f"form[action='/desk/youth/signups/{signup.pk}/photo-consent/withdraw/'] button")
    page.wait_for_url(f"**/desk/youth/activities/{activity.pk}/")
    fits_the_phone(page)
    signup.refresh_from_db()
    assert signup.photo_consent is False and SignUp.objects.count() == 1
