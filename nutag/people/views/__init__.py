"""Workbench pages of people: ``people`` (lists, a person, roles, positions, guardians) and
``importing`` (roster import and export). The URL modules import the submodules."""
