"""The forms of the concern pages. They only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import DateTimeLocalInput, MultipleFileField
from nutag.voice.models import Category, Electorate


class ConcernForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about"), queryset=Category.objects.none(), empty_label=None
    )
    text = forms.CharField(
        label=_("What is the matter"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    location = forms.CharField(
        label=_("Where (roughly), if it helps"), max_length=120, required=False
    )
    photos = MultipleFileField(label=_("Photos (up to 6)"), required=False)
    voice_note = forms.FileField(
        label=_("A voice note instead of typing"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*", "capture": "user"}),
    )
    is_public = forms.BooleanField(
        label=_("Show it with its answer on the village board (your name is never shown)"),
        required=False,
    )
    is_anonymous = forms.BooleanField(
        label=_("Do not tell the officers who I am (only some categories)"), required=False
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["category"]
        field.queryset = Category.objects.filter(pk__in=[c.pk for c in categories])
        self.fields["photos"].widget.attrs.update({"accept": "image/*"})


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the resident"), widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PassForm(forms.Form):
    target = forms.CharField(label=_("Pass to the unit (its code)"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you"),
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("What is still not solved"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    options = forms.CharField(
        label=_("Options, one per line"), widget=forms.Textarea(attrs={"rows": 4})
    )
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeLocalInput())
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DateTimeLocalInput())
    electorate = forms.ChoiceField(label=_("Who may vote"), choices=Electorate.choices)
    live_results = forms.BooleanField(
        label=_("Show the results while the poll is open"), required=False
    )
