"""The standards, rounds and assessment pages over HTTP.

Negatives first: anonymous → login; no position, a sibling, the committee reviewing itself,
another township → 404 and nothing changed; bad input (a score outside the points, a file
too large, a stale version) → the form again with the message next to the field and
everything typed kept. Then the pages work end to end from a phone.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from nutag.assess.models import (
    Assessment,
    AssessmentStatus,
    Evidence,
    Round,
    RoundStatus,
    Standard,
    StandardItem,
)
from nutag.assess.selectors.rounds import RESULT_HEADERS
from nutag.assess.tests.rounds_helpers import (
    assessment_of,
    banner_secretary,
    five_good,
    items_of,
    open_round,
    submitted,
    this_year,
)
from nutag.core.tests.uploads import (
    PDF,
    media_root,  # noqa: F401  (fixture)
    photo,
    upload,
)

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def invalid(page: str, field: str) -> bool:
    """The field's wrapper is marked invalid (its message shows right there)."""
    at = page.index(f'id="id_{field}"')
    start = page.rindex('<div class="field', 0, at)
    return "invalid" in page[start : page.index(">", start)]


def form_data(assessment: Assessment, **overrides: object) -> dict[str, object]:
    """What the self-assessment page posts: every item at full points with a note."""
    data: dict[str, object] = {"version": assessment.version, "summary": "全年开展活动十二次"}
    for row in items_of(assessment):
        data[f"score_{row.pk}"] = row.item.points
        data[f"note_{row.pk}"] = f"{row.item.title}：有记录"
    data.update(overrides)
    return data


# --- who may open what ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    client = Client()
    for url in (
        f"/desk/u/{cast.banner.code}/standards/",
        f"/desk/u/{cast.banner.code}/rounds/",
        f"/desk/u/{cast.village1a.code}/assessments/",
        f"/desk/rounds/{round_.pk}/",
        f"/desk/rounds/{round_.pk}/export.xlsx",
        f"/desk/assessments/{mine.pk}/",
        f"/desk/assessments/{mine.pk}/review/",
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url
    r = client.post(f"/desk/assessments/{mine.pk}/", form_data(mine))
    assert "/login/" in r["Location"]
    assert Assessment.objects.get(pk=mine.pk).version == 0


def test_people_without_a_position_get_404(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    for user in (cast.volunteer, cast.resident):
        client = login(user)
        for url in (
            f"/desk/u/{cast.village1a.code}/standards/",
            f"/desk/u/{cast.village1a.code}/rounds/",
            f"/desk/rounds/{round_.pk}/",
            f"/desk/rounds/{round_.pk}/export.xlsx",
            f"/desk/assessments/{mine.pk}/",
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/desk/assessments/{mine.pk}/", form_data(mine)).status_code == 404
        r = client.post(f"/desk/u/{cast.banner.code}/standards/install/")
        assert r.status_code == 404
    assert Assessment.objects.get(pk=mine.pk).version == 0
    assert Standard.objects.count() == 3  # only the ones open_round installed


def test_a_sibling_village_can_neither_see_nor_fill(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    client = login(cast.village2a_secretary)
    assert client.get(f"/desk/assessments/{mine.pk}/").status_code == 404
    assert client.post(f"/desk/assessments/{mine.pk}/", form_data(mine)).status_code == 404
    assert client.get(f"/desk/u/{cast.village1a.code}/rounds/").status_code == 404
    assert client.get(f"/desk/u/{cast.village1a.code}/assessments/").status_code == 404
    # the round page lists its own line only
    page = client.get(f"/desk/rounds/{round_.pk}/").content.decode()
    assert cast.village2a.name in page and cast.village1a.name not in page
    mine.refresh_from_db()
    assert mine.version == 0 and mine.summary == ""


def test_a_village_reads_the_banners_round_and_standard_without_links_it_cannot_open(cast):
    round_ = open_round(cast.banner)
    home = f"/desk/u/{cast.banner.code}/"
    pages = {  # each page and the banner's list it belongs to
        f"/desk/rounds/{round_.pk}/": f"{home}rounds/",
        f"/desk/standards/{round_.standard_id}/": f"{home}standards/",
    }
    village = login(cast.village1a_secretary)
    for page, listing in pages.items():
        body = village.get(page).content.decode()
        assert cast.banner.name in body  # who issued it, as text
        assert f'href="{home}"' not in body and f'href="{listing}"' not in body
        assert village.get(home).status_code == 404 and village.get(listing).status_code == 404
    banner = login(cast.banner_officer)
    for page, listing in pages.items():
        body = banner.get(page).content.decode()
        assert f'href="{home}"' in body and f'href="{listing}"' in body
        assert banner.get(home).status_code == 200 and banner.get(listing).status_code == 200


def test_nobody_reviews_their_own_and_no_other_township_reviews(cast):
    round_ = open_round(cast.banner)
    mine = submitted(assessment_of(round_, cast.village1a))
    decision = {"version": mine.version, "decision": "accept", "comment": ""}
    for row in items_of(mine):
        decision[f"review_score_{row.pk}"] = row.item.points
    for user in (cast.village1a_secretary, cast.village2a_secretary, cast.township1_officer):
        client = login(user)
        assert client.get(f"/desk/assessments/{mine.pk}/review/").status_code == 404
        assert client.post(f"/desk/assessments/{mine.pk}/review/", decision).status_code == 404
        assert client.get(f"/desk/assessments/{mine.pk}/reopen/").status_code == 404
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.SUBMITTED and mine.score is None
    page = login(cast.village1a_secretary).get(f"/desk/assessments/{mine.pk}/").content.decode()
    assert f"/desk/assessments/{mine.pk}/review/" not in page


def test_officers_cannot_manage_standards_or_rounds(cast):
    standard = five_good(cast.banner)
    client = login(cast.banner_officer)
    assert client.get(f"/desk/u/{cast.banner.code}/standards/").status_code == 200
    assert client.get(f"/desk/u/{cast.banner.code}/standards/new/").status_code == 404
    assert client.get(f"/desk/u/{cast.banner.code}/rounds/new/").status_code == 404
    item = standard.items.first()
    assert item is not None
    for url, data in (
        (f"/desk/standards/{standard.pk}/", {"name": "改", "pass_mark": 1}),
        (f"/desk/standards/{standard.pk}/items/add/", {"title": "新", "points": 5}),
        (f"/desk/standard-items/{item.pk}/remove/", {}),
        (f"/desk/standard-items/{item.pk}/move/down/", {}),
        (f"/desk/u/{cast.banner.code}/rounds/new/", {"standard": standard.pk}),
    ):
        assert client.post(url, data).status_code == 404, url
    standard.refresh_from_db()
    assert standard.name == "五好关工委" and standard.items.count() == 5
    assert not Round.objects.exists()


# --- bad input keeps what was typed -----------------------------------------------------------


def test_a_score_above_the_points_comes_back_next_to_its_item(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    first = items_of(mine)[0]
    data = form_data(mine, **{f"score_{first.pk}": 25, "summary": "我们写的总结"})
    r = login(cast.village1a_officer).post(f"/desk/assessments/{mine.pk}/", data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "领导班子好" in page and "0" in page and "20" in page
    assert 'value="25"' in page and "我们写的总结" in page and "领导班子好：有记录" in page
    assert invalid(page, f"score_{first.pk}")
    mine.refresh_from_db()
    assert mine.version == 0 and mine.summary == ""


@pytest.mark.usefixtures("media_root")
def test_a_photo_too_large_saves_nothing_and_says_so(cast, settings):
    settings.NUTAG_IMAGE_MAX_BYTES = 2000
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    elders = next(r for r in items_of(mine) if r.item.title == "五老作用发挥好")
    data = form_data(mine, **{f"photo_{elders.pk}": photo(), "summary": "带照片的总结"})
    r = login(cast.village1a_officer).post(f"/desk/assessments/{mine.pk}/", data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "带照片的总结" in page
    assert 'role="alert"' in page
    assert invalid(page, f"photo_{elders.pk}")
    mine.refresh_from_db()
    assert mine.version == 0 and not Evidence.objects.exists()


@pytest.mark.usefixtures("media_root")
def test_evidence_the_item_does_not_ask_for_is_refused_next_to_it(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    rules = next(r for r in items_of(mine) if r.item.title == "制度健全落实好")  # text + files
    client = login(cast.village1a_officer)
    page = client.get(f"/desk/assessments/{mine.pk}/").content.decode()
    assert f'name="photo_{rules.pk}"' not in page  # the form offers no photo for it
    r = client.post(
        f"/desk/assessments/{mine.pk}/",
        form_data(mine, **{f"file_{rules.pk}": upload("制度.exe", b"MZ\x90\x00\x03")}),
    )
    assert r.status_code == 200
    assert invalid(r.content.decode(), f"file_{rules.pk}")
    assert not Evidence.objects.exists()


def test_a_stale_version_is_refused_and_the_typing_kept(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    stale = form_data(mine, summary="我的版本")
    login(cast.village1a_secretary).post(f"/desk/assessments/{mine.pk}/", form_data(mine))
    r = login(cast.village1a_officer).post(f"/desk/assessments/{mine.pk}/", stale)
    assert r.status_code == 200
    page = r.content.decode()
    assert "我的版本" in page and "v1a-secretary名" in page
    mine.refresh_from_db()
    assert mine.summary == "全年开展活动十二次" and mine.version == 1


def test_submitting_after_the_due_date_keeps_the_draft(cast):
    round_ = open_round(cast.banner, due=timezone.localdate() - dt.timedelta(days=2))
    mine = assessment_of(round_, cast.village1a)
    client = login(cast.village1a_officer)
    page = client.get(f"/desk/assessments/{mine.pk}/").content.decode()
    assert 'name="submit"' not in page  # the button is not offered
    r = client.post(f"/desk/assessments/{mine.pk}/", {**form_data(mine), "submit": "1"})
    assert r.status_code == 200
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.DRAFT and mine.summary == "全年开展活动十二次"


def test_returning_without_a_comment_keeps_the_scores_typed(cast):
    round_ = open_round(cast.banner)
    mine = submitted(assessment_of(round_, cast.village1a))
    data = {"version": mine.version, "decision": "return", "comment": ""}
    for row in items_of(mine):
        data[f"review_score_{row.pk}"] = 7
    r = login(cast.township1_secretary).post(f"/desk/assessments/{mine.pk}/review/", data)
    assert r.status_code == 200
    page = r.content.decode()
    assert page.count('value="7"') == 5
    assert invalid(page, "comment")
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.SUBMITTED


# --- the pages work ---------------------------------------------------------------------------


def test_a_banner_installs_the_defaults_and_opens_a_round(cast):
    client = login(banner_secretary(cast))
    page = client.get(f"/desk/u/{cast.banner.code}/standards/").content.decode()
    assert "/standards/install/" in page
    r = client.post(f"/desk/u/{cast.banner.code}/standards/install/")
    assert r.status_code == 302
    assert Standard.objects.filter(unit=cast.banner).count() == 3
    page = client.get(f"/desk/u/{cast.banner.code}/standards/").content.decode()
    assert "/standards/install/" not in page and "五好关工委" in page
    standard = Standard.objects.get(unit=cast.banner, name="五好关工委")
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    r = client.post(
        f"/desk/u/{cast.banner.code}/rounds/new/",
        {"standard": standard.pk, "year": this_year(), "title": "", "self_due": due},
    )
    round_ = Round.objects.get()
    assert r["Location"] == f"/desk/rounds/{round_.pk}/"
    assert round_.assessments.count() == 6
    page = client.get(f"/desk/rounds/{round_.pk}/").content.decode()
    assert "一甲嘎查" in page and "第二苏木" in page
    # a second round of the same standard and year: the message is next to the year
    r = client.post(
        f"/desk/u/{cast.banner.code}/rounds/new/",
        {"standard": standard.pk, "year": this_year(), "title": "再来", "self_due": due},
    )
    assert r.status_code == 200 and 'value="再来"' in r.content.decode()
    assert invalid(r.content.decode(), "year")
    assert Round.objects.count() == 1


def test_a_secretary_edits_a_standard_of_its_own(cast):
    client = login(cast.township1_secretary)
    r = client.post(
        f"/desk/u/{cast.township1.code}/standards/new/",
        {"name": "六有", "pass_mark": 40, "description": ""},
    )
    standard = Standard.objects.get(name="六有")
    assert r["Location"] == f"/desk/standards/{standard.pk}/"
    for title in ("有组织", "有阵地"):
        r = client.post(
            f"/desk/standards/{standard.pk}/items/add/",
            {"title": title, "points": 25, "accepts": ["text", "photo"], "auto_target": 1},
        )
        assert r.status_code == 302
    second = StandardItem.objects.get(title="有阵地")
    client.post(f"/desk/standard-items/{second.pk}/move/up/")
    assert [i.title for i in standard.items.order_by("position")] == ["有阵地", "有组织"]
    r = client.post(f"/desk/standards/{standard.pk}/", {"name": "六有", "pass_mark": 60})
    assert r.status_code == 200  # above the 50 points: refused next to the field
    assert invalid(r.content.decode(), "pass_mark")
    r = client.post(
        f"/desk/standard-items/{second.pk}/",
        {"title": "有阵地", "points": 30, "accepts": ["photo"], "auto_target": 1},
    )
    assert r.status_code == 302
    second.refresh_from_db()
    assert (second.points, second.accepts) == (30, ["photo"])
    # a village below reads it and can copy it, but not edit it
    village = login(cast.village1a_secretary)
    assert village.get(f"/desk/standards/{standard.pk}/").status_code == 200
    assert village.post(f"/desk/standard-items/{second.pk}/", {"title": "x"}).status_code == 404
    r = village.post(f"/desk/standards/{standard.pk}/copy/", {"to": cast.village1a.code})
    copy = Standard.objects.get(unit=cast.village1a)
    assert r["Location"] == f"/desk/standards/{copy.pk}/"
    assert login(cast.village2a_secretary).get(f"/desk/standards/{standard.pk}/").status_code == 404


@pytest.mark.usefixtures("media_root")
def test_a_village_fills_in_from_a_phone_and_the_township_accepts(cast):
    round_ = open_round(cast.banner)
    mine = assessment_of(round_, cast.village1a)
    rows = items_of(mine)
    elders = next(r for r in rows if r.item.title == "五老作用发挥好")
    rules = next(r for r in rows if r.item.title == "制度健全落实好")
    client = login(cast.village1a_officer)
    page = client.get(f"/desk/assessments/{mine.pk}/").content.decode()
    assert 'accept="image/*" capture' in page
    assert f'name="score_{elders.pk}"' in page and 'max="20"' in page and 'min="0"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "1" in page.split(f'id="item-{elders.pk}"')[1].split("</section>")[0]  # known value
    data = form_data(
        mine,
        **{
            f"camera_{elders.pk}": photo(),
            f"file_{rules.pk}": upload("制度.pdf", PDF, "application/pdf"),
            f"link_{elders.pk}": f"/u/{cast.village1a.code}/",
            f"link_name_{elders.pk}": "本村网站",
        },
    )
    r = client.post(f"/desk/assessments/{mine.pk}/", data)
    assert r.status_code == 302
    assert sorted(Evidence.objects.values_list("kind", flat=True)) == ["file", "link", "photo"]
    # remove the link, keep the rest, while saving what is typed
    link = Evidence.objects.get(kind="link")
    mine.refresh_from_db()
    r = client.post(
        f"/desk/assessments/{mine.pk}/", {**form_data(mine, summary="改过"), "remove": link.pk}
    )
    assert r.status_code == 302 and not Evidence.objects.filter(pk=link.pk).exists()
    mine.refresh_from_db()
    assert mine.summary == "改过"
    r = client.post(f"/desk/assessments/{mine.pk}/", {**form_data(mine), "submit": "1"})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.SUBMITTED and mine.self_total == 100
    # the committee now sees it read-only; the township reviews it
    page = client.get(f"/desk/assessments/{mine.pk}/").content.decode()
    assert f'name="score_{elders.pk}"' not in page
    reviewer = login(cast.township1_secretary)
    page = reviewer.get(f"/desk/assessments/{mine.pk}/").content.decode()
    assert f"/desk/assessments/{mine.pk}/review/" in page
    data = {"version": mine.version, "decision": "accept", "comment": "材料齐全"}
    for row in rows:
        data[f"review_score_{row.pk}"] = 17
    r = reviewer.post(f"/desk/assessments/{mine.pk}/review/", data)
    assert r.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.score, mine.passed) == (AssessmentStatus.ACCEPTED, 85, True)
    history = client.get(f"/desk/u/{cast.village1a.code}/assessments/").content.decode()
    assert "85" in history and str(this_year()) in history


def test_the_round_list_filters_and_exports_with_chinese_headers(cast):
    round_ = open_round(cast.banner)
    submitted(assessment_of(round_, cast.village1a))
    client = login(cast.township1_officer)
    page = client.get(f"/desk/rounds/{round_.pk}/?status=submitted").content.decode()
    assert "一甲嘎查" in page and "一乙嘎查" not in page
    r = client.get(f"/desk/rounds/{round_.pk}/export.xlsx")
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]] == RESULT_HEADERS
    units = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert set(units) == {"第一镇", "一甲嘎查", "一乙嘎查", "第一镇学校"}  # only below the viewer
    assert "第二苏木" not in units


def test_finishing_a_round_from_its_page(cast):
    user = banner_secretary(cast)
    round_ = open_round(cast.banner)
    assert (
        login(cast.township1_secretary).post(f"/desk/rounds/{round_.pk}/finish/").status_code == 404
    )
    client = login(user)
    assert client.get(f"/desk/rounds/{round_.pk}/finish/").status_code == 200
    r = client.post(f"/desk/rounds/{round_.pk}/finish/")
    assert r.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINISHED
    mine = assessment_of(round_, cast.village1a)
    page = login(cast.village1a_officer).get(f"/desk/assessments/{mine.pk}/").content.decode()
    assert 'name="summary"' not in page


def test_the_rounds_page_of_a_unit(cast):
    round_ = open_round(cast.banner)
    client = login(cast.village1a_officer)
    page = client.get(f"/desk/u/{cast.village1a.code}/rounds/").content.decode()
    mine = assessment_of(round_, cast.village1a)
    assert f"/desk/assessments/{mine.pk}/" in page
    assert f"/desk/u/{cast.village1a.code}/rounds/new/" not in page
    page = login(cast.township1_secretary).get(f"/desk/u/{cast.township1.code}/rounds/")
    assert f"/desk/u/{cast.township1.code}/rounds/new/" in page.content.decode()


def test_the_admin_lists_only_the_subtree_and_changes_nothing(cast):
    round_ = open_round(cast.banner)
    staff = cast.township1_secretary
    staff.is_staff = True
    staff.save()
    client = login(staff)
    page = client.get("/admin/assess/assessment/").content.decode()
    assert "一甲嘎查" in page and "二甲嘎查" not in page
    mine = assessment_of(round_, cast.village2a)
    assert client.get(f"/admin/assess/assessment/{mine.pk}/change/").status_code in (302, 403, 404)
    admin = login(cast.admin)
    for url in ("/admin/assess/standard/", "/admin/assess/round/", "/admin/assess/assessment/"):
        assert admin.get(url).status_code == 200, url
    standard = round_.standard
    assert admin.get(f"/admin/assess/standard/{standard.pk}/change/").status_code == 200
    r = admin.post(
        "/admin/assess/round/",
        {"action": "finish_rounds", "_selected_action": [round_.pk]},
    )
    assert r.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINISHED
