"""Workbench forms of people: ``people`` (a person and their roles; re-exported here) and
``importing`` (a roster upload)."""

from nutag.people.forms.people import (
    GuardianForm,
    PeopleFilterForm,
    PersonForm,
)

__all__ = [
    "GuardianForm",
    "PeopleFilterForm",
    "PersonForm",
]
