"""Workbench forms of people: ``people`` (a person and their roles; every public name of it is
re-exported here) and ``importing`` (a roster upload)."""

from nutag.people.forms.people import *  # noqa: F403
