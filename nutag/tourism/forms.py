"""Forms of the tourism pages. They only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import DateInput, MultipleFileField
from nutag.tourism.models import ContactShown, PlaceKind

MONTHS = [(m, str(m)) for m in range(1, 13)]


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
    )
    months = forms.TypedMultipleChoiceField(
        label=_("Months open (none ticked: all year)"),
        choices=MONTHS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    starts_on = forms.DateField(label=_("Event's first day"), widget=DateInput, required=False)
    ends_on = forms.DateField(label=_("Event's last day"), widget=DateInput, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    contact_shown = forms.ChoiceField(
        label=_("Show the phone"), choices=ContactShown.choices, initial=ContactShown.EVERYONE
    )
    capacity = forms.IntegerField(
        label=_("Guests per day (0: no bookings)"), min_value=0, max_value=1000, initial=0
    )
    host = forms.CharField(
        label=_("Host's login name (empty: yourself)"), max_length=150, required=False
    )
    lat = forms.DecimalField(
        label=_("Latitude (empty: the unit's)"),
        min_value=-90,
        max_value=90,
        decimal_places=5,
        required=False,
    )
    lon = forms.DecimalField(
        label=_("Longitude (empty: the unit's)"),
        min_value=-180,
        max_value=180,
        decimal_places=5,
        required=False,
    )
    photos = MultipleFileField(label=_("Photos (up to 6)"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update({"accept": "image/*"})


class PlaceEditForm(PlaceForm):
    listed = forms.BooleanField(label=_("Shown to visitors"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["photos"].label = _("Add a photo")


def place_initial(place: Any) -> dict[str, Any]:
    return {
        "kind": place.kind,
        "name": place.name,
        "description": place.description,
        "months": place.months,
        "starts_on": place.starts_on,
        "ends_on": place.ends_on,
        "phone": place.phone,
        "contact_shown": place.contact_shown,
        "capacity": place.capacity,
        "host": place.host.username if place.host_id else "",
        "lat": place.lat,
        "lon": place.lon,
        "listed": place.listed,
    }


class BookingForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DateInput)
    last_day = forms.DateField(label=_("Last day"), widget=DateInput)
    party = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=1000)
    note = forms.CharField(
        label=_("Note for the host"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("A word to the visitor"), max_length=300, required=False)
