"""Comments on articles and public concerns: who may write (negatives first), moderation
before or after publication, the banner's word list, abuse reports, hiding that keeps the
row and its audit, the block under the article, the secretary's queue in the workbench."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import UserFactory, make_concern
from nutag.people.models import Person
from nutag.sites.models import Article, ArticleStatus, Placement, PlacementVia
from nutag.voice.models import Comment, CommentState, Moderation
from nutag.voice.services import comments as svc
from nutag.voice.services.comments import REPORT_THRESHOLD


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _article(unit, title: str = "草场新政策") -> Article:  # type: ignore[no-untyped-def]
    article = Article.objects.create(
        unit=unit, title=title, status=ArticleStatus.PUBLISHED, published_at=timezone.now()
    )
    Placement.objects.create(article=article, unit=unit, via=PlacementVia.OWN)
    return article


def _resident(unit, name: str):  # type: ignore[no-untyped-def]
    user = UserFactory(username=name)
    from nutag.factories import PersonFactory

    PersonFactory(unit=unit, name=f"{name}人", user=user, is_resident=True)
    return user


# --- Negatives first ----------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_other_village_and_login_without_person_cannot_comment(cast):
    article = _article(cast.village1a)
    url = f"/u/{cast.village1a.code}/a/{article.pk}/comments/"
    r = _client(None).post(url, {"text": "你好"})
    assert r.status_code == 302 and "/login/" in r["Location"]
    # a resident of the sibling village, a login with no person: 404, nothing written
    assert _client(_resident(cast.village1b, "b1")).post(url, {"text": "你好"}).status_code == 404
    assert _client(UserFactory(username="nobody")).post(url, {"text": "你好"}).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_an_article_not_shown_on_that_site_is_404(cast):
    other = _article(cast.village1b)
    url = f"/u/{cast.village1a.code}/a/{other.pk}/comments/"
    assert _client(cast.resident).post(url, {"text": "你好"}).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_private_concern_takes_no_comment(cast):
    private = make_concern(unit=cast.village1a)
    with pytest.raises(NotFound):
        svc.comment_post(acting_user=cast.resident, unit=cast.village1a, text="x", concern=private)
    url = f"/u/{cast.village1a.code}/concerns/{private.pk}/comments/"
    assert _client(cast.resident).post(url, {"text": "x"}).status_code == 404


@pytest.mark.django_db
def test_an_empty_comment_is_refused_next_to_the_field(cast):
    article = _article(cast.village1a)
    r = _client(cast.resident).post(
        f"/u/{cast.village1a.code}/a/{article.pk}/comments/", {"text": "   "}
    )
    assert r.status_code == 200 and 'id="id_text"' in r.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_resident_cannot_moderate_nor_a_sibling_secretary(cast):
    article = _article(cast.village1a)
    comment = svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="好", article=article
    )
    for user in (cast.resident, cast.village1a_officer, cast.village2a_secretary):
        with pytest.raises(NotFound):
            svc.comment_moderate(
                acting_user=user, comment=comment, version=comment.version, decision="hide"
            )
        r = _client(user).post(
            f"/desk/comments/{comment.pk}/moderate/",
            {"version": comment.version, "decision": "hide"},
        )
        assert r.status_code == 404
        assert _client(user).get(f"/desk/u/{cast.village1a.code}/comments/").status_code == 404
    assert Comment.objects.get(pk=comment.pk).state == CommentState.PUBLISHED


@pytest.mark.django_db
def test_only_the_banner_keeps_the_word_list(cast):
    with pytest.raises(NotFound):
        svc.word_list_set(acting_user=cast.village1a_secretary, banner=cast.banner, words="坏")
    with pytest.raises(NotFound):
        svc.word_list_set(acting_user=cast.township1_secretary, banner=cast.township1, words="x")


# --- Publishing and moderation --------------------------------------------------------------


@pytest.mark.django_db
def test_published_at_once_and_shown_under_the_article(cast):
    article = _article(cast.village1a)
    url = f"/u/{cast.village1a.code}/a/{article.pk}/"
    r = _client(cast.resident).post(url + "comments/", {"text": "这个政策很好"})
    assert r.status_code == 302
    comment = Comment.objects.get()
    assert comment.state == CommentState.PUBLISHED and comment.author_name == "牧**"
    page = _client(None).get(url).content.decode()
    assert "这个政策很好" in page and "牧**" in page
    assert "牧民" not in page.split('id="comments"')[1]  # the full name is never shown


@pytest.mark.django_db
def test_moderation_before_publication_holds_until_the_secretary_publishes(
    cast, django_capture_on_commit_callbacks
):
    svc.talk_settings_set(
        acting_user=cast.village1a_secretary, unit=cast.village1a, moderation=Moderation.BEFORE
    )
    article = _article(cast.village1a)
    url = f"/u/{cast.village1a.code}/a/{article.pk}/"
    r = _client(cast.resident).post(url + "comments/", {"text": "先审后发"})
    assert r.status_code == 200 and 'class="msg"' in r.content.decode()
    comment = Comment.objects.get()
    assert comment.state == CommentState.HELD and comment.held_for == "moderation"
    assert "先审后发" not in _client(None).get(url).content.decode()
    queue = _client(cast.village1a_secretary).get(f"/desk/u/{cast.village1a.code}/comments/")
    assert "先审后发" in queue.content.decode()
    assert 'href="/desk/' in queue.content.decode()  # the workbench layout
    with django_capture_on_commit_callbacks(execute=True):
        r = _client(cast.village1a_secretary).post(
            f"/desk/comments/{comment.pk}/moderate/",
            {"version": comment.version, "decision": "publish"},
        )
    assert r.status_code == 302
    assert Comment.objects.get(pk=comment.pk).state == CommentState.PUBLISHED
    assert "先审后发" in _client(None).get(url).content.decode()


@pytest.mark.django_db
def test_a_word_of_the_banners_list_holds_the_comment(cast):
    svc.word_list_set(acting_user=SYSTEM, banner=cast.banner, words="骗子\n  \nSPAM")
    article = _article(cast.village1a)
    held = svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="买 spam 便宜", article=article
    )
    fine = svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="好", article=article
    )
    assert held.state == CommentState.HELD and held.held_for == "words"
    assert fine.state == CommentState.PUBLISHED


@pytest.mark.django_db
def test_hiding_keeps_the_row_and_its_audit_and_can_be_undone(cast):
    article = _article(cast.village1a)
    comment = svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="要隐藏的话", article=article
    )
    hidden = svc.comment_moderate(
        acting_user=cast.township1_secretary,  # the township above may moderate too
        comment=comment,
        version=comment.version,
        decision="hide",
        note="人身攻击",
    )
    assert hidden.state == CommentState.HIDDEN
    assert Comment.objects.filter(pk=comment.pk).exists()
    restored = svc.comment_moderate(
        acting_user=cast.village1a_secretary,
        comment=hidden,
        version=hidden.version,
        decision="publish",
    )
    assert restored.state == CommentState.PUBLISHED
    audit = list(
        AuditEntry.objects.filter(object_type="voice.comment", object_id=str(comment.pk))
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert audit[1:] == [{"state": ["published", "hidden"]}, {"state": ["hidden", "published"]}]


@pytest.mark.django_db
def test_two_secretaries_deciding_at_once_end_with_one_decision(cast):
    article = _article(cast.village1a)
    comment = svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="x", article=article
    )
    seen = comment.version
    svc.comment_moderate(
        acting_user=cast.village1a_secretary, comment=comment, version=seen, decision="hide"
    )
    with pytest.raises(ValidationError):
        svc.comment_moderate(
            acting_user=cast.township1_secretary, comment=comment, version=seen, decision="hide"
        )
    assert AuditEntry.objects.filter(object_type="voice.comment", note="").count() == 2


@pytest.mark.django_db
def test_reports_from_distinct_logins_hold_a_comment_at_the_threshold(cast):
    article = _article(cast.village1a)
    comment = svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="有争议", article=article
    )
    reporters = [_resident(cast.village1a, f"r{i}") for i in range(REPORT_THRESHOLD)]
    svc.comment_report(acting_user=reporters[0], comment=comment)
    with pytest.raises(ValidationError):
        svc.comment_report(acting_user=reporters[0], comment=comment)  # once per login
    assert Comment.objects.get(pk=comment.pk).state == CommentState.PUBLISHED
    for user in reporters[1:]:
        r = _client(user).post(f"/u/{cast.village1a.code}/comments/{comment.pk}/report/")
        assert r.status_code == 200
    held = Comment.objects.get(pk=comment.pk)
    assert held.state == CommentState.HELD and held.held_for == "reports"
    assert held.reports == REPORT_THRESHOLD
    # a held comment can no longer be reported (it is not shown)
    r = _client(cast.volunteer).post(f"/u/{cast.village1a.code}/comments/{comment.pk}/report/")
    assert r.status_code == 404


@pytest.mark.django_db
def test_a_public_concern_takes_comments(cast):
    concern = make_concern(unit=cast.village1a, is_public=True)
    r = _client(cast.volunteer).post(
        f"/u/{cast.village1a.code}/concerns/{concern.pk}/comments/", {"text": "我也遇到过"}
    )
    assert r.status_code == 302
    assert Comment.objects.get().concern_id == concern.pk


@pytest.mark.django_db
def test_a_comment_purges_the_cached_article_page(cast, django_capture_on_commit_callbacks):
    article = _article(cast.village1a)
    url = f"/u/{cast.village1a.code}/a/{article.pk}/"
    assert "新的评论" not in _client(None).get(url).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        svc.comment_post(
            acting_user=cast.resident, unit=cast.village1a, text="新的评论", article=article
        )
    assert "新的评论" in _client(None).get(url).content.decode()


@pytest.mark.django_db
def test_the_person_is_kept_out_of_the_comment_when_their_login_goes(cast):
    article = _article(cast.village1a)
    comment = svc.comment_post(
        acting_user=cast.resident, unit=cast.village1a, text="x", article=article
    )
    Person.objects.filter(user=cast.resident).update(user=None)
    cast.resident.delete()
    kept = Comment.objects.get(pk=comment.pk)
    assert kept.author_id is None and kept.text == "x"


@pytest.mark.django_db
def test_the_public_concerns_page_shows_its_comments_and_a_private_one_has_none(cast):
    public = make_concern(unit=cast.village1a, is_public=True)
    svc.comment_post(acting_user=cast.resident, unit=cast.village1a, text="同问", concern=public)
    page = _client(None).get(f"/u/{cast.village1a.code}/concerns/{public.pk}/").content.decode()
    assert "同问" in page and 'id="comments"' in page
    private = make_concern(unit=cast.village1a, person=Person.objects.get(user=cast.resident))
    page = _client(cast.resident).get(f"/u/{cast.village1a.code}/concerns/{private.pk}/")
    assert 'id="comments"' not in page.content.decode()


@pytest.mark.django_db
def test_officers_handle_concerns_in_the_workbench_residents_on_the_site(cast):
    concern = make_concern(unit=cast.village1a, person=Person.objects.get(user=cast.resident))
    url = f"/u/{cast.village1a.code}/concerns/{concern.pk}/"
    desk_marker = 'href="/desk/me/"'  # the workbench bar's link to the officer's own page
    officer = _client(cast.village1a_officer)
    assert desk_marker in officer.get(url).content.decode()
    assert desk_marker in officer.get(f"/u/{cast.village1a.code}/concerns/").content.decode()
    assert desk_marker not in _client(cast.resident).get(url).content.decode()
