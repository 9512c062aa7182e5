"""Desk pages for writing, approving and placing articles, and for a site's columns.

Thin: fetch through ``access_*`` (404 for missing and for not yours), call a service, render.
A service error never loses what was typed: the form comes back bound, with the message next
to the field; files are never kept across a refused save, and the page says so.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import add_service_errors, run_action, submit_to_service
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.sites import services
from nutag.sites.forms import ArticleForm, ColumnForm, PushForm, ReturnForm
from nutag.sites.models import Article, ArticleStatus, Attachment
from nutag.sites.permissions import can_publish, can_publish_at
from nutag.sites.selectors import access_article
from nutag.sites.selectors.desk import (
    access_recommendation,
    article_pushed_to,
    column_choices,
    desk_articles,
    desk_columns,
    is_editable,
    is_publishable,
    push_targets,
)


def _rights(request: HttpRequest, article: Article) -> dict[str, bool]:
    user = request.user
    publish = can_publish(user, article)
    published = article.status == ArticleStatus.PUBLISHED
    return {
        "edit": is_editable(article),
        "submit": is_editable(article),
        "publish": publish and is_publishable(article),
        "return": publish and article.status == ArticleStatus.SUBMITTED,
        "take_back": article.status == ArticleStatus.SUBMITTED,
        "withdraw": publish and published,
        "push": publish and published and push_targets(article=article).exists(),
        "recommend": published and article.unit.depth > 1,
    }


def _back(article: Article) -> HttpResponse:
    return redirect("desk-article-edit", pk=article.pk)


@login_required
def article_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.WRITE_ARTICLES)
    can_publish = can_publish_at(request.user, unit)
    return render(
        request,
        "sites/desk_articles.html",
        {
            "unit": unit,
            "stages": desk_articles(unit=unit, include_recommendations=can_publish),
            "can_publish": can_publish,
        },
    )


def _form_page(
    request: HttpRequest, *, unit: Any, form: ArticleForm, article: Article | None
) -> HttpResponse:
    """The write/edit page. Reached after a POST only when the save was refused, and files are
    never kept then: the page says they must be chosen again."""
    return render(
        request,
        "sites/desk_article_form.html",
        {
            "unit": unit,
            "form": form,
            "article": article,
            "attachments": article.attachments.order_by("id") if article else [],
            "pushed_to": article_pushed_to(article=article) if article else [],
            "files_lost": request.method == "POST" and form.has_files(),
            "can": _rights(request, article) if article else {},
            "heading": article.title if article else _("New article"),
        },
    )


def _save(request: HttpRequest, form: ArticleForm, save: Any) -> Article | None:
    """Call the service; on a refusal, put its messages on the form and keep the input."""
    article: Article | None = submit_to_service(form, save)
    if article is None:
        return None
    if "and_submit" in request.POST:
        try:
            services.article_submit(acting_user=request.user, article=article)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved and sent for approval."))
            return article
    messages.success(request, _("Saved."))
    return article


@login_required
def article_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.WRITE_ARTICLES)
    if not unit.is_active:
        raise NotFound
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        columns=column_choices(unit=unit),
        initial={"column_key": request.GET.get("column", "")},
    )
    if request.method == "POST" and form.is_valid():
        article = _save(
            request,
            form,
            lambda: services.article_create(
                acting_user=request.user,
                unit=unit,
                data=form.to_input(),
                files=form.to_files(),
            ),
        )
        if article is not None:
            return _back(article)
    return _form_page(request, unit=unit, form=form, article=None)


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk)
    current = article.column.key if article.column else ""
    if request.method == "POST" and not is_editable(article):
        messages.error(
            request, _("A submitted or published article cannot be changed: take it back first.")
        )
        return _back(article)
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        columns=column_choices(unit=article.unit, current_key=current),
        article=article,
        initial=ArticleForm.initial_for(article),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: services.article_update(
                acting_user=request.user,
                article=article,
                data=form.to_input(),
                files=form.to_files(),
            ),
        )
        if saved is not None:
            return _back(saved)
    return _form_page(request, unit=article.unit, form=form, article=article)


@login_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk)
    return render(
        request,
        "sites/desk_article_preview.html",
        {
            "article": article,
            "unit": article.unit,
            "attachments": article.attachments.order_by("id"),
        },
    )


def _act(request: HttpRequest, article: Article, call: Any, done: str) -> HttpResponse:
    run_action(request, call, done)
    return _back(article)


@login_required
@require_POST
def article_submit(request: HttpRequest, pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk)
    return _act(
        request,
        article,
        lambda: services.article_submit(acting_user=request.user, article=article),
        _("Sent for approval."),
    )


@login_required
@require_POST
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk, perm=Perm.PUBLISH_ARTICLES)
    return _act(
        request,
        article,
        lambda: services.article_publish(acting_user=request.user, article=article),
        _("Published."),
    )


@login_required
def article_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a submitted article, or take a published one off the site. Taking one off
    the site asks first: a GET shows what will happen and a button that confirms (POST)."""
    article = access_article(user=request.user, pk=pk)
    if request.method != "POST":
        if article.status != ArticleStatus.PUBLISHED or not can_publish(request.user, article):
            return _back(article)
        return render(
            request,
            "sites/desk_article_action.html",
            {
                "article": article,
                "unit": article.unit,
                "form": None,
                "heading": _("Take this article off the site?"),
                "warning": _(
                    "Visitors will no longer see it on this site, nor on the sites it was "
                    "pushed to. It becomes a draft again; you can change it and publish it again."
                ),
                "confirm": _("Yes, take it off the site"),
                "danger": True,
            },
        )
    done = (
        _("Taken off the site.")
        if article.status == ArticleStatus.PUBLISHED
        else _("Taken back: it is a draft again.")
    )
    return _act(
        request,
        article,
        lambda: services.article_withdraw(acting_user=request.user, article=article),
        done,
    )


@login_required
@require_POST
def article_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk)
    return _act(
        request,
        article,
        lambda: services.article_recommend(acting_user=request.user, article=article),
        _("Recommended to the unit above; its secretary decides."),
    )


@login_required
def article_return(request: HttpRequest, pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk, perm=Perm.PUBLISH_ARTICLES)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_return(
                acting_user=request.user, article=article, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Returned to the writer."))
            return _back(article)
    return render(
        request,
        "sites/desk_article_action.html",
        {
            "article": article,
            "unit": article.unit,
            "form": form,
            "heading": _("Return for changes"),
            "confirm": _("Return"),
        },
    )


@login_required
def article_push(request: HttpRequest, pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk, perm=Perm.PUBLISH_ARTICLES)
    form = PushForm(request.POST or None, targets=push_targets(article=article))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            added = services.article_push(
                acting_user=request.user,
                article=article,
                unit_ids=d["units"],
                all_below=d["scope"] == PushForm.ALL,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Now shown on %(count)d more units.") % {"count": added}
                if added
                else _("It was already shown on those units."),
            )
            return _back(article)
    return render(
        request,
        "sites/desk_article_action.html",
        {
            "article": article,
            "unit": article.unit,
            "form": form,
            "heading": _("Push down to units below"),
            "confirm": _("Push down"),
            "pushed_to": article_pushed_to(article=article),
        },
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    article = access_article(user=request.user, pk=pk)
    attachment = Attachment.objects.filter(pk=attachment_pk, article=article).first()
    if attachment is None:
        raise NotFound
    return _act(
        request,
        article,
        lambda: services.attachment_remove(acting_user=request.user, attachment=attachment),
        _("Attachment removed."),
    )


@login_required
@require_POST
def recommendation_decide(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    placement = access_recommendation(user=request.user, pk=pk)
    service = services.recommendation_accept if accept else services.recommendation_decline
    service(acting_user=request.user, placement=placement)
    messages.success(
        request,
        _("Accepted: it now shows on this unit's site.") if accept else _("Declined."),
    )
    return redirect("desk-articles", code=placement.unit.code)


# --- columns ---------------------------------------------------------------------------


def _columns_page(
    request: HttpRequest, unit: Any, bound: ColumnForm | None = None, bound_key: str = ""
) -> HttpResponse:
    rows = []
    for column, inside in desk_columns(unit=unit):
        form = (
            bound
            if bound is not None and column.key == bound_key
            else ColumnForm(
                initial={
                    "title": column.title,
                    "title_mn": column.title_mn,
                    "enabled": column.enabled,
                },
                prefix=column.key,
            )
        )
        rows.append({"column": column, "inside": inside, "form": form})
    return render(request, "sites/desk_columns.html", {"unit": unit, "rows": rows})


@login_required
def columns_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.PUBLISH_ARTICLES)
    return _columns_page(request, unit)


def _column(request: HttpRequest, code: str, key: str) -> tuple[Any, Any]:
    unit = access_unit(user=request.user, code=code, perm=Perm.PUBLISH_ARTICLES)
    columns = services.columns_ensure(acting_user=request.user, unit=unit)
    column = next((c for c in columns if c.key == key), None)
    if column is None:
        raise NotFound
    return unit, column


@login_required
@require_POST
def column_edit(request: HttpRequest, code: str, key: str) -> HttpResponse:
    unit, column = _column(request, code, key)
    form = ColumnForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.column_update(acting_user=request.user, column=column, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Column saved."))
            return redirect("desk-columns", code=unit.code)
    return _columns_page(request, unit, bound=form, bound_key=key)


@login_required
@require_POST
def column_move(request: HttpRequest, code: str, key: str) -> HttpResponse:
    unit, column = _column(request, code, key)
    services.column_move(
        acting_user=request.user, column=column, up=request.POST.get("direction") != "down"
    )
    return redirect(reverse("desk-columns", kwargs={"code": unit.code}) + f"#col-{key}")
