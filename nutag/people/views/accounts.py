"""Workbench pages for logins: invitations (link + QR), switching logins off and on,
unlocking, password links, accepting an invitation, the personal home, the second factor.

Thin: parse input, check access (``can_<action>``), call a service or selector, render.
"""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nutag.core.forms import add_service_errors, submit_to_service
from nutag.orgs.permissions import Perm
from nutag.orgs.selectors import access_unit
from nutag.people.accounts import deletion, second_factor, services
from nutag.people.accounts.selectors import access_invitation, invitations_not_accepted
from nutag.people.forms.accounts import AcceptInvitationForm, DeleteAccountForm, TokenForm
from nutag.people.home import home_cards
from nutag.people.models import ImportBatch, Invitation
from nutag.people.models.accounts import InvitationPurpose
from nutag.people.selectors import access_person

SESSION_TOKENS = "nutag_invitation_tokens"
KEPT_TOKENS = 300


def _keep_tokens(request: HttpRequest, issued: list[services.IssuedInvitation]) -> None:
    """The raw tokens stay in the officer's own session only, so the link and QR can be
    shown (and printed) again until they log out; the database holds only digests."""
    tokens: dict[str, str] = dict(request.session.get(SESSION_TOKENS, {}))
    for item in issued:
        tokens[str(item.invitation.pk)] = item.token
    request.session[SESSION_TOKENS] = dict(list(tokens.items())[-KEPT_TOKENS:])


def _link(request: HttpRequest, invitation: Invitation) -> dict[str, Any] | None:
    token = request.session.get(SESSION_TOKENS, {}).get(str(invitation.pk))
    if not token:
        return None
    url = request.build_absolute_uri(reverse("invite-accept", args=[token]))
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return {"url": url, "qr": mark_safe(svg)}  # noqa: S308 (segno's own SVG, no user text)


@login_required
@require_POST
def invite_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue (or re-issue) an invitation; the link and QR are shown on the next page."""
    person = access_person(user=request.user, pk=pk, perm=Perm.INVITE_PEOPLE)
    return _issue_and_show(request, person, services.invitation_issue)


@login_required
@require_POST
def password_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a link to set a new password; shown on the next page like an invitation."""
    person = access_person(user=request.user, pk=pk, perm=Perm.MANAGE_LOGINS)
    return _issue_and_show(request, person, services.password_link_issue)


def _issue_and_show(request: HttpRequest, person: Any, issue: Any) -> HttpResponse:
    """Run ``issue`` (a service making a one-time link); show the link, or the refusal."""
    try:
        issued = issue(acting_user=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("desk-person", pk=person.pk)
    _keep_tokens(request, [issued])
    return redirect("desk-invitation", pk=issued.invitation.pk)


@login_required
@never_cache
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(user=request.user, pk=pk)
    return render(
        request,
        "people/accounts/invitation.html",
        {"invitation": invitation, "link": _link(request, invitation)},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access_invitation(user=request.user, pk=pk)
    try:
        services.invitation_revoke(acting_user=request.user, invitation=invitation)
        messages.success(request, _("The link was withdrawn; it no longer works."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("desk-person", pk=invitation.person_id)


@login_required
def invitations_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(user=request.user, code=code, perm=Perm.INVITE_PEOPLE)
    invitations = invitations_not_accepted(user=request.user, unit=unit)[:500]
    return render(
        request, "people/accounts/invitations.html", {"unit": unit, "invitations": invitations}
    )


@login_required
@require_POST
def import_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite every person of a roster import who has a phone: a printable sheet of QRs."""
    batch = ImportBatch.objects.select_related("unit").filter(pk=pk).first()
    if batch is None:
        raise Http404
    access_unit(user=request.user, code=batch.unit.code, perm=Perm.INVITE_PEOPLE)
    issued = services.invitations_for_import(acting_user=request.user, batch=batch)
    _keep_tokens(request, issued)
    return render(
        request,
        "people/accounts/invitation_sheet.html",
        {
            "unit": batch.unit,
            "items": [(i.invitation, _link(request, i.invitation)) for i in issued],
        },
    )


@login_required
@require_POST
def login_switch(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(user=request.user, pk=pk, perm=Perm.MANAGE_LOGINS)
    active = request.POST.get("active") == "1"
    try:
        services.login_set_active(acting_user=request.user, person=person, active=active)
        messages.success(
            request,
            _("%(name)s's login is switched on.") % {"name": person.name}
            if active
            else _("%(name)s's login is switched off; the person and their history stay.")
            % {"name": person.name},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("desk-person", pk=person.pk)


@login_required
@require_POST
def login_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(user=request.user, pk=pk, perm=Perm.MANAGE_LOGINS)
    try:
        services.login_unlock(acting_user=request.user, person=person)
        messages.success(request, _("Unlocked: %(name)s can log in again.") % {"name": person.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("desk-person", pk=person.pk)


# --- the invitee's side -------------------------------------------------------------------


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: choose a login name and password, then in."""
    try:
        invitation = services.invitation_by_token(token)
    except services.InvitationRefused as exc:
        status = 404 if exc.code == "unknown" else 410
        return render(
            request,
            "people/accounts/invitation_refused.html",
            {"reason": exc.messages[0]},
            status=status,
        )
    ask_username = invitation.purpose == InvitationPurpose.INVITE
    person = invitation.person
    form = AcceptInvitationForm(
        request.POST or None,
        ask_username=ask_username,
        initial={"username": person.phone} if ask_username else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data.get("username", ""),
                password=form.cleaned_data["password"],
            )
        except services.InvitationRefused as exc:
            return render(
                request,
                "people/accounts/invitation_refused.html",
                {"reason": exc.messages[0]},
                status=410,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not user.is_active:
                messages.error(
                    request,
                    _("Your password is set, but your login is switched off. Ask your secretary."),
                )
                return redirect("login")
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome, %(name)s. Your login is ready.") % {"name": person.name}
            )
            return redirect("desk-home")
    return render(
        request,
        "people/accounts/accept.html",
        {"form": form, "person": person, "invitation": invitation, "new_login": ask_username},
    )


@login_required
def my_home(request: HttpRequest) -> HttpResponse:
    """What a login can do, whatever its roles: never an empty "no position" page."""
    return render(request, "people/accounts/home.html", {"cards": home_cards(request)})


@login_required
@never_cache
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete my own login, after a clear warning and my password again."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        deletion.account_delete(acting_user=request.user, user=request.user)  # type: ignore[arg-type]
        auth_logout(request)
        messages.success(request, _("Your login has been deleted."))
        return redirect("/")
    return render(request, "people/accounts/delete.html", {"form": form})


# --- the second factor --------------------------------------------------------------------


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("desk-home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("desk-home")
    return target


@login_required
@never_cache
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if second_factor.is_enrolled(user):
        return render(
            request,
            "people/accounts/second_factor_done.html",
            {"verified": user.is_verified(), "next": _next(request)},  # type: ignore[union-attr]
        )
    device = second_factor.totp_device_for_enrolment(user=user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = submit_to_service(
            form,
            lambda: second_factor.totp_confirm(
                request=request, device=device, token=form.cleaned_data["token"]
            ),
        )
        if codes is not None:
            return render(
                request,
                "people/accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    return render(
        request,
        "people/accounts/second_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(qr),  # noqa: S308 (segno's own SVG)
            "secret": _spaced(device.bin_key),
            "next": _next(request),
            "required": second_factor.second_factor_required(user),
        },
    )


def _spaced(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    if not second_factor.is_enrolled(request.user) or not request.user.is_verified():  # type: ignore[union-attr]
        raise Http404
    codes = second_factor.recovery_codes_renew(user=request.user)  # type: ignore[arg-type]
    return render(
        request, "people/accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )


@login_required
@never_cache
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if not second_factor.is_enrolled(request.user):
        return redirect(f"{reverse('second-factor-setup')}?next={_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit_to_service(
            form,
            lambda: second_factor.second_factor_verify(
                request=request, token=form.cleaned_data["token"]
            ),
        )
        if done is not None:
            return redirect(_next(request))
    return render(
        request, "people/accounts/second_factor_verify.html", {"form": form, "next": _next(request)}
    )
