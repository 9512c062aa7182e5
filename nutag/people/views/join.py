"""加入本村: a resident asks to join their village from its site; the secretary decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from nutag.core.errors import NotFound
from nutag.core.forms import add_service_errors, submit_to_service
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.accounts import services
from nutag.people.accounts.selectors import (
    access_join_request,
    join_requests_of_unit,
    my_join_requests,
    my_person,
)
from nutag.people.forms.accounts import ApproveForm, DeclineForm, JoinForm
from nutag.people.models.accounts import JoinStatus


@never_cache
def join_unit(request: HttpRequest, code: str) -> HttpResponse:
    """Open to visitors: a visitor without a login chooses one in the same form."""
    unit = Unit.objects.filter(code=code, kind__in=services.JOINABLE_KINDS).first()
    if unit is None or not unit.is_active:
        raise NotFound
    user = request.user
    person = my_person(user=user)
    pending = [j for j in my_join_requests(user=user) if j.status == JoinStatus.PENDING]
    if person is not None or pending:
        return render(
            request,
            "people/accounts/join.html",
            {"unit": unit, "person": person, "pending": pending[0] if pending else None},
        )
    form = JoinForm(request.POST or None, with_login=not user.is_authenticated)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        join = submit_to_service(
            form,
            lambda: services.join_request_create(
                acting_user=user,  # type: ignore[arg-type]
                unit=unit,
                data=services.JoinInput(
                    name=d["name"],
                    phone=d["phone"],
                    household=d["household"],
                    username=d.get("username", ""),
                    password=d.get("password", ""),
                ),
            ),
        )
        if join is not None:
            if not user.is_authenticated:
                auth_login(request, join.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Your request to join %(unit)s was sent. The secretary will confirm you.")
                % {"unit": unit.name},
            )
            return redirect("desk-me")
    return render(request, "people/accounts/join.html", {"unit": unit, "form": form})


@login_required
def join_requests(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.MANAGE_LOGINS)
    waiting = join_requests_of_unit(user=request.user, unit=unit)[:200]
    return render(
        request, "people/accounts/join_requests.html", {"unit": unit, "requests": waiting}
    )


@login_required
def join_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    join = access_join_request(user=request.user, pk=pk)
    matches = services.join_matches(join_request=join)
    approve = ApproveForm(
        request.POST if request.POST.get("decision") == "approve" else None, matches=matches
    )
    decline = DeclineForm(request.POST if request.POST.get("decision") == "decline" else None)
    if request.method == "POST" and join.status == JoinStatus.PENDING:
        if request.POST.get("decision") == "approve" and approve.is_valid():
            choice = approve.cleaned_data["person"]
            person = None
            if choice != "new":
                person = next((p for p in matches if str(p.pk) == choice), None)
                if person is None:
                    approve.add_error("person", _("Choose one of the people listed."))
            if not approve.errors:
                done = submit_to_service(
                    approve,
                    lambda: services.join_request_approve(
                        acting_user=request.user, join_request=join, person=person
                    ),
                )
                if done is not None:
                    messages.success(
                        request, _("%(name)s is now a confirmed member.") % {"name": join.name}
                    )
                    return redirect("desk-join-requests", code=join.unit.code)
        elif request.POST.get("decision") == "decline" and decline.is_valid():
            try:
                services.join_request_decline(
                    acting_user=request.user,
                    join_request=join,
                    reason=decline.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(decline, exc)
            else:
                messages.success(request, _("The request was declined."))
                return redirect("desk-join-requests", code=join.unit.code)
    return render(
        request,
        "people/accounts/join_request.html",
        {"join": join, "matches": matches, "approve": approve, "decline": decline},
    )
