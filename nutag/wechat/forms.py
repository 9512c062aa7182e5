from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.wechat.models import DEFAULT_KEYWORDS


def keywords_as_text(keywords: dict[str, str]) -> str:
    return "\n".join(f"{word} = {key}" for word, key in (keywords or DEFAULT_KEYWORDS).items())


class AccountForm(forms.Form):
    """Secrets are never filled in again: an empty box keeps the one stored."""

    app_id = forms.CharField(label=_("App ID (AppID)"), max_length=32, required=False)
    app_secret = forms.CharField(
        label=_("App secret (AppSecret)"),
        max_length=64,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the one stored."),
    )
    token = forms.CharField(
        label=_("Token"),
        max_length=32,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the one stored."),
    )
    aes_key = forms.CharField(
        label=_("Message key (EncodingAESKey)"),
        max_length=64,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the one stored."),
    )
    safe_mode = forms.BooleanField(label=_("Safe mode (messages encrypted)"), required=False)
    keywords = forms.CharField(
        label=_("Keyword replies"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One a line: a word = a column key of the site, e.g. 学习 = online_study."),
    )
    welcome = forms.CharField(label=_("Welcome text"), max_length=300, required=False)
    notice_template_id = forms.CharField(
        label=_("Template for notices (template ID)"),
        max_length=64,
        required=False,
        help_text=_(
            "A template message with one field {{content.DATA}}. People bound to the account "
            "then get their notices there."
        ),
    )

    def clean_keywords(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for line in self.cleaned_data["keywords"].splitlines():
            if not line.strip():
                continue
            word, sep, key = line.partition("=")
            if not sep:
                raise forms.ValidationError(
                    _("Write each line as: word = column key (“%(line)s”).") % {"line": line}
                )
            result[word.strip()] = key.strip()
        return result
