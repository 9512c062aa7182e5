"""Workbench forms for young people's records, visits and needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.people.models import Person
from nutag.youth.models import TEXT_LIMIT, Circumstance, DeedKind, VisitKind


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
    started_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

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
    visited_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices, widget=forms.RadioSelect)
    mood = _text(_("Mood and thinking"))
    study = _text(_("Study"))
    hardship = _text(_("Hardship"))
    guardianship = _text(_("Guardianship"))
    help_given = _text(_("Help given"))
    next_step = _text(_("Next step"))


class NeedForm(forms.Form):
    need = forms.CharField(label=_("Need"), max_length=200)
    resource = forms.CharField(label=_("Resource found"), max_length=200, required=False)


class ResolveForm(forms.Form):
    resource = forms.CharField(label=_("Resource found"), max_length=200, required=False)


class GoodDeedForm(forms.Form):
    done_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
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
