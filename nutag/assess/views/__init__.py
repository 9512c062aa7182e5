"""Workbench pages of standards, rounds and tasks: ``standards``, ``rounds`` (rounds and
assessments), ``tasks`` (tasks and reports) and ``common`` (their shared plumbing). The URL
modules import the submodules."""
