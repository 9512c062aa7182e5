"""The person's notification settings: language, quiet hours, channels per kind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nutag.notify.models import Channel, Kind, NotifySettings

OUTSIDE = [(c.value, c.label) for c in Channel if c != Channel.SITE]


class KindChannelsForm(forms.Form):
    """A form with one row of outside channels (SMS, email, chat) per kind of notice:
    a person's own choice, or the banner's defaults for its officers."""

    def __init__(self, *args: Any, chosen: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[f"kind_{kind.value}"] = forms.MultipleChoiceField(
                label=kind.label,
                choices=OUTSIDE,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=chosen.get(kind.value, []),
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[f"kind_{kind.value}"] for kind in Kind]

    def channels(self) -> dict[str, list[str]]:
        return {kind.value: list(self.cleaned_data[f"kind_{kind.value}"]) for kind in Kind}


class NotifySettingsForm(KindChannelsForm):
    language = forms.ChoiceField(label=_("Language of the notices"), choices=settings.LANGUAGES)
    quiet_start = forms.TimeField(label=_("Quiet from"), widget=forms.TimeInput(format="%H:%M"))
    quiet_end = forms.TimeField(label=_("Quiet until"), widget=forms.TimeInput(format="%H:%M"))

    @staticmethod
    def initial_for(row: NotifySettings) -> dict[str, Any]:
        return {
            "language": row.language,
            "quiet_start": row.quiet_start,
            "quiet_end": row.quiet_end,
        }


class NoticeForm(forms.Form):
    text = forms.CharField(
        label=_("What the notice says"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    emergency = forms.BooleanField(
        label=_("Emergency: send at once, even at night, by text message to everyone"),
        required=False,
    )


class NotifyPolicyForm(KindChannelsForm):
    digest_hour = forms.IntegerField(
        label=_("Hour of the daily digest"),
        min_value=0,
        max_value=23,
        help_text=_("Ordinary notices go out together once a day at this hour."),
    )
