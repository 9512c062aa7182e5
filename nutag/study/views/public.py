"""Members' study pages on a unit's site: a course, a lesson with its quiz, one's own record.

Public courses are read by anyone; progress and quizzes need a login with a person record.
Progress arrives from ``static/study/progress.js`` (and the service worker's offline queue) as
small POSTs with the phone's own id for each update.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.people.models import Person
from nutag.sites.selectors.public import public_unit
from nutag.study import selectors, services
from nutag.study.selectors import live


def _private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A logged-in reader's page (their progress, their quiz) is kept by no cache, the service
    worker's included; anonymous readers' pages of public lessons may be kept for offline."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _lesson_private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A member's lesson page: never in a shared cache, always asked for again when online
    ("private, no-cache"), but not "no-store", so the phone's service worker keeps it and the
    lesson opened once is read with no signal (progress made then waits in the service worker's
    queue, or the page's where no worker runs)."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _person(request: HttpRequest) -> Person | None:
    return live.person_for(request.user)


def course_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = public_unit(code=code)
    person = _person(request)
    course = selectors.access_course(user=request.user, pk=pk, unit=unit, reader=person)
    lessons = list(course.lessons.all())
    mine = live.my_course_progress(person=person, course=course)
    rows = [(lesson, mine.get(lesson.pk)) for lesson in lessons]
    context = {"unit": unit, "course": course, "rows": rows, "person": person}
    return _private(request, render(request, "study/course.html", context))


def lesson_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = public_unit(code=code)
    person = _person(request)
    lesson = selectors.access_lesson(user=request.user, pk=pk, unit=unit, reader=person)
    progress, attempts = live.my_lesson_state(person=person, lesson=lesson)
    context = {
        "unit": unit,
        "lesson": lesson,
        "course": lesson.course,
        "person": person,
        "progress": progress,
        "attempts_left": max(0, lesson.max_attempts - (attempts or 0)),
        "quiz": list(enumerate(lesson.quiz)),
        "quiz_id": uuid.uuid4().hex,
    }
    return _lesson_private(request, render(request, "study/lesson.html", context))


def lesson_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """A lesson's PDF, to whoever may read the lesson, with safe headers: its type fixed (no
    sniffing), shown inline in a sandbox (no script of the file runs on the site's origin)."""
    from django.http import FileResponse
    from django.utils.http import content_disposition_header

    unit = public_unit(code=code)
    person = _person(request)
    lesson = selectors.access_lesson(user=request.user, pk=pk, unit=unit, reader=person)
    if not lesson.pdf:
        raise NotFound
    response = FileResponse(lesson.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, lesson.pdf_name or "lesson.pdf") or "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if request.user.is_authenticated or not lesson.course.is_public:
        patch_cache_control(response, private=True)
    return response


@require_POST
def lesson_progress(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One progress update (``id``, ``seconds``, ``end``), as sent by progress.js or replayed by
    the service worker. Answers JSON; the same ``id`` twice counts once."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "login"}, status=403)
    unit = public_unit(code=code)
    person = _person(request)
    lesson = selectors.access_lesson(user=request.user, pk=pk, unit=unit, reader=person)
    try:
        seconds = int(request.POST.get("seconds") or 0)
    except ValueError:
        seconds = 0
    try:
        progress = services.progress_record(
            acting_user=request.user,
            lesson=lesson,
            client_id=request.POST.get("id", ""),
            seconds=seconds,
            reached_end=request.POST.get("end") == "1",
            person=person,
        )
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {
            "seconds": progress.seconds,
            "reached_end": progress.reached_end,
            "completed": progress.completed_at is not None,
        }
    )


@require_POST
@login_required
def lesson_quiz(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = public_unit(code=code)
    lesson = selectors.access_lesson(user=request.user, pk=pk, unit=unit)
    answers = []
    for i in range(len(lesson.quiz)):
        given = []
        for value in request.POST.getlist(f"q{i}"):
            try:
                given.append(int(value))
            except ValueError:
                continue
        answers.append(given)
    try:
        attempt = services.quiz_submit(
            acting_user=request.user,
            lesson=lesson,
            client_id=request.POST.get("id", ""),
            answers=answers,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if attempt.passed:
            messages.success(request, _("Passed with %(score)s%%.") % {"score": attempt.score})
        else:
            messages.error(
                request,
                _("Not passed (%(score)s%%). Read again and retry.") % {"score": attempt.score},
            )
    return redirect("study-lesson", code=unit.code, pk=lesson.pk)


@login_required
def my_study(request: HttpRequest, code: str) -> HttpResponse:
    """One's own study record (a timeline) and how each point was earned."""
    unit = public_unit(code=code)
    person = _person(request)
    timeline = selectors.person_timeline(person=person) if person else []
    ledger = list(selectors.points_ledger(person=person)) if person else []
    return _private(
        request,
        render(
            request,
            "study/me.html",
            {
                "unit": unit,
                "person": person,
                "timeline": timeline,
                "ledger": ledger,
                "total": sum(e.points for e in ledger),
            },
        ),
    )


@login_required
def micro_branch(request: HttpRequest, code: str) -> HttpResponse:
    """The micro-branch page of a mobile member: this month's check-in and the earlier ones."""
    from nutag.core.forms import submit_to_service
    from nutag.study.forms import CheckInForm

    unit = public_unit(code=code)
    person = _person(request)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form, lambda: services.checkin_post(acting_user=request.user, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Checked in for this month. Thank you."))
            return redirect("study-micro-branch", code=unit.code)
    context = {
        "unit": unit,
        "person": person,
        "form": form,
        "earlier": live.my_checkins(person=person),
        "meetings": list(live.member_meetings(person=person)) if person else [],
    }
    return _private(request, render(request, "study/micro_branch.html", context))


@login_required
def meeting_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A live meeting (a remote Party lesson) for a member of its branch: sign in while it is
    on, catch up after it. Anyone else: 404."""
    unit = public_unit(code=code)
    meeting, person, attendance = live.member_meeting(user=request.user, pk=pk)
    if request.method == "POST":
        token = request.POST.get("token", "")
        try:
            if request.POST.get("action") == "catch_up":
                services.meeting_catch_up(acting_user=request.user, meeting=meeting)
                messages.success(request, _("Caught up: counted as attended remotely."))
            else:
                services.meeting_sign_in(acting_user=request.user, meeting=meeting, qr_token=token)
                messages.success(request, _("Signed in. Thank you."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("study-meeting", code=unit.code, pk=meeting.pk)
    context = {
        "unit": unit,
        "meeting": meeting,
        "person": person,
        "attendance": attendance,
        "state": live.live_state(meeting),
        "token": request.GET.get("t", "")[:300],
    }
    return _private(request, render(request, "study/meeting.html", context))
