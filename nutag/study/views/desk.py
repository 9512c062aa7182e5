"""The workbench's study pages for a unit: its courses and who has studied, reminders,
三会一课 records against the rhythm, points."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import run_action, submit_to_service
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.study import selectors, services
from nutag.study.forms import (
    AbsenceForm,
    CourseForm,
    HomeStudyForm,
    LessonForm,
    MeetingForm,
    PhotosForm,
    PointRuleForm,
    ScheduleForm,
    VolunteeringForm,
)
from nutag.study.models import Course
from nutag.study.permissions import can_manage_study, can_set_point_rules, can_view_study_records
from nutag.study.selectors import live
from nutag.study.selectors.records import (
    assigned_lessons,
    meeting_attendance,
    point_rules,
    unit_meeting,
    unit_meetings,
)


def _unit(request: HttpRequest, code: str) -> Unit:
    """The unit, if the login may read its study records (at it or above it)."""
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_PEOPLE)
    return unit


def _managed_unit(request: HttpRequest, code: str) -> Unit:
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_UNIT)
    if not can_manage_study(request.user, unit):
        raise NotFound
    return unit


def study_home(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    today = timezone.localdate()
    courses = list(selectors.courses_for_unit(unit=unit)[:20])
    context = {
        "unit": unit,
        "courses": [selectors.branch_study(unit=unit, course=c) for c in courses],
        "rhythm": selectors.meeting_rhythm(unit=unit, year=today.year, today=today),
        "ranking": selectors.points_ranking(unit=unit, year=today.year, limit=10),
        "can_manage": can_manage_study(request.user, unit),
        "can_rules": can_set_point_rules(request.user, unit),
    }
    return render(request, "study/desk_home.html", context)


def _home_form(request: HttpRequest, unit: Unit, course: Course, lessons: list) -> HomeStudyForm:  # type: ignore[type-arg]
    people = list(
        selectors.audience_people(unit=unit, audience=course.audience, exact=True).order_by(
            "name_pinyin"
        )[:300]
    )
    return HomeStudyForm(request.POST or None, people=people, lessons=lessons)


def course_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _unit(request, code)
    course = selectors.access_course(user=request.user, pk=pk, unit=unit)
    lessons = list(course.lessons.all())
    can_manage = can_manage_study(request.user, unit)
    context = {
        "unit": unit,
        "course": course,
        "lessons": lessons,
        "home_form": _home_form(request, unit, course, lessons) if can_manage and lessons else None,
        "branch": selectors.branch_study(unit=unit, course=course),
        "can_manage": can_manage_study(request.user, unit),
        "owns": can_manage_study(request.user, course.unit) and course.unit_id == unit.pk,
    }
    return render(request, "study/desk_course.html", context)


def course_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = submit_to_service(
            form,
            lambda: services.course_create(
                acting_user=request.user, unit=unit, **form.cleaned_data
            ),
        )
        if course is not None:
            return redirect("study-desk-course", code=unit.code, pk=course.pk)
    return render(
        request, "study/desk_form.html", {"unit": unit, "form": form, "heading": _("New course")}
    )


def lesson_new(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _managed_unit(request, code)
    course = selectors.access_course(user=request.user, pk=pk, unit=unit)
    if course.unit_id != unit.pk:
        raise NotFound
    form = LessonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        lesson = submit_to_service(
            form,
            lambda: services.lesson_add(
                acting_user=request.user, course=course, **form.cleaned_data
            ),
        )
        if lesson is not None:
            return redirect("study-desk-course", code=unit.code, pk=course.pk)
    heading = _("New lesson of “%(course)s”") % {"course": course.title}
    return render(request, "study/desk_form.html", {"unit": unit, "form": form, "heading": heading})


@require_POST
def course_home_study(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Record a lesson taken to a housebound member's home (送学到家)."""
    unit = _managed_unit(request, code)
    course = selectors.access_course(user=request.user, pk=pk, unit=unit)
    lessons = list(course.lessons.all())
    form = _home_form(request, unit, course, lessons)
    if form.is_valid():
        person = next(
            (p for p in live.unit_people(unit=unit) if p.pk == form.cleaned_data["person"]), None
        )
        if person is None:
            raise NotFound
        lesson = next(x for x in lessons if x.pk == form.cleaned_data["lesson"])
        run_action(
            request,
            lambda: services.study_delivered_home(
                acting_user=request.user,
                person=person,
                lesson=lesson,
                note=form.cleaned_data["note"],
            ),
            _("Recorded: the lesson counts as completed for %(name)s.") % {"name": person.name},
        )
    else:
        messages.error(request, _("Choose the person and the lesson."))
    return redirect("study-desk-course", code=unit.code, pk=course.pk)


@require_POST
def course_remind(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _managed_unit(request, code)
    course = selectors.access_course(user=request.user, pk=pk, unit=unit)
    run_action(
        request,
        lambda: services.study_remind(acting_user=request.user, unit=unit, course=course),
        _("Those who have not finished were reminded."),
    )
    return redirect("study-desk-course", code=unit.code, pk=course.pk)


def meetings(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "rhythm": selectors.meeting_rhythm(unit=unit, year=today.year, today=today),
        "meetings": list(unit_meetings(unit=unit)),
        "can_manage": can_manage_study(request.user, unit),
    }
    return render(request, "study/desk_meetings.html", context)


def _room_qr(request: HttpRequest, unit: Unit, meeting: object) -> dict[str, str] | None:
    """The room's QR code for a live meeting not over yet: a signed URL valid until its end."""
    import segno
    from django.urls import reverse
    from django.utils.safestring import mark_safe

    state = live.live_state(meeting)  # type: ignore[arg-type]
    if state.over:
        return None
    token = services.meeting_qr_token(meeting=meeting)  # type: ignore[arg-type]
    path = reverse("study-meeting", args=[unit.code, meeting.pk])  # type: ignore[attr-defined]
    url = request.build_absolute_uri(f"{path}?t={token}")
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return {"url": url, "svg": mark_safe(svg)}  # noqa: S308 (segno's own SVG, no user text)


def meeting_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _unit(request, code)
    meeting = unit_meeting(unit=unit, pk=pk)
    can_manage = can_manage_study(request.user, unit)
    absence = photos = None
    posted = request.POST.get("form") if request.method == "POST" else None
    if can_manage:
        photos = PhotosForm(
            request.POST if posted == "photos" else None,
            request.FILES if posted == "photos" else None,
        )
        if posted == "photos" and photos.is_valid():
            done = submit_to_service(
                photos,
                lambda: services.meeting_photos_add(
                    acting_user=request.user,
                    meeting=meeting,
                    photos=photos.cleaned_data["photos"],
                ),
            )
            if done is not None:
                return redirect("study-desk-meeting", code=unit.code, pk=meeting.pk)
    if can_manage and meeting.starts_at is not None:
        absence = AbsenceForm(
            request.POST if posted == "absence" else None, people=live.branch_members(unit=unit)
        )
        if posted == "absence" and absence.is_valid():
            person = next(p for p in absence.people_list if p.pk == absence.cleaned_data["person"])
            marked = submit_to_service(
                absence,
                lambda: services.meeting_absence_record(
                    acting_user=request.user,
                    meeting=meeting,
                    person=person,
                    reason=absence.cleaned_data["reason"],
                ),
            )
            if marked is not None:
                return redirect("study-desk-meeting", code=unit.code, pk=meeting.pk)
    if posted is not None and not can_manage:
        raise NotFound
    context = {
        "unit": unit,
        "meeting": meeting,
        "attendance": list(meeting_attendance(meeting=meeting)),
        "qr": _room_qr(request, unit, meeting) if can_manage and meeting.starts_at else None,
        "absence": absence,
        "photos": photos,
    }
    return render(request, "study/desk_meeting.html", context)


def meeting_schedule(request: HttpRequest, code: str) -> HttpResponse:
    """Schedule a live meeting (a remote Party lesson) members sign in to from their phones."""
    unit = _managed_unit(request, code)
    form = ScheduleForm(request.POST or None, lessons=assigned_lessons(unit=unit))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("kind", "topic", "starts_at", "ends_at", "place")}
        lesson = form.lessons.get(form.cleaned_data["lesson"] or 0)
        meeting = submit_to_service(
            form,
            lambda: services.meeting_schedule(
                acting_user=request.user, unit=unit, lesson=lesson, **data
            ),
        )
        if meeting is not None:
            return redirect("study-desk-meeting", code=unit.code, pk=meeting.pk)
    heading = _("Schedule a live meeting")
    return render(request, "study/desk_form.html", {"unit": unit, "form": form, "heading": heading})


def meeting_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    people = [p for p in live.branch_members(unit=unit) if p.unit_id == unit.pk]
    form = MeetingForm(request.POST or None, request.FILES or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k]
            for k in ("kind", "held_on", "topic", "place", "online", "minutes")
        }
        meeting = submit_to_service(
            form,
            lambda: services.meeting_record(
                acting_user=request.user, unit=unit, attendance=form.attendance(), **data
            ),
        )
        if meeting is not None and form.cleaned_data["photos"]:
            services.meeting_photos_add(
                acting_user=request.user, meeting=meeting, photos=form.cleaned_data["photos"]
            )
        if meeting is not None:
            return redirect("study-desk-meetings", code=unit.code)
    return render(
        request,
        "study/desk_form.html",
        {"unit": unit, "form": form, "heading": _("Record a meeting")},
    )


def points(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    today = timezone.localdate()
    can_manage = can_manage_study(request.user, unit)
    can_rules = can_set_point_rules(request.user, unit)
    people = live.unit_people(unit=unit) if can_manage else []
    volunteering = VolunteeringForm(
        request.POST if request.POST.get("form") == "volunteering" else None,
        people=people,
        initial={"ref": uuid.uuid4().hex},
    )
    rule_form = PointRuleForm(request.POST if request.POST.get("form") == "rule" else None)
    wants_volunteering = request.method == "POST" and request.POST.get("form") == "volunteering"
    if wants_volunteering and can_manage and volunteering.is_valid():
        person = next((p for p in people if p.pk == volunteering.cleaned_data["person"]), None)
        if person is None:
            raise NotFound
        done = submit_to_service(
            volunteering,
            lambda: (
                services.points_log_volunteering(
                    acting_user=request.user,
                    person=person,
                    ref=volunteering.cleaned_data["ref"],
                    note=volunteering.cleaned_data["note"],
                )
                or True
            ),
        )
        if done is not None:
            return redirect("study-desk-points", code=unit.code)
    if request.method == "POST" and request.POST.get("form") == "rule":
        if not can_rules:
            raise NotFound
        if rule_form.is_valid():
            saved = submit_to_service(
                rule_form,
                lambda: services.point_rule_set(
                    acting_user=request.user, unit=unit, **rule_form.cleaned_data
                ),
            )
            if saved is not None:
                return redirect("study-desk-points", code=unit.code)
    context = {
        "unit": unit,
        "ranking": selectors.points_ranking(unit=unit, year=today.year, limit=50),
        "can_manage": can_manage,
        "can_rules": can_rules,
        "rules": point_rules(unit=unit) if can_rules else [],
        "volunteering": volunteering,
        "rule_form": rule_form,
        "records_ok": can_view_study_records(request.user, unit),
    }
    return render(request, "study/desk_points.html", context)


def micro_branch(request: HttpRequest, code: str) -> HttpResponse:
    """The home branch's view of its mobile members: where they are, their last check-in."""
    unit = _unit(request, code)
    members = selectors.mobile_members(unit=unit)
    return render(request, "study/desk_micro_branch.html", {"unit": unit, "members": members})
