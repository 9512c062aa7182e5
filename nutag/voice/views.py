"""The concern pages on a unit's site (``/u/<code>/concerns/…``): raise one, follow it, and
for the unit's officers the list to handle and the steps; the village polls
(``/u/<code>/polls/…``): put one, vote, see the results; the open poll's home block.
Parse, check, call, render."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.orgs.selectors import get_unit_by_code
from nutag.voice import services
from nutag.voice.forms import AnswerForm, CloseForm, ConcernForm, PassForm, PollForm, ReopenForm
from nutag.voice.models import OPEN_STATES, ConcernState
from nutag.voice.permissions import (
    can_close_concern,
    can_handle_concern,
    can_handle_concerns,
    can_raise_concern,
    can_run_polls,
)
from nutag.voice.selectors import access_concern, concern_steps, concerns_of_unit, my_concerns
from nutag.voice.selectors.polls import access_poll, open_poll_until, poll_view, shown_poll
from nutag.voice.services import polls as poll_services
from nutag.voice.views_talk import render_concern_comments

DESK_BASE = "core/desk_base.html"
PUBLIC_BASE = "sites/public_base.html"


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    if not can_raise_concern(request.user, unit):
        raise NotFound
    categories = services.categories_ensure(
        acting_user=request.user, banner=services.banner_of(unit)
    )
    if request.method == "POST":
        form = ConcernForm(request.POST, request.FILES, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            done = submit_to_service(
                form,
                lambda: services.concern_submit(
                    acting_user=request.user,
                    unit=unit,
                    category=data["category"],
                    text=data["text"],
                    location=data["location"],
                    photos=data["photos"],
                    voice_note=data["voice_note"],
                    is_public=data["is_public"],
                    is_anonymous=data["is_anonymous"],
                    idempotency_key=data["key"],
                ),
            )
            if done is not None:
                url = f"/u/{unit.code}/concerns/{done.concern.pk}/"
                return redirect(url + ("?note=missing" if done.problems else ""))
    else:
        form = ConcernForm(initial={"key": secrets.token_urlsafe(16)}, categories=categories)
    return render(request, "voice/concern_new.html", {"unit": unit, "form": form})


@login_required
def concern_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    state = request.GET.get("state", "")
    handler = can_handle_concerns(request.user, unit)
    if handler:
        if state and state not in ConcernState.values:
            state = ""
        rows = concerns_of_unit(
            user=request.user, unit=unit, state=state, overdue=request.GET.get("overdue") == "1"
        )[:100]
    elif can_raise_concern(request.user, unit):
        rows = my_concerns(user=request.user).filter(origin=unit)[:100]
    else:
        raise NotFound
    return render(
        request,
        "voice/concern_list.html",
        {
            "unit": unit,
            "rows": rows,
            "handler": handler,
            "state": state,
            "states": ConcernState.choices,
            "may_raise": can_raise_concern(request.user, unit),
            "base_template": DESK_BASE if handler else PUBLIC_BASE,
        },
    )


FORMS: dict[str, type[forms.Form]] = {
    "answer": AnswerForm,
    "pass": PassForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}


def _forms(concern: Any, data: Any = None) -> dict[str, forms.Form]:
    """The step forms of a concern's page, each with its own ids (an officer's page shows the
    answer and the pass forms together: both have a ``version``)."""
    initial = {"version": concern.version}
    return {
        name: form_class(data, initial=initial, auto_id=f"id_{name}_%s")
        for name, form_class in FORMS.items()
    }


@require_http_methods(["GET", "POST"])
def concern_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    concern = access_concern(user=request.user, pk=pk)
    if code not in (concern.origin.code, concern.unit.code):
        raise NotFound
    handler = can_handle_concern(request.user, concern)
    raiser = can_close_concern(request.user, concern)
    forms_ = _forms(concern)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = _act(request, concern, action, handler=handler, raiser=raiser)
        if done is True:
            return redirect(f"/u/{code}/concerns/{concern.pk}/")
        if isinstance(done, forms.Form):
            forms_[action] = done
        else:
            error = done
        concern = access_concern(user=request.user, pk=pk)
    show_person = handler and not concern.is_anonymous and concern.person_id
    return render(
        request,
        "voice/concern_detail.html",
        {
            "unit": concern.origin,
            "concern": concern,
            "steps": concern_steps(concern=concern),
            "handler": handler,
            "raiser": raiser,
            "person": concern.person if show_person else None,
            "forms": forms_,
            "error": error,
            "is_open": concern.state in OPEN_STATES,
            "note_missing": request.GET.get("note") == "missing",
            "comments": render_concern_comments(request, concern),  # views_talk.py
            # The officers work on it in the workbench; the resident and visitors on the site.
            "base_template": DESK_BASE if handler else PUBLIC_BASE,
        },
    )


def _act(request: HttpRequest, concern: Any, action: str, *, handler: bool, raiser: bool) -> Any:
    """Run one step; True when done, the form with its errors, or an error message."""
    user = request.user
    version_text = request.POST.get("version", "")
    version = int(version_text) if version_text.isdigit() else -1
    simple = {"accept": services.concern_accept, "start": services.concern_start}
    if action in simple:
        if not handler:
            raise NotFound
        try:
            simple[action](acting_user=user, concern=concern, version=version)
        except ValidationError as exc:
            return " ".join(exc.messages)
        return True
    if action not in FORMS:
        raise NotFound
    if (action in ("answer", "pass") and not handler) or (
        action in ("close", "reopen") and not raiser
    ):
        raise NotFound
    form = FORMS[action](request.POST, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return form
    data = form.cleaned_data
    if action == "answer":
        call: Any = lambda: services.concern_answer(  # noqa: E731
            acting_user=user, concern=concern, version=data["version"], answer=data["answer"]
        )
    elif action == "pass":
        target = get_unit_by_code(code=data["target"].strip())
        call = lambda: services.concern_pass(  # noqa: E731
            acting_user=user,
            concern=concern,
            version=data["version"],
            target=target,
            note=data["note"],
        )
    elif action == "close":
        call = lambda: services.concern_close(  # noqa: E731
            acting_user=user,
            concern=concern,
            version=data["version"],
            rating=data["rating"],
            comment=data["comment"],
        )
    else:
        call = lambda: services.concern_reopen(  # noqa: E731
            acting_user=user, concern=concern, version=data["version"], note=data["note"]
        )
    result = submit_to_service(form, call, {"target": "target"})
    return True if result is not None else form


# --- Village polls -----------------------------------------------------------------------


def _poll_page(request: HttpRequest, poll: Any, error: str = "") -> HttpResponse:
    return render(
        request,
        "voice/poll.html",
        {
            "unit": poll.unit,
            "view": poll_view(user=request.user, poll=poll),
            "runner": can_run_polls(request.user, poll.unit),
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def poll_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    try:
        poll = access_poll(user=request.user, pk=pk)
    except NotFound:
        # The home's "Vote" button is shown to every reader: a login that is not on the
        # poll's list is told so (403) instead of "not found"; any other poll stays a 404.
        poll = shown_poll(code=code, pk=pk)
        return render(
            request, "voice/poll_not_voter.html", {"unit": poll.unit, "poll": poll}, status=403
        )
    if poll.unit.code != code:
        raise NotFound
    if request.method == "POST":
        choice = request.POST.get("option", "")
        try:
            poll_services.poll_vote(
                acting_user=request.user,
                poll=poll,
                option_id=int(choice) if choice.isdigit() else 0,
            )
        except ValidationError as exc:
            return _poll_page(request, poll, " ".join(exc.messages))
        return redirect(f"/u/{code}/polls/{poll.pk}/")
    return _poll_page(request, poll)


@login_required
@require_http_methods(["GET", "POST"])
def poll_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    if not can_run_polls(request.user, unit):
        raise NotFound
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        poll = submit_to_service(
            form,
            lambda: poll_services.poll_create(
                acting_user=request.user,
                unit=unit,
                question=data["question"],
                options=data["options"].splitlines(),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                electorate=data["electorate"],
                live_results=data["live_results"],
            ),
        )
        if poll is not None:
            return redirect(f"/u/{code}/polls/{poll.pk}/")
    return render(request, "voice/poll_new.html", {"unit": unit, "form": form})


def render_open_poll(request: HttpRequest, unit: Any) -> str:
    """The site's home block: the unit's open poll, the same for every reader.

    Its HTML is kept per language under the unit's slot generation (``sites.selectors.memo``;
    ``poll_create`` announces the change) until the moment it changes with time alone: the
    poll closes or a later one opens (issue 17: the block was a quarter of a cold home)."""
    from django.template.loader import render_to_string
    from django.utils import timezone
    from django.utils.translation import get_language

    from nutag.sites.selectors.memo import SLOTS, unit_memo

    now = timezone.now()

    def compute() -> tuple[str, dt.datetime | None]:
        poll, until = open_poll_until(unit=unit, now=now)
        if poll is None:
            return "", until
        html = render_to_string("voice/_poll_block.html", {"unit": unit, "poll": poll}, request)
        return html, until

    def fresh(kept: tuple[str, dt.datetime | None]) -> bool:
        return kept[1] is None or now < kept[1]

    html, _until = unit_memo(unit, f"voice.poll:{get_language()}", compute, fresh=fresh, by=SLOTS)
    return html
