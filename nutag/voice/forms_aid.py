"""Forms of the mutual-aid, emergency and category pages. They only parse; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import MultipleFileField
from nutag.voice.models import AidKind, AidTopic, EmergencyKind, Radius, SafetyStatus


class AidPostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request or offer"), choices=AidKind.choices)
    topic = forms.ChoiceField(label=_("What is it about"), choices=AidTopic.choices)
    title = forms.CharField(label=_("In a few words"), max_length=120)
    text = forms.CharField(
        label=_("More details"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    marks = forms.CharField(
        label=_("Ear tag and marks (lost or found livestock)"), max_length=200, required=False
    )
    contact = forms.CharField(label=_("How to reach you"), max_length=60, required=False)
    photos = MultipleFileField(label=_("Photos (up to 3)"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update({"accept": "image/*"})


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why it is hidden"), max_length=200)


class EmergencyForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is happening"), choices=EmergencyKind.choices)
    radius = forms.ChoiceField(label=_("Who must be told"), choices=Radius.choices)
    text = forms.CharField(
        label=_("What to do (sent by SMS, under 300 characters)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=300,
    )


class MarkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your situation"), choices=SafetyStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Anything to add"), max_length=300, required=False)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    days_limit = forms.IntegerField(label=_("Days to answer"), min_value=1, max_value=365)
    allows_anonymous = forms.BooleanField(label=_("May be raised anonymously"), required=False)


class RuleForm(forms.Form):
    township = forms.CharField(label=_("Township (its code)"), max_length=20)
    category = forms.CharField(label=_("Category (its key)"), max_length=32)
    target = forms.CharField(
        label=_("Goes to the unit (its code); empty to remove the rule"),
        max_length=20,
        required=False,
    )
