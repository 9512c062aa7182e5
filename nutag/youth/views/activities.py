"""Workbench pages of activities (list, new, page with its check-in QR code, sign-up with
consent, attendance, photos, the report), the public check-in page behind the QR code, the
photo files (private unless the consent rule allows), and the banner's youth rules."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import run_action, submit_to_service
from nutag.core.masking import mask_name
from nutag.orgs.paths import subtree_q
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.models import Person, YoungPerson
from nutag.people.services import sensitive_read_log
from nutag.sites.counting.visits import client_ip
from nutag.youth import services
from nutag.youth.forms import (
    ActivityForm,
    ActivityPhotoForm,
    CheckInForm,
    PolicyForm,
    ReportForm,
    SignUpForm,
)
from nutag.youth.models import ActivityPhoto, Pairing, SignUp, VisitPhoto
from nutag.youth.permissions import (
    can_manage_activities,
    can_set_youth_rules,
    can_sign_up,
    can_withdraw_signup,
)
from nutag.youth.selectors import access_record
from nutag.youth.selectors.activities import (
    access_activity,
    activities_of_unit,
    activity_signups,
    photo_is_public,
)
from nutag.youth.services.activities import activity_of_token, checkin_expires, checkin_token
from nutag.youth.services.lifecycle import policy_of
from nutag.youth.storage import open_private
from nutag.youth.throttle import checkin_blocked, checkin_missed, too_many_tries


@login_required
def activity_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_YOUTH)
    activities = activities_of_unit(user=request.user, unit=unit)[:100]
    return render(request, "youth/activity_list.html", {"unit": unit, "activities": activities})


@login_required
def activity_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_YOUTH)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = submit_to_service(
            form,
            lambda: services.activity_create(
                acting_user=request.user, unit=unit, **form.cleaned_data
            ),
        )
        if activity is not None:
            messages.success(request, _("Activity created."))
            return redirect("youth-activity", pk=activity.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": _("New activity"), "unit": unit, "name": ""},
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(user=request.user, pk=pk)
    manage = can_manage_activities(request.user, activity.unit)
    signups = activity_signups(activity=activity)
    qr = ""
    checkin_url = ""
    if manage:
        checkin_url = request.build_absolute_uri(
            reverse("youth-checkin", args=[checkin_token(activity)])
        )
        # segno's own SVG of a URL we signed: no user input reaches it unescaped.
        qr = mark_safe(segno.make(checkin_url, error="m").svg_inline(scale=4))  # noqa: S308
    # the paired elder withdraws for their own young people only (one query)
    own = (
        set()
        if manage
        else set(
            Pairing.objects.filter(
                ended_on__isnull=True, elders__user_id=request.user.pk or 0
            ).values_list("record__young_id", flat=True)
        )
    )
    rows = [
        {
            "signup": s,
            "name": mask_name(s.young.person.name),
            "consent": s.consent_by is not None,
            "withdraw": manage or s.young_id in own,
        }
        for s in signups
    ]
    sensitive_read_log(
        acting_user=request.user,
        people=[s.young.person for s in signups],
        where=request.path,
        unit=activity.unit,
    )
    return render(
        request,
        "youth/activity_detail.html",
        {
            "activity": activity,
            "unit": activity.unit,
            "rows": rows,
            "manage": manage,
            "qr": qr,
            "checkin_url": checkin_url,
            "expires": checkin_expires(activity),
            "photos": list(activity.photos.all()) if manage else [],
        },
    )


def _signup_candidates(request: HttpRequest, activity_pk: int) -> tuple[object, list[YoungPerson]]:
    activity = access_activity(user=request.user, pk=activity_pk)
    taken = SignUp.objects.filter(activity=activity).values("young_id")
    base = YoungPerson.objects.filter(subtree_q(activity.unit_path, "unit_path")).exclude(
        pk__in=taken
    )
    if not can_manage_activities(request.user, activity.unit):
        paired = Pairing.objects.filter(
            ended_on__isnull=True, elders__user_id=request.user.pk or 0
        ).values("record__young_id")
        base = base.filter(pk__in=paired)
    return activity, list(base.select_related("person").order_by("person__name_pinyin")[:200])


@login_required
def signup_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: choose the young person (masked names), then record the consent."""
    activity, candidates = _signup_candidates(request, pk)
    young_pk = request.GET.get("young") or request.POST.get("young")
    if not young_pk:
        return render(
            request,
            "youth/signup_choose.html",
            {
                "activity": activity,
                "unit": activity.unit,  # type: ignore[attr-defined]
                "candidates": [(y, mask_name(y.person.name)) for y in candidates],
            },
        )
    young = next((y for y in candidates if str(y.pk) == str(young_pk)), None)
    if young is None:
        raise NotFound
    record = getattr(young, "record", None)
    if not can_sign_up(request.user, activity, record):  # type: ignore[arg-type]
        raise NotFound
    guardians = Person.objects.filter(wards__young=young).order_by("name_pinyin")
    form = SignUpForm(request.POST or None, guardians=guardians)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: services.signup_create(
                acting_user=request.user,
                activity=activity,  # type: ignore[arg-type]
                young=young,
                **form.cleaned_data,
            ),
        )
        if done is not None:
            messages.success(request, _("Signed up."))
            return redirect("youth-activity", pk=activity.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "youth/signup_form.html",
        {
            "form": form,
            "activity": activity,
            "unit": activity.unit,  # type: ignore[attr-defined]
            "young": young,
            "name": mask_name(young.person.name),
        },
    )


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(SignUp.objects.select_related("activity"), pk=pk)
    if not can_manage_activities(request.user, signup.activity.unit):
        raise NotFound
    present = request.POST.get("present") == "1"
    run_action(
        request,
        lambda: services.attendance_mark(acting_user=request.user, signup=signup, present=present),
        _("Attendance saved."),
    )
    return redirect("youth-activity", pk=signup.activity_id)


@login_required
def photo_new(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(user=request.user, pk=pk)
    if not can_manage_activities(request.user, activity.unit):
        raise NotFound
    signups = activity_signups(activity=activity)
    by_pk = {s.young_id: s.young for s in signups}
    form = ActivityPhotoForm(
        request.POST or None,
        request.FILES or None,
        choices=[(s.young_id, mask_name(s.young.person.name)) for s in signups],
    )
    if request.method == "POST" and form.is_valid():
        tagged = [by_pk[int(p)] for p in form.cleaned_data["tagged"]]
        done = submit_to_service(
            form,
            lambda: services.activity_photo_add(
                acting_user=request.user,
                activity=activity,
                upload=form.cleaned_data["upload"],
                tagged=tagged,
                shows_nobody=form.cleaned_data["shows_nobody"],
            ),
        )
        if done is not None:
            messages.success(request, _("Photo added."))
            return redirect("youth-activity", pk=activity.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": _("Add a photo"), "unit": activity.unit, "name": activity.title},
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(user=request.user, pk=pk)
    if not can_manage_activities(request.user, activity.unit):
        raise NotFound
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        article = submit_to_service(
            form,
            lambda: services.activity_report_publish(
                acting_user=request.user, activity=activity, summary=form.cleaned_data["summary"]
            ),
        )
        if article is not None:
            messages.success(request, _("The report is in the site's care column."))
            return redirect("youth-activity", pk=activity.pk)
    return render(
        request,
        "youth/form.html",
        {
            "form": form,
            "heading": _("Write the report"),
            "unit": activity.unit,
            "name": activity.title,
        },
    )


def _signup_of(request: HttpRequest, pk: int) -> SignUp:
    signup = get_object_or_404(SignUp.objects.select_related("activity"), pk=pk)
    if not can_withdraw_signup(request.user, signup):
        raise NotFound
    return signup


@login_required
@require_POST
def signup_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A guardian's request: take the sign-up back (its photo tags go with it)."""
    signup = _signup_of(request, pk)
    run_action(
        request,
        lambda: services.signup_remove(acting_user=request.user, signup=signup),
        _("The sign-up is withdrawn."),
    )
    return redirect("youth-activity", pk=signup.activity_id)


@login_required
@require_POST
def signup_photo_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A guardian's request: the young person's photos are no longer shown publicly."""
    signup = _signup_of(request, pk)
    run_action(
        request,
        lambda: services.signup_photo_consent_withdraw(acting_user=request.user, signup=signup),
        _("Photo consent is withdrawn: the photos are no longer public."),
    )
    return redirect("youth-activity", pk=signup.activity_id)


def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the QR code (no login): a guardian gives their phone number and the
    young people they consented for are checked in. A forged or expired code is 404; the
    answer is a count, never a name."""
    activity = activity_of_token(token)
    form = CheckInForm(request.POST or None)
    done: int | None = None
    address = client_ip(request)
    if request.method == "POST" and checkin_blocked(activity_id=activity.pk, address=address):
        form.is_valid()  # keep what was typed
        form.add_error("phone", too_many_tries())
        return render(
            request, "youth/checkin.html", {"activity": activity, "form": form}, status=429
        )
    if request.method == "POST" and form.is_valid():
        done = services.check_in_by_token(token=token, phone=form.cleaned_data["phone"])
        if done:
            messages.success(
                request,
                ngettext("%(n)d young person checked in.", "%(n)d young people checked in.", done)
                % {"n": done},
            )
            return redirect("youth-checkin", token=token)
        checkin_missed(activity_id=activity.pk, address=address)
        form.add_error("phone", _("No sign-up waits for this number. Ask the organiser."))
    return render(request, "youth/checkin.html", {"activity": activity, "form": form})


def activity_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An activity photo: to anyone when the consent rule allows it, else to its managers."""
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity"), pk=pk)
    public = photo_is_public(photo)
    if not public and not can_manage_activities(request.user, photo.activity.unit):
        raise NotFound
    response = FileResponse(open_private(photo.image), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


@login_required
def visit_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A visit's photo: to those who may read the record (the opening audited)."""
    photo = get_object_or_404(VisitPhoto.objects.select_related("visit__pairing"), pk=pk)
    access_record(user=request.user, pk=photo.visit.pairing.record_id)
    response = FileResponse(open_private(photo.image), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def rules(request: HttpRequest, code: str) -> HttpResponse:
    """The banner's youth rules: visit reminders, the age of coming of age, archive retention."""
    unit = access_unit(user=request.user, code=code, perm=Perm.CHANGE_YOUTH)
    if not can_set_youth_rules(request.user, unit):
        raise NotFound
    policy = policy_of(unit.path)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,  # type: ignore[arg-type]
            lambda: services.policy_update(
                acting_user=request.user, unit=unit, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("youth-rules", code=unit.code)
    return render(
        request,
        "youth/form.html",
        {"form": form, "heading": _("Youth-care rules"), "unit": unit, "name": ""},
    )
