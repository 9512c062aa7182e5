"""Workbench forms of standards, rounds and assessments (``rounds``) and of tasks and
reports (``tasks``). Import from the submodules."""
