from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nutag.core.forms import DateInput
from nutag.orgs.models import Unit
from nutag.people.ethnicity import Ethnicity
from nutag.people.models import ElderCategory, Gender, Person, RoleFilter
from nutag.people.services import CareInput, PartyInput, PersonInput, YouthInput


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name or pinyin initials"), "type": "search"}
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *RoleFilter.choices]
    )


class GuardianForm(forms.Form):
    guardian = forms.ModelChoiceField(label=_("Guardian"), queryset=Person.objects.none())
    relation = forms.CharField(
        label=_("Relation"),
        max_length=20,
        required=False,
        help_text=_("e.g. father, mother, grandmother"),
    )

    def __init__(self, *args, candidates: QuerySet[Person], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = candidates  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    """Add or edit a person and their roles. Fields the viewer may not read start blank:
    leaving them blank keeps the stored value."""

    name = forms.CharField(label=_("Name"), max_length=50)
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Home unit"), queryset=Unit.objects.none(), to_field_name="code"
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnic group"), choices=[("", "—"), *Ethnicity.choices], required=False
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    id_number = forms.CharField(label=_("ID number"), max_length=24, required=False)
    is_resident = forms.BooleanField(label=_("Resident"), required=False)
    is_retired = forms.BooleanField(label=_("Retired"), required=False)
    is_party = forms.BooleanField(label=_("Party member"), required=False)
    joined_on = forms.DateField(label=_("Joined the Party on"), required=False, widget=DateInput())
    is_mobile = forms.BooleanField(label=_("Mobile member, working away"), required=False)
    current_location = forms.CharField(label=_("Where now"), max_length=100, required=False)
    is_care = forms.BooleanField(label=_("Works in the care committee (volunteer)"), required=False)
    elder_category = forms.ChoiceField(
        label=_("Five-elder category"),
        choices=[("", _("Not one of the five elders")), *ElderCategory.choices],
        required=False,
    )
    is_youth = forms.BooleanField(label=_("Young person in the committee's care"), required=False)
    school = forms.CharField(label=_("School"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(
        self,
        *args,  # type: ignore[no-untyped-def]
        units: QuerySet[Unit],
        hidden_values: dict[str, str] | None = None,
        partial_dates: dict[str, str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        for name, shown in (partial_dates or {}).items():
            self.fields[name].help_text = _(
                "Known only to %(date)s: keep the date shown to keep it so."
            ) % {"date": shown}
        self.hidden_values = hidden_values or {}
        for name, masked in self.hidden_values.items():
            self.fields[name].help_text = _("Stored: %(value)s. Leave blank to keep it.") % {
                "value": masked
            }

    @classmethod
    def initial_for(cls, person: Person, *, hidden: set[str]) -> dict[str, object]:
        party = getattr(person, "party", None)
        care = getattr(person, "care", None)
        youth = getattr(person, "youth", None)
        initial: dict[str, object] = {
            "name": person.name,
            "unit": person.unit.code,
            "gender": person.gender,
            "ethnicity": person.ethnicity,
            "birth_date": person.birth_date,
            "phone": person.phone,
            "id_number": person.id_number,
            "is_resident": person.is_resident,
            "is_retired": person.is_retired,
            "note": person.note,
            "is_party": party is not None,
            "joined_on": party.joined_on if party else None,
            "is_mobile": party.is_mobile if party else False,
            "current_location": party.current_location if party else "",
            "is_care": care is not None,
            "elder_category": care.elder_category if care else "",
            "is_youth": youth is not None,
            "school": youth.school if youth else "",
        }
        for name in hidden:
            initial[name] = ""
        return initial

    @staticmethod
    def partial_dates_of(person: Person) -> dict[str, str]:
        """Date fields whose stored value is known only to the month or year, as shown."""
        party = getattr(person, "party", None)
        dates = {"birth_date": person.birth, "joined_on": party.joined if party else None}
        return {
            name: str(value)
            for name, value in dates.items()
            if value is not None and value.precision != "day"
        }

    def to_input(self, person: Person | None = None) -> PersonInput:
        d = self.cleaned_data
        kept = {
            name: getattr(person, name)
            for name in self.hidden_values
            if person is not None and not d.get(name)
        }
        care = d["is_care"] or bool(d["elder_category"])
        return PersonInput(
            name=d["name"],
            gender=d["gender"],
            ethnicity=d["ethnicity"],
            birth_date=d["birth_date"],
            phone=kept.get("phone", d["phone"]),
            id_number=kept.get("id_number", d["id_number"]),
            is_resident=d["is_resident"],
            is_retired=d["is_retired"],
            note=d["note"],
            party=PartyInput(
                joined_on=d["joined_on"],
                is_mobile=d["is_mobile"],
                current_location=d["current_location"],
            )
            if d["is_party"]
            else None,
            care=CareInput(elder_category=d["elder_category"]) if care else None,
            youth=YouthInput(school=d["school"]) if d["is_youth"] else None,
        )
