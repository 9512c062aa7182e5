from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import DateInput
from nutag.orgs.models import Access, PositionTitle, Unit, UnitKind


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=100)
    name_mn = forms.CharField(label=_("Mongolian name"), max_length=200, required=False)


class UnitCreateForm(UnitForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_(
            "6 to 12 digits, like an administrative-division code. Used in the site's address."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)


class UnitChoiceForm(forms.Form):
    """Pick a target unit among those the user may restructure."""

    target: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="code"
    )

    def __init__(self, *args, units=None, label=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = units if units is not None else Unit.objects.none()  # type: ignore[attr-defined]
        if label:
            self.fields["target"].label = label


class PositionForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="code"
    )
    title = forms.ChoiceField(label=_("Position"), choices=PositionTitle.choices)
    represents = forms.CharField(
        label=_("Represents"),
        max_length=60,
        required=False,
        help_text=_("For committee members: e.g. the youth league, the women's group, the school."),
    )
    access = forms.ChoiceField(
        label=_("Right in the workbench"),
        choices=[("", _("As usual for this position")), *Access.choices],
        required=False,
    )
    started_on = forms.DateField(label=_("Since"), required=False, widget=DateInput())

    def __init__(self, *args, units=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()  # type: ignore[attr-defined]


class UnitIdsField(forms.MultipleChoiceField):
    """Unit ids from checkboxes. Any id is let through to the service, which answers 404 for
    one out of reach (so editing the form by hand gives the same answer as editing a URL)."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()

    def clean(self, value: Any) -> list[int]:
        return [int(v) for v in super().clean(value)]
