"""Workbench pages of people: ``people`` (lists, a person, roles, positions, guardians),
``importing`` (roster import and export), ``accounts`` (logins, invitations, the personal page,
the second factor) and ``join`` (requests to join a unit). The URL modules import the submodules."""
