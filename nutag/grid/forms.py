"""Workbench forms for grids and incidents (rendered by ``components/form.html``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import DateInput
from nutag.grid.models import TEXT_LIMIT, Grid, IncidentKind, IncidentState
from nutag.people.models import Person


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class GridForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    area = forms.CharField(
        label=_("Area covered"),
        help_text=_("The pastures and households the grid covers."),
        max_length=TEXT_LIMIT,
        required=False,
        widget=_textarea(),
    )
    worker = forms.ModelChoiceField(
        label=_("Grid worker"), queryset=Person.objects.none(), required=False
    )
    public_phone = forms.CharField(
        label=_("Phone shown to residents"),
        help_text=_("Only if the grid worker wishes; leave empty to show no number."),
        max_length=20,
        required=False,
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = candidates  # type: ignore[attr-defined]


class IncidentForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    reported_on = forms.DateField(
        label=_("Reported on"), widget=DateInput(), initial=timezone.localdate
    )
    summary = forms.CharField(label=_("What happened"), max_length=TEXT_LIMIT, widget=_textarea(4))
    parties = forms.CharField(
        label=_("Parties"),
        help_text=_("Names of those involved; never an ID number."),
        max_length=300,
        required=False,
    )
    concern_number = forms.CharField(
        label=_("Raised from concern (its number)"),
        help_text=_("Optional: the number of the resident's concern this incident comes from."),
        max_length=40,
        required=False,
    )

    def __init__(self, *args: Any, grids: QuerySet[Grid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]


class MediationForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    mediator = forms.CharField(label=_("Who mediated"), max_length=120)
    agreed = forms.CharField(label=_("What was agreed"), max_length=TEXT_LIMIT, widget=_textarea())


class ResolveForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=TEXT_LIMIT, widget=_textarea())
    resolved_on = forms.DateField(
        label=_("Resolved on"), widget=DateInput(), initial=timezone.localdate
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up date"),
        help_text=_("Optional: when to check that the agreement holds."),
        widget=DateInput(),
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_LIMIT, widget=_textarea(2))


class FollowUpForm(forms.Form):
    notes = forms.CharField(
        label=_("What the follow-up found"), max_length=TEXT_LIMIT, widget=_textarea()
    )
    followed_up_on = forms.DateField(
        label=_("Date"), widget=DateInput(), initial=timezone.localdate
    )


class IncidentFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *IncidentState.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *IncidentKind.choices], required=False
    )
    due = forms.BooleanField(label=_("Follow-up due"), required=False)
