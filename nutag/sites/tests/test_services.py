"""Site services: rights (negatives first), the workflow, push down, recommend up, columns,
uploads. Reads go through ``nutag.sites.selectors`` (what a visitor would see)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.media import image_files
from nutag.core.models import AuditEntry
from nutag.core.tests.uploads import (
    PDF,
    media_root,  # noqa: F401  (fixture)
    photo,
    png_bytes,
    upload,
)
from nutag.factories import make_unit
from nutag.orgs.models import UnitKind
from nutag.sites import services
from nutag.sites.columns import DEFAULT_COLUMNS
from nutag.sites.events import site_changed
from nutag.sites.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Attachment,
    Column,
    Placement,
    PlacementVia,
)
from nutag.sites.selectors import site_articles, site_notices
from nutag.sites.services import ArticleFiles, ArticleInput

pytestmark = pytest.mark.django_db

# the picture at most 1440 wide, and AVIF, WebP and JPEG at 640, 480 and 360 px (core.media)
FILES_PER_PICTURE = 10


def draft(unit, user=SYSTEM, **kw) -> Article:  # type: ignore[no-untyped-def]
    data = ArticleInput(title=kw.pop("title", "春季防火通知"), **kw)
    return services.article_create(acting_user=user, unit=unit, data=data)


def published(unit, **kw) -> Article:  # type: ignore[no-untyped-def]
    article = draft(unit, **kw)
    return services.article_publish(acting_user=SYSTEM, article=article)


def shown_on(unit) -> list[str]:  # type: ignore[no-untyped-def]
    return list(site_articles(unit=unit).values_list("title", flat=True))


# --- rights: everything out of reach is NotFound and changes nothing --------------------


def test_people_without_a_position_cannot_write(cast):
    for user in (cast.volunteer, cast.resident):
        with pytest.raises(NotFound):
            draft(cast.village1a, user)
    assert not Article.objects.exists()


def test_writers_reach_their_subtree_only(cast):
    for user, unit in (
        (cast.village1a_officer, cast.village1b),  # sibling
        (cast.village1a_officer, cast.township1),  # above
        (cast.village1a_secretary, cast.village2a),  # other township
        (cast.township1_secretary, cast.banner),  # above
        (cast.township1_officer, cast.township2),  # sibling township
    ):
        with pytest.raises(NotFound):
            draft(unit, user)
    assert not Article.objects.exists()


def test_officer_writes_but_cannot_publish_return_or_push(cast):
    article = draft(cast.village1a, cast.village1a_officer)
    services.article_submit(acting_user=cast.village1a_officer, article=article)
    with pytest.raises(NotFound):
        services.article_publish(acting_user=cast.village1a_officer, article=article)
    with pytest.raises(NotFound):
        services.article_return(acting_user=cast.village1a_officer, article=article, reason="x")
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    assert not Placement.objects.exists()
    own = published(cast.township1, title="镇里的文章")
    with pytest.raises(NotFound):
        services.article_push(acting_user=cast.township1_officer, article=own, all_below=True)
    assert Placement.objects.filter(article=own).count() == 1


def test_secretary_cannot_publish_above_or_across(cast):
    township_article = draft(cast.township1)
    other_village = draft(cast.village2a)
    for article in (township_article, other_village):
        with pytest.raises(NotFound):
            services.article_publish(acting_user=cast.village1a_secretary, article=article)
        article.refresh_from_db()
        assert article.status == ArticleStatus.DRAFT
    with pytest.raises(NotFound):
        services.article_update(
            acting_user=cast.village1a_secretary,
            article=township_article,
            data=ArticleInput(title="改"),
        )
    assert Article.objects.get(pk=township_article.pk).title == "春季防火通知"


def test_township_secretary_publishes_a_village_article(cast):
    article = draft(cast.village1a, cast.village1a_officer)
    services.article_publish(acting_user=cast.township1_secretary, article=article)
    assert shown_on(cast.village1a) == ["春季防火通知"]


# --- the workflow ----------------------------------------------------------------------


def test_full_workflow_with_a_return(cast, django_capture_on_commit_callbacks):
    officer, secretary = cast.village1a_officer, cast.village1a_secretary
    article = draft(cast.village1a, officer, body="<p>内容</p><script>alert(1)</script>")
    assert article.status == ArticleStatus.DRAFT and article.author == officer
    assert "<script" not in article.body
    services.article_submit(acting_user=officer, article=article)
    with pytest.raises(ValidationError) as exc:
        services.article_return(acting_user=secretary, article=article, reason="   ")
    assert "reason" in exc.value.message_dict
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED
    services.article_return(acting_user=secretary, article=article, reason="请补充时间地点")
    article.refresh_from_db()
    assert (article.status, article.return_reason) == (ArticleStatus.RETURNED, "请补充时间地点")
    services.article_update(
        acting_user=officer, article=article, data=ArticleInput(title="春季防火通知（补充）")
    )
    services.article_submit(acting_user=officer, article=article)
    assert shown_on(cast.village1a) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(acting_user=secretary, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.approved_by == secretary and article.published_at is not None
    assert article.return_reason == ""
    assert shown_on(cast.village1a) == ["春季防火通知（补充）"]
    placement = Placement.objects.get(article=article)
    assert (placement.unit, placement.via, placement.accepted) == (
        cast.village1a,
        PlacementVia.OWN,
        True,
    )
    statuses = [
        e.changes.get("status")
        for e in AuditEntry.objects.filter(
            object_type="unitsites.article", object_id=str(article.pk)
        ).order_by("id")
    ]
    assert [s for s in statuses if s] == [
        [None, "draft"],
        ["draft", "submitted"],
        ["submitted", "returned"],
        ["returned", "submitted"],
        ["submitted", "published"],
    ]


def test_frozen_articles_cannot_be_edited(cast):
    article = draft(cast.village1a)
    services.article_submit(acting_user=SYSTEM, article=article)
    with pytest.raises(ValidationError):
        services.article_update(acting_user=SYSTEM, article=article, data=ArticleInput(title="x"))
    services.article_publish(acting_user=SYSTEM, article=article)
    with pytest.raises(ValidationError):
        services.article_update(acting_user=SYSTEM, article=article, data=ArticleInput(title="x"))
    with pytest.raises(ValidationError):
        services.article_submit(acting_user=SYSTEM, article=article)
    with pytest.raises(ValidationError):
        services.article_publish(acting_user=SYSTEM, article=article)
    with pytest.raises(ValidationError):
        services.article_return(acting_user=SYSTEM, article=article, reason="晚了")
    assert Article.objects.get(pk=article.pk).title == "春季防火通知"


def test_withdraw_takes_back_or_takes_off(cast):
    article = draft(cast.village1a)
    with pytest.raises(ValidationError):
        services.article_withdraw(acting_user=cast.village1a_officer, article=article)
    services.article_submit(acting_user=cast.village1a_officer, article=article)
    services.article_withdraw(acting_user=cast.village1a_officer, article=article)
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT
    services.article_publish(acting_user=cast.village1a_secretary, article=article)
    with pytest.raises(NotFound):  # an officer cannot take a published article off
        services.article_withdraw(acting_user=cast.village1a_officer, article=article)
    services.article_withdraw(acting_user=cast.village1a_secretary, article=article)
    assert shown_on(cast.village1a) == []
    # withdrawn: can be edited and published again
    services.article_update(
        acting_user=cast.village1a_officer, article=article, data=ArticleInput(title="更正")
    )
    services.article_publish(acting_user=cast.village1a_secretary, article=article)
    assert shown_on(cast.village1a) == ["更正"]
    assert Placement.objects.filter(article=article).count() == 1


def test_scheduled_article_appears_when_due(cast):
    later = timezone.now() + dt.timedelta(hours=2)
    article = published(cast.village1a, publish_at=later)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at == later
    assert shown_on(cast.village1a) == []
    # the time comes (the placements' copy of it follows the article's save)
    article.publish_at = article.published_at = timezone.now() - dt.timedelta(1)
    article.save()
    assert shown_on(cast.village1a) == ["春季防火通知"]


def test_closed_unit_cannot_write(cast):
    from nutag.orgs.services import unit_close

    school = make_unit(parent=cast.village1a, kind=UnitKind.SCHOOL, name="要关的学校")
    unit_close(acting_user=SYSTEM, unit=school)
    school.refresh_from_db()
    with pytest.raises(ValidationError):
        draft(school)


def test_text_is_cleaned(cast):
    article = draft(
        cast.village1a,
        title="<b>标题</b>\u202e",
        summary="<img src=x onerror=alert(1)>摘要",
        body="第一段\n\n<a href='javascript:alert(1)'>链接</a>",
        title_mn="ᠨᠤᠲᠤᠭ",
        body_mn="<p>ᠮᠣᠩᠭᠣᠯ</p><iframe src=x></iframe>",
    )
    assert article.title == "标题"
    assert article.summary == "摘要"
    assert article.body == '<p>第一段</p>\n\n<p><a rel="noopener noreferrer">链接</a></p>'
    assert article.title_mn == "ᠨᠤᠲᠤᠭ"
    assert article.body_mn == "<p>ᠮᠣᠩᠭᠣᠯ</p>"
    with pytest.raises(ValidationError) as exc:
        draft(cast.village1a, title="<script>x</script>")
    assert "title" in exc.value.message_dict


# --- push down ----------------------------------------------------------------------------


def test_push_refuses_units_not_strictly_below(cast):
    notice = published(cast.township1, title="镇通知", kind=ArticleKind.NOTICE)
    secretary = cast.township1_secretary
    for target in (cast.township1, cast.banner, cast.township2, cast.village2a):
        with pytest.raises(NotFound):
            services.article_push(acting_user=secretary, article=notice, unit_ids=[target.pk])
    with pytest.raises(NotFound):  # one bad id spoils the whole request
        services.article_push(
            acting_user=secretary, article=notice, unit_ids=[cast.village1a.pk, cast.village2a.pk]
        )
    with pytest.raises(NotFound):
        services.article_push(acting_user=secretary, article=notice, unit_ids=[999999])
    with pytest.raises(ValidationError):
        services.article_push(acting_user=secretary, article=notice, unit_ids=[])
    assert Placement.objects.filter(article=notice).count() == 1
    # a village secretary cannot push the township's notice, even to their own village
    with pytest.raises(NotFound):
        services.article_push(
            acting_user=cast.village1a_secretary, article=notice, unit_ids=[cast.village1a.pk]
        )
    unpublished = draft(cast.township1)
    with pytest.raises(ValidationError):
        services.article_push(acting_user=secretary, article=unpublished, all_below=True)


def test_push_to_all_villages_shows_on_each_site(cast, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kwargs):  # type: ignore[no-untyped-def]
        received.append(kwargs)

    site_changed.connect(receiver)
    try:
        notice = published(cast.township1, title="镇防汛通知", kind=ArticleKind.NOTICE)
        with django_capture_on_commit_callbacks(execute=True):
            added = services.article_push(
                acting_user=cast.township1_secretary, article=notice, all_below=True
            )
    finally:
        site_changed.disconnect(receiver)
    below = {cast.village1a, cast.village1b, cast.school1}
    assert added == len(below)
    for unit in below:
        assert list(site_notices(unit=unit).values_list("title", flat=True)) == ["镇防汛通知"]
        assert Placement.objects.get(article=notice, unit=unit).via == PlacementVia.PUSHED
    for unit in (cast.village2a, cast.township2, cast.banner):
        assert shown_on(unit) == []
    assert received[-1]["unit_ids"] == sorted(u.pk for u in below)
    assert received[-1]["article_ids"] == [notice.pk]
    # idempotent
    before = AuditEntry.objects.count()
    assert (
        services.article_push(acting_user=cast.township1_secretary, article=notice, all_below=True)
        == 0
    )
    assert Placement.objects.filter(article=notice).count() == len(below) + 1
    assert AuditEntry.objects.count() == before


def test_push_to_chosen_units_and_banner_reaches_every_village(cast):
    notice = published(cast.banner, title="旗通知", kind=ArticleKind.NOTICE)
    services.article_push(acting_user=cast.admin, article=notice, unit_ids=[cast.village1b.pk])
    assert shown_on(cast.village1b) == ["旗通知"]
    assert shown_on(cast.village1a) == []
    services.article_push(acting_user=cast.admin, article=notice, all_below=True)
    for unit in (cast.township1, cast.township2, cast.village1a, cast.village2a, cast.school1):
        assert shown_on(unit) == ["旗通知"]
    services.article_withdraw(acting_user=cast.admin, article=notice)
    assert shown_on(cast.village2a) == []


# --- recommend up -------------------------------------------------------------------------


def test_recommend_accept_and_decline(cast):
    article = published(cast.village1a, title="嘎查好人好事")
    with pytest.raises(NotFound):  # not the village's writer
        services.article_recommend(acting_user=cast.village2a_secretary, article=article)
    placement = services.article_recommend(acting_user=cast.village1a_officer, article=article)
    assert (placement.unit, placement.via, placement.accepted) == (
        cast.township1,
        PlacementVia.RECOMMENDED,
        False,
    )
    assert services.article_recommend(acting_user=cast.village1a_officer, article=article) == (
        placement
    )
    assert shown_on(cast.township1) == []
    # the village's own secretary cannot accept for the township
    with pytest.raises(NotFound):
        services.recommendation_accept(acting_user=cast.village1a_secretary, placement=placement)
    with pytest.raises(NotFound):
        services.recommendation_accept(acting_user=cast.township1_officer, placement=placement)
    services.recommendation_accept(acting_user=cast.township1_secretary, placement=placement)
    assert shown_on(cast.township1) == ["嘎查好人好事"]
    assert shown_on(cast.village1a) == ["嘎查好人好事"]
    services.recommendation_decline(acting_user=cast.township1_secretary, placement=placement)
    assert shown_on(cast.township1) == []
    assert (
        AuditEntry.objects.filter(
            object_type="unitsites.article",
            object_id=str(article.pk),
            note__contains=cast.township1.name,
        ).count()
        == 3
    )


def test_only_published_articles_are_recommended(cast):
    article = draft(cast.village1a)
    with pytest.raises(ValidationError):
        services.article_recommend(acting_user=cast.village1a_officer, article=article)
    banner_article = published(cast.banner)
    with pytest.raises(ValidationError):  # nothing above the banner
        services.article_recommend(acting_user=cast.admin, article=banner_article)
    assert not Placement.objects.filter(via=PlacementVia.RECOMMENDED).exists()


def test_a_pushed_placement_is_not_a_recommendation(cast):
    notice = published(cast.township1)
    services.article_push(acting_user=SYSTEM, article=notice, unit_ids=[cast.village1a.pk])
    pushed = Placement.objects.get(article=notice, unit=cast.village1a)
    with pytest.raises(NotFound):
        services.recommendation_decline(acting_user=cast.village1a_secretary, placement=pushed)
    assert Placement.objects.filter(pk=pushed.pk).exists()


# --- columns ------------------------------------------------------------------------------


def test_columns_ensure_is_idempotent_and_nests_the_party_home(cast):
    with pytest.raises(NotFound):
        services.columns_ensure(acting_user=cast.village1a_officer, unit=cast.village1a)
    assert not Column.objects.exists()
    columns = services.columns_ensure(acting_user=cast.village1a_secretary, unit=cast.village1a)
    assert [c.key for c in columns] == [c.key for c in DEFAULT_COLUMNS]
    assert columns[0].title == "党建之家"
    home = columns[0]
    inside = Column.objects.filter(unit=cast.village1a, parent=home).values_list("key", flat=True)
    assert set(inside) == {"thematic_education", "online_study", "micro_branch", "next_generation"}
    again = services.columns_ensure(acting_user=cast.village1a_secretary, unit=cast.village1a)
    assert [c.pk for c in again] == [c.pk for c in columns]


def test_column_update_and_reorder(cast):
    columns = services.columns_ensure(acting_user=SYSTEM, unit=cast.village1a)
    news = next(c for c in columns if c.key == "news")
    with pytest.raises(NotFound):
        services.column_update(
            acting_user=cast.village1a_officer, column=news, title="x", title_mn="", enabled=True
        )
    with pytest.raises(ValidationError):
        services.column_update(
            acting_user=cast.village1a_secretary,
            column=news,
            title="<b></b>",
            title_mn="",
            enabled=True,
        )
    services.column_update(
        acting_user=cast.village1a_secretary,
        column=news,
        title="嘎查新闻",
        title_mn="ᠰᠣᠨᠢᠨ",
        enabled=False,
    )
    news.refresh_from_db()
    assert (news.title, news.title_mn, news.enabled) == ("嘎查新闻", "ᠰᠣᠨᠢᠨ", False)
    with pytest.raises(ValidationError):
        services.columns_reorder(acting_user=SYSTEM, unit=cast.village1a, ordered_ids=[news.pk])
    ids = [c.pk for c in columns]
    services.columns_reorder(acting_user=SYSTEM, unit=cast.village1a, ordered_ids=ids[::-1])
    assert (
        list(
            Column.objects.filter(unit=cast.village1a)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        == ids[::-1]
    )


def test_column_move_swaps_with_a_sibling_only(cast):
    columns = services.columns_ensure(acting_user=SYSTEM, unit=cast.village1a)
    by_key = {c.key: c for c in columns}

    def order(parent_key: str | None) -> list[str]:
        qs = Column.objects.filter(unit=cast.village1a).order_by("position", "id")
        parent = by_key[parent_key].pk if parent_key else None
        return list(qs.filter(parent_id=parent).values_list("key", flat=True))

    services.column_move(acting_user=cast.village1a_secretary, column=by_key["governance"], up=True)
    assert order(None)[:3] == ["party_home", "governance", "public_affairs"]
    # the first column inside the group stays first when moved up
    services.column_move(acting_user=SYSTEM, column=by_key["thematic_education"], up=True)
    assert order("party_home")[0] == "thematic_education"
    services.column_move(acting_user=SYSTEM, column=by_key["thematic_education"], up=False)
    assert order("party_home")[:2] == ["online_study", "thematic_education"]
    with pytest.raises(NotFound):
        services.column_move(acting_user=cast.village2a_secretary, column=by_key["news"], up=True)


def test_article_in_a_default_column_saves_the_columns(cast):
    article = draft(cast.village1a, column_key="next_generation")
    assert article.column.key == "next_generation"
    assert article.column.parent.key == "party_home"
    assert Column.objects.filter(unit=cast.village1a).count() == len(DEFAULT_COLUMNS)
    with pytest.raises(ValidationError) as exc:
        draft(cast.village1a, column_key="no_such_column")
    assert "column_key" in exc.value.message_dict
    other = services.columns_ensure(acting_user=SYSTEM, unit=cast.village1b)
    assert other[0].unit == cast.village1b


# --- uploads ------------------------------------------------------------------------------


def _stored_files(root) -> set[str]:  # type: ignore[no-untyped-def]
    if not root.exists():
        return set()
    return {
        os.path.relpath(os.path.join(d, f), root) for d, _s, files in os.walk(root) for f in files
    }


def test_cover_photos_attachments_and_audio(cast, media_root):  # noqa: F811
    from nutag.core.tests.uploads import MP3

    article = services.article_create(
        acting_user=cast.village1a_officer,
        unit=cast.village1a,
        data=ArticleInput(title="植树", body="大家一起种树。"),
        files=ArticleFiles(
            cover=photo("封面.jpg", width=1600, height=900),
            photos=[photo("一.jpg"), upload("二.png", png_bytes())],
            audio=upload("朗读.mp3", MP3),
            attachments=[upload("名单.pdf", PDF)],
        ),
    )
    assert (article.cover_width, article.cover_height) == (1440, 810)
    assert [v["width"] for v in article.cover_image["variants"]] == [640, 480, 360]
    assert article.cover.name == article.cover_image["name"]
    assert len(article.photos) == 2
    assert article.body.startswith("<p>大家一起种树。</p>")
    assert article.body.count("<picture>") == 2 and 'type="image/webp"' in article.body
    assert article.audio.name.endswith(".mp3")
    attachment = Attachment.objects.get(article=article)
    assert (attachment.name, attachment.size) == ("名单.pdf", len(PDF))
    files = _stored_files(media_root)
    # each picture: the re-encoded file and its sizes (none wider than it) in three formats;
    # then audio, attachment
    pictures = [article.cover_image, *article.photos]
    assert files == {f for p in pictures for f in image_files(p)} | {
        article.audio.name,
        attachment.file.name,
    }
    assert len(image_files(article.cover_image)) == FILES_PER_PICTURE
    assert not any("封面" in f or "名单" in f for f in files), "stored under random names"


def test_a_bad_upload_saves_nothing(cast, media_root):  # noqa: F811
    for files in (
        ArticleFiles(cover=photo("好.jpg"), photos=[upload("坏.jpg", b"not a picture")]),
        ArticleFiles(cover=photo("好.jpg"), attachments=[upload("病毒.pdf", b"MZ....")]),
        ArticleFiles(photos=[photo("好.jpg")], audio=upload("假.mp3", b"text")),
    ):
        with pytest.raises(ValidationError):
            services.article_create(
                acting_user=SYSTEM,
                unit=cast.village1a,
                data=ArticleInput(title="保留不了"),
                files=files,
            )
    assert not Article.objects.exists()
    assert _stored_files(media_root) == set(), "files written before the refusal are removed"


def test_replacing_the_cover_deletes_the_old_files_after_commit(
    cast,
    media_root,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    article = services.article_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=ArticleInput(title="换封面"),
        files=ArticleFiles(cover=photo("旧.jpg")),
    )
    old = set(_stored_files(media_root))
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_update(
            acting_user=SYSTEM,
            article=article,
            data=ArticleInput(title="换封面"),
            files=ArticleFiles(cover=photo("新.jpg")),
        )
    now = _stored_files(media_root)
    assert len(now) == FILES_PER_PICTURE and not (now & old)
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_update(
            acting_user=SYSTEM,
            article=article,
            data=ArticleInput(title="换封面"),
            files=ArticleFiles(remove_cover=True),
        )
    assert not article.cover and article.cover_image == {}
    assert _stored_files(media_root) == set()


def test_deleting_a_photo_from_the_text_deletes_its_files(
    cast,
    media_root,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    article = services.article_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=ArticleInput(title="照片", body="文字"),
        files=ArticleFiles(photos=[photo("一.jpg")]),
    )
    assert len(_stored_files(media_root)) == FILES_PER_PICTURE
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            acting_user=SYSTEM, article=article, data=ArticleInput(title="照片", body="只有文字")
        )
    article.refresh_from_db()
    assert article.photos == [] and "<picture>" not in article.body
    assert _stored_files(media_root) == set()


def test_attachments_only_while_editable(cast, media_root):  # noqa: F811
    article = draft(cast.village1a)
    with pytest.raises(NotFound):
        services.attachment_add(
            acting_user=cast.village2a_secretary, article=article, upload=upload("a.pdf", PDF)
        )
    attachment = services.attachment_add(
        acting_user=cast.village1a_officer, article=article, upload=upload("a.pdf", PDF)
    )
    services.article_submit(acting_user=SYSTEM, article=article)
    with pytest.raises(ValidationError):
        services.attachment_add(acting_user=SYSTEM, article=article, upload=upload("b.pdf", PDF))
    with pytest.raises(ValidationError):
        services.attachment_remove(acting_user=SYSTEM, attachment=attachment)
    services.article_withdraw(acting_user=SYSTEM, article=article)
    services.attachment_remove(acting_user=cast.village1a_officer, attachment=attachment)
    assert not Attachment.objects.exists()


def test_photo_lines_move_and_remove_photos(cast, media_root, django_capture_on_commit_callbacks):  # noqa: F811
    from nutag.sites.bodies import body_for_editing

    article = services.article_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        data=ArticleInput(title="两张照片", body="开头"),
        files=ArticleFiles(photos=[photo("一.jpg"), photo("二.jpg")]),
    )
    first, second = (p["name"].rpartition("/")[2].rpartition(".")[0] for p in article.photos)
    typed = body_for_editing(article.body, article.photos)
    assert typed == f"开头\n\n[photo:{first}]\n\n[photo:{second}]"
    # saved unchanged: the same body
    same = services.article_update(
        acting_user=SYSTEM, article=article, data=ArticleInput(title="两张照片", body=typed)
    )
    assert same.body == article.body
    # move the second photo first, drop the first one, and a made-up line is ignored
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.article_update(
            acting_user=SYSTEM,
            article=article,
            data=ArticleInput(
                title="两张照片", body=f"[photo:{second}]\n\n开头\n\n[photo:deadbeef00]"
            ),
        )
    assert moved.body.startswith("<figure><picture>") and moved.body.endswith("<p>开头</p>")
    assert second in moved.body and first not in moved.body
    assert [p["name"] for p in moved.photos] == [article.photos[1]["name"]]
    assert len(_stored_files(media_root)) == FILES_PER_PICTURE
