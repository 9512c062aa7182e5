"""Workbench forms of the revitalisation ledger. Rules that need the database or today's
date (a household already in the ledger, a date in the future) are the services' and come
back next to their field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import DateInput
from nutag.people.models import Person
from nutag.revival.models import TEXT_LIMIT, HouseholdStatus, MeasureKind, RiskCategory

_DATE = {"widget": DateInput(), "initial": timezone.localdate}


def _notes(label: Any, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HouseholdForm(forms.Form):
    head = forms.ModelChoiceField(label=_("Head of household"), queryset=Person.objects.none())
    category = forms.ChoiceField(
        label=_("Risk category"), choices=RiskCategory.choices, widget=forms.RadioSelect
    )
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=30)
    watched_since = forms.DateField(label=_("Under watch since"), **_DATE)  # type: ignore[arg-type]
    notes = _notes(_("Notes"), required=False)

    def __init__(self, *args: Any, heads: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = heads  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"), choices=HouseholdStatus.choices, widget=forms.RadioSelect
    )
    changed_on = forms.DateField(label=_("Date"), **_DATE)  # type: ignore[arg-type]
    reason = _notes(_("Reason"), required=True)


class PairingForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Person.objects.none())
    started_on = forms.DateField(label=_("From"), **_DATE)  # type: ignore[arg-type]

    def __init__(self, *args: Any, cadres: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres  # type: ignore[attr-defined]


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("Description"), max_length=200)
    taken_on = forms.DateField(label=_("Date"), **_DATE)  # type: ignore[arg-type]
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date"), **_DATE)  # type: ignore[arg-type]
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Person.objects.none(), required=False)
    notes = _notes(_("Notes"), required=True)

    def __init__(self, *args: Any, cadres: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres  # type: ignore[attr-defined]


class IncomeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    per_capita = forms.DecimalField(
        label=_("Net income per person (yuan)"), min_value=0, max_digits=10, decimal_places=2
    )
    sources = forms.CharField(label=_("Sources"), max_length=200, required=False)
