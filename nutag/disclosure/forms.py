"""Forms of the disclosure pages. Field names follow the service arguments they feed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nutag.disclosure.models import Direction, DisclosureKind, LineKind
from nutag.disclosure.periods import Period, parse_period, quarter_of

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}
PERIOD_HELP = _("A quarter (2026-Q3) or a month (2026-09).")


class DisclosureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DisclosureKind.choices)
    period = forms.CharField(label=_("Period"), max_length=7, help_text=PERIOD_HELP)
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea, required=False, max_length=4000
    )
    income_total = forms.DecimalField(
        label=_("Declared total income (yuan)"),
        required=False,
        help_text=_("Finance only: the lines must add up to it."),
        **MONEY,
    )
    spending_total = forms.DecimalField(
        label=_("Declared total spending (yuan)"), required=False, **MONEY
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound:
            last = quarter_of(quarter_of(timezone.localdate()).start - dt.timedelta(days=1))
            self.fields["period"].initial = last.code

    def clean_period(self) -> Period:
        period = parse_period(self.cleaned_data["period"])
        if period is None:
            raise forms.ValidationError(
                _("Write the period as a quarter (2026-Q3) or a month (2026-09).")
            )
        return period


class DisclosureEditForm(DisclosureForm):
    """The same fields but the kind and period, which a draft keeps."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["period"]


class FinanceLineForm(forms.Form):
    direction = forms.ChoiceField(label=_("Income or spending"), choices=Direction.choices)
    item = forms.CharField(label=_("Item"), max_length=120)
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ProjectLineForm(forms.Form):
    name = forms.CharField(label=_("Project"), max_length=120)
    budget = forms.DecimalField(label=_("Budget (yuan)"), **MONEY)
    contractor = forms.CharField(label=_("Contractor"), max_length=120, required=False)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)


class SubsidyLineForm(forms.Form):
    household = forms.CharField(
        label=_("Household (head's name)"),
        max_length=60,
        help_text=_("Shown masked on the public page, by the banner's rule."),
    )
    kind = forms.CharField(label=_("Subsidy"), max_length=60)
    amount = forms.DecimalField(label=_("Amount (yuan)"), **MONEY)


class AttachmentForm(forms.Form):
    upload = forms.FileField(label=_("File (PDF, Word, Excel)"))
    name = forms.CharField(label=_("Name shown"), max_length=120, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, widget=forms.Textarea)


class AskForm(forms.Form):
    line_kind = forms.ChoiceField(choices=LineKind.choices, widget=forms.HiddenInput)
    line_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


LINE_FORMS: dict[str, type[forms.Form]] = {
    LineKind.FINANCE: FinanceLineForm,
    LineKind.PROJECT: ProjectLineForm,
    LineKind.SUBSIDY: SubsidyLineForm,
}
