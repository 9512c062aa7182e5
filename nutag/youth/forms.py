"""Workbench forms for young people's records, visits and needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import DateInput
from nutag.people.models import Person
from nutag.youth.models import (
    TEXT_LIMIT,
    ActivityKind,
    Circumstance,
    ConsentHow,
    DeedKind,
    VisitKind,
    YouthPolicy,
)


class RecordForm(forms.Form):
    school_class = forms.CharField(label=_("Class"), max_length=50, required=False)
    circumstances = forms.ModelMultipleChoiceField(
        label=_("Circumstances"),
        queryset=Circumstance.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class PairForm(forms.Form):
    elders = forms.ModelMultipleChoiceField(
        label=_("Elders and cadres"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    started_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elders"].queryset = candidates  # type: ignore[attr-defined]


def _text(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices, widget=forms.RadioSelect)
    mood = _text(_("Mood and thinking"))
    study = _text(_("Study"))
    hardship = _text(_("Hardship"))
    guardianship = _text(_("Guardianship"))
    help_given = _text(_("Help given"))
    next_step = _text(_("Next step"))
    photo = forms.ImageField(
        label=_("Photo (kept private)"),
        required=False,
        help_text=_("Seen only by those who may read this record."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class NeedForm(forms.Form):
    need = forms.CharField(label=_("Need"), max_length=200)
    resource = forms.CharField(label=_("Resource found"), max_length=200, required=False)


class ResolveForm(forms.Form):
    resource = forms.CharField(label=_("Resource found"), max_length=200, required=False)


class GoodDeedForm(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Kind"), choices=DeedKind.choices, widget=forms.RadioSelect)
    what = forms.CharField(label=_("What was done"), max_length=200)
    people_helped = forms.IntegerField(label=_("People helped"), min_value=1, initial=1)
    elders = forms.ModelMultipleChoiceField(
        label=_("Elders involved"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elders"].queryset = candidates  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ActivityKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=120)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000, initial=30)


class SignUpForm(forms.Form):
    consent_by = forms.ModelChoiceField(
        label=_("Guardian who gave consent"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        required=False,
    )
    consent_how = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[("", "—"), *ConsentHow.choices],
        required=False,
    )
    photo_consent = forms.BooleanField(
        label=_("The guardian agrees that photos showing this young person may be published"),
        required=False,
    )

    def __init__(self, *args: Any, guardians: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_by"].queryset = guardians  # type: ignore[attr-defined]


class ActivityPhotoForm(forms.Form):
    upload = forms.ImageField(label=_("Photo"))
    tagged = forms.MultipleChoiceField(
        label=_("Young people in the photo"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[],
    )
    shows_nobody = forms.BooleanField(label=_("No young person is in this photo"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tagged"].choices = choices  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Report"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published in the site's care column. Name no young person."),
    )


class CheckInForm(forms.Form):
    phone = forms.CharField(
        label=_("The guardian's phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = YouthPolicy
        fields = ["visit_every_days", "adult_age", "keep_archived_years"]
