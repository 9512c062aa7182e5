"""The inbox and the person's notification settings, in the workbench. Thin: parse input,
call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.errors import NotFound
from nutag.core.forms import submit_to_service
from nutag.notify import kinds, services
from nutag.notify.forms import NoticeForm, NotifyPolicyForm, NotifySettingsForm
from nutag.notify.models import Kind, NotifyPolicy
from nutag.notify.permissions import can_send_notice, can_set_policy
from nutag.notify.selectors import (
    ChannelChooser,
    grouped_by_day,
    inbox,
    notice_units,
    person_of,
    settings_of,
)
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit

PAGE_SIZE = 50


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = inbox(user=request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for n in page.object_list:
        n.text = kinds.render(n.kind, n.params)  # type: ignore[attr-defined]
    return render(
        request,
        "notify/inbox.html",
        {
            "page": page,
            "days": grouped_by_day(page.object_list),
            "unread_only": unread_only,
            "has_person": person_of(request.user) is not None,
            "notice_units": notice_units(user=request.user),
            "policy_units": [
                u for u in notice_units(user=request.user) if can_set_policy(request.user, u)
            ],
        },
    )


def _safe(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read; with ``open=1``, go on to what the notice is about."""
    notification = services.notification_mark_read(acting_user=request.user, pk=pk)
    if request.POST.get("open") == "1" and _safe(request, notification.link):
        return redirect(notification.link)
    return redirect(_safe(request, request.POST.get("next", "")) or "notify-inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(acting_user=request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return redirect("notify-inbox")


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise NotFound
    row = settings_of(person)
    chooser = ChannelChooser([person.pk])
    chosen = {kind.value: chooser.channels(person.pk, kind.value) for kind in Kind}
    if request.method == "POST":
        form = NotifySettingsForm(request.POST, chosen=chosen)
        if form.is_valid():
            data = form.cleaned_data
            saved = submit_to_service(
                form,
                lambda: services.notify_settings_update(
                    acting_user=request.user,
                    person=person,
                    language=data["language"],
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                    channels=form.channels(),
                ),
            )
            if saved is not None:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notify-settings")
    else:
        form = NotifySettingsForm(initial=NotifySettingsForm.initial_for(row), chosen=chosen)
    return render(request, "notify/settings.html", {"form": form})


@login_required
def notice_page(request: HttpRequest, code: str) -> HttpResponse:
    """A notice to everyone in the unit and below (the banner: every resident)."""
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_UNIT)
    if not can_send_notice(request.user, unit):
        raise NotFound
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = submit_to_service(
            form,
            lambda: services.notice_send(
                acting_user=request.user,
                unit=unit,
                text=data["text"],
                emergency=data["emergency"],
            ),
        )
        if count is not None:
            messages.success(request, _("The notice goes to %(count)d people.") % {"count": count})
            return redirect("notify-notice", code=unit.code)
    return render(request, "notify/notice.html", {"form": form, "unit": unit})


@login_required
def policy_page(request: HttpRequest, code: str) -> HttpResponse:
    """The banner's digest hour and the channels its officers get unless they choose."""
    unit = access_unit(user=request.user, code=code, perm=Perm.VIEW_UNIT)
    if not can_set_policy(request.user, unit):
        raise NotFound
    row = NotifyPolicy.objects.filter(unit=unit).first()
    defaults = row.officer_defaults if row else {}
    chosen = {
        kind.value: defaults.get(kind.value, kinds.OFFICER_DEFAULTS.get(kind.value, []))
        for kind in Kind
    }
    initial = {"digest_hour": row.digest_hour if row else 8}
    form = NotifyPolicyForm(request.POST or None, initial=initial, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        saved = submit_to_service(
            form,
            lambda: services.notify_policy_update(
                acting_user=request.user,
                unit=unit,
                digest_hour=form.cleaned_data["digest_hour"],
                officer_defaults=form.channels(),
            ),
        )
        if saved is not None:
            messages.success(request, _("The notification policy is saved."))
            return redirect("notify-policy", code=unit.code)
    return render(request, "notify/policy.html", {"form": form, "unit": unit})
