"""Forms for logins: accepting an invitation, joining a unit, deciding, the second factor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from nutag.people.models import Person


class PasswordInput(forms.PasswordInput):
    """A password box with a "show password" switch beside it (components/show_password)."""

    template_name = "components/password_input.html"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "new-password", **(attrs or {})})


def password_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Password"),
        strip=False,
        widget=PasswordInput(),
        help_text=password_validation.password_validators_help_text_html(),
    )


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Login name"),
        max_length=150,
        help_text=_("What you will type to log in, e.g. your phone number."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = password_field(_("Choose a password"))

    def __init__(self, *args: object, ask_username: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not ask_username:
            del self.fields["username"]
            self.fields["password"].label = _("New password")


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    household = forms.CharField(
        label=_("Household or herding group"),
        max_length=100,
        required=False,
        help_text=_("Optional: helps your secretary find you on the roster."),
    )
    username = forms.CharField(
        label=_("Login name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to log in with your phone number."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = password_field(_("Choose a password"))

    def __init__(self, *args: object, with_login: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not with_login:
            del self.fields["username"]
            del self.fields["password"]


class ApproveForm(forms.Form):
    person = forms.ChoiceField(label=_("Who is this on the roster?"), widget=forms.RadioSelect)

    def __init__(self, *args: object, matches: list[Person], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [
            (
                str(p.pk),
                f"{p.name} · {p.unit.name}"
                + (f" · {p.phone[:3]}****{p.phone[-4:]}" if p.phone else ""),
            )
            for p in matches
        ]
        choices.append(("new", str(_("Not on the roster: add as a new resident"))))
        self.fields["person"].choices = choices  # type: ignore[attr-defined]
        self.fields["person"].initial = choices[0][0]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person will read it)"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class DeleteAccountForm(forms.Form):
    """Deleting one's own login: the password again, so a phone left unlocked is not enough."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="wrong_password")
        return password
