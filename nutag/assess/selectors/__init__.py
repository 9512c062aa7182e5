"""Reads of standards, rounds, assessments, tasks and reports. Import from the submodule:
``rounds`` (standards, rounds, assessments) and ``tasks`` (tasks and reports)."""
