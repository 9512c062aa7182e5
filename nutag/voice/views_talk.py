"""Comments and the secretary's inbox, as pages.

- Under an article of a unit's site: the published comments and, for a verified resident,
  the form (``render_comments``, a block registered with ``sites.extensions``; what an
  anonymous reader sees is the same for all, so the page stays cacheable).
- ``/u/<code>/a/<pk>/comments/`` and ``/u/<code>/concerns/<pk>/comments/`` take a comment;
  ``/u/<code>/comments/<id>/report/`` an abuse report.
- ``/desk/u/<code>/comments/``: the secretary's moderation queue, the unit's moderation choice
  and, at a banner, the word list (workbench layout).
- ``/u/<code>/inbox/`` and ``/u/<code>/inbox/<id>/``: the resident's threads with the office;
  ``/desk/u/<code>/inbox/`` and ``/desk/u/<code>/inbox/<id>/``: the office's side.
Parse, check, call, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import run_action, submit_to_service
from nutag.orgs.selectors import get_unit_by_code
from nutag.sites.selectors import access_public_article
from nutag.sites.selectors.memo import SLOTS, unit_memo
from nutag.voice.forms_talk import CommentForm, ModerationForm, ReplyForm, ThreadForm, WordsForm
from nutag.voice.models import CommentState
from nutag.voice.permissions import (
    can_answer_inbox,
    can_comment,
    can_edit_word_list,
    can_moderate_comments,
    can_write_inbox,
)
from nutag.voice.selectors import access_concern
from nutag.voice.selectors.comments import (
    access_moderated_comment,
    access_published_comment,
    moderation_queue,
    published_comments,
    talk_settings,
)
from nutag.voice.selectors.inbox import access_thread, my_threads, thread_messages, unit_threads
from nutag.voice.services import comments as comment_services
from nutag.voice.services import inbox as inbox_services

SHOWN_COMMENTS = 30


# Stands for the reader's CSRF token in a kept block (letters only: printed as it is).
_TOKEN_MARK = "nutagvoicekepttokenmark"  # noqa: S105 (a placeholder, not a secret)


def render_comments(request: HttpRequest, unit: Any, article: Any) -> str:
    """The block under an article: its published comments and the way to add one.

    Its HTML is kept per article and language under the unit's slot generation
    (``sites.selectors.memo``; every comment service that changes what the public sees
    announces it; a publish of another article does not ask it again): for anonymous
    readers one block for all (no form, no token, no name); for logged-in readers one for
    those who may comment here and one for those who may not, whether they may asked on
    every render, with a mark where each form's CSRF token goes and the reader's own token
    put there (nothing else in the block depends on who reads it)."""
    logged_in = request.user.is_authenticated
    may = logged_in and can_comment(request.user, unit)

    def compute() -> str:
        rows = list(published_comments(unit=unit, article_id=article.pk)[:SHOWN_COMMENTS])
        return render_to_string(
            "voice/comments/_block.html",
            {
                "unit": unit,
                "rows": rows,
                "may_comment": may,
                "form": CommentForm() if may else None,
                "action": f"/u/{unit.code}/a/{article.pk}/comments/",
                "back": f"/u/{unit.code}/a/{article.pk}/",
                "user_is_authenticated": logged_in,
                "csrf_token": _TOKEN_MARK,
            },
        )

    reader = ("in-may" if may else "in") if logged_in else "anonymous"
    name = f"voice.comments:{article.pk}:{get_language()}:{reader}"
    html = unit_memo(unit, name, compute, by=SLOTS)
    if _TOKEN_MARK in html:
        html = html.replace(_TOKEN_MARK, get_token(request))
    return html


def render_concern_comments(request: HttpRequest, concern: Any) -> str:
    """The same block under a public concern on its page ("" for a private one)."""
    if not concern.is_public:
        return ""
    unit = concern.origin
    rows = list(published_comments(unit=unit, concern_id=concern.pk)[:SHOWN_COMMENTS])
    may = request.user.is_authenticated and can_comment(request.user, unit)
    back = f"/u/{unit.code}/concerns/{concern.pk}/"
    return render_to_string(
        "voice/comments/_block.html",
        {
            "unit": unit,
            "rows": rows,
            "may_comment": may,
            "form": CommentForm() if may else None,
            "action": back + "comments/",
            "back": back,
            "user_is_authenticated": request.user.is_authenticated,
        },
        request,
    )


def _post_comment(request: HttpRequest, unit: Any, back: str, **target: Any) -> HttpResponse:
    if not can_comment(request.user, unit):
        raise NotFound
    form = CommentForm(request.POST)
    if form.is_valid():
        done = submit_to_service(
            form,
            lambda: comment_services.comment_post(
                acting_user=request.user, unit=unit, text=form.cleaned_data["text"], **target
            ),
        )
        if done is not None:
            if done.state == CommentState.HELD:
                return _note(
                    request, unit, _("Thank you. Your comment is shown once it is checked."), back
                )
            return redirect(back + "#comments")
    return render(request, "voice/comments/form.html", {"unit": unit, "form": form, "back": back})


def _note(request: HttpRequest, unit: Any, text: str, back: str) -> HttpResponse:
    return render(request, "voice/comments/note.html", {"unit": unit, "text": text, "back": back})


@login_required
@require_POST
def article_comment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    article = access_public_article(unit=unit, pk=pk)
    return _post_comment(request, unit, f"/u/{unit.code}/a/{article.pk}/", article=article)


@login_required
@require_POST
def concern_comment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    concern = access_concern(user=request.user, pk=pk)
    if concern.origin_id != unit.pk or not concern.is_public:
        raise NotFound
    return _post_comment(request, unit, f"/u/{unit.code}/concerns/{concern.pk}/", concern=concern)


@login_required
@require_POST
def comment_report(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    comment = access_published_comment(unit=unit, pk=pk)
    back = (
        f"/u/{unit.code}/a/{comment.article_id}/"
        if comment.article_id
        else f"/u/{unit.code}/concerns/{comment.concern_id}/"
    )
    try:
        comment_services.comment_report(
            acting_user=request.user, comment=comment, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        return _note(request, unit, " ".join(exc.messages), back)
    return _note(request, unit, _("Thank you: the secretary will look at it."), back)


# --- The workbench: moderation -----------------------------------------------------------


def _saved(form: Any, call: Any) -> bool:
    return submit_to_service(form, call) is not None


@login_required
@require_http_methods(["GET", "POST"])
def desk_comments(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    if not can_moderate_comments(request.user, unit):
        raise NotFound
    current = talk_settings(unit=unit)
    words_allowed = can_edit_word_list(request.user, unit)
    settings_form = ModerationForm(initial={"moderation": current.moderation})
    words_form = WordsForm(initial={"words": current.words}) if words_allowed else None
    if request.method == "POST":
        if request.POST.get("form") == "words" and words_allowed:
            words_form = WordsForm(request.POST)
            if words_form.is_valid() and _saved(
                words_form,
                lambda: comment_services.word_list_set(
                    acting_user=request.user, banner=unit, words=words_form.cleaned_data["words"]
                ),
            ):
                messages.success(request, _("Saved."))
                return redirect(request.path)
        else:
            settings_form = ModerationForm(request.POST)
            if settings_form.is_valid() and _saved(
                settings_form,
                lambda: comment_services.talk_settings_set(
                    acting_user=request.user,
                    unit=unit,
                    moderation=settings_form.cleaned_data["moderation"],
                ),
            ):
                messages.success(request, _("Saved."))
                return redirect(request.path)
    state = request.GET.get("state", CommentState.HELD)
    rows = moderation_queue(user=request.user, unit=unit, state=state)[:100]
    return render(
        request,
        "voice/comments/desk.html",
        {
            "unit": unit,
            "rows": rows,
            "state": state if state in CommentState.values else CommentState.HELD,
            "states": CommentState.choices,
            "settings_form": settings_form,
            "words_form": words_form,
        },
    )


@login_required
@require_POST
def desk_comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = access_moderated_comment(user=request.user, pk=pk)
    version = request.POST.get("version", "")
    run_action(
        request,
        lambda: comment_services.comment_moderate(
            acting_user=request.user,
            comment=comment,
            version=int(version) if version.isdigit() else -1,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        ),
        _("Done."),
    )
    return redirect(f"/desk/u/{comment.unit.code}/comments/?state={comment.state}")


# --- The secretary's inbox ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest, code: str) -> HttpResponse:
    """The resident's threads with their unit's office, and a new one."""
    unit = get_unit_by_code(code=code)
    if not can_write_inbox(request.user, unit):
        raise NotFound
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = submit_to_service(
            form,
            lambda: inbox_services.thread_start(
                acting_user=request.user,
                unit=unit,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
            ),
        )
        if thread is not None:
            return redirect(f"/u/{unit.code}/inbox/{thread.pk}/")
    return render(
        request,
        "voice/inbox/mine.html",
        {"unit": unit, "rows": my_threads(user=request.user, unit=unit)[:50], "form": form},
    )


def _thread_page(request: HttpRequest, pk: int, template: str, link: str) -> HttpResponse:
    thread = access_thread(user=request.user, pk=pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: inbox_services.thread_reply(
                acting_user=request.user, thread=thread, text=form.cleaned_data["text"]
            ),
        )
        if done is not None:
            return redirect(link.format(code=thread.unit.code, pk=thread.pk))
    inbox_services.thread_mark_read(acting_user=request.user, thread=thread)
    return render(
        request,
        template,
        {
            "unit": thread.unit,
            "thread": thread,
            "messages_": thread_messages(thread=thread),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inbox_thread(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    thread = access_thread(user=request.user, pk=pk)
    if thread.unit_id != unit.pk or not can_write_inbox(request.user, unit):
        raise NotFound
    return _thread_page(request, pk, "voice/inbox/thread.html", "/u/{code}/inbox/{pk}/")


@login_required
def desk_inbox(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    unread = request.GET.get("unread") == "1"
    rows = unit_threads(user=request.user, unit=unit, unread=unread)[:100]
    return render(request, "voice/inbox/desk.html", {"unit": unit, "rows": rows, "unread": unread})


@login_required
@require_http_methods(["GET", "POST"])
def desk_inbox_thread(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    thread = access_thread(user=request.user, pk=pk)
    if thread.unit_id != unit.pk or not can_answer_inbox(request.user, unit):
        raise NotFound
    return _thread_page(request, pk, "voice/inbox/desk_thread.html", "/desk/u/{code}/inbox/{pk}/")
