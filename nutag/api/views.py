"""The person's own API tokens on the workbench (``/desk/me/tokens/``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nutag.api.models import ApiToken, TokenScope
from nutag.api.tokens import token_create, token_revoke, tokens_of
from nutag.core.forms import run_action, submit_to_service

SESSION_KEY = "new_api_token"  # the raw token, shown once after the redirect


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("What the token is for, e.g. the banner's monthly report."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = submit_to_service(
            form,
            lambda: token_create(
                acting_user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            ),
        )
        if made is not None:
            request.session[SESSION_KEY] = made[1]
            return redirect("api-tokens")
    new_token = request.session.pop(SESSION_KEY, "")
    tokens: list[ApiToken] = list(tokens_of(user=request.user))
    return render(
        request, "api/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    run_action(
        request,
        lambda: token_revoke(acting_user=request.user, pk=pk),
        _("The token is revoked: programs using it are refused from now on."),
    )
    return redirect("api-tokens")
