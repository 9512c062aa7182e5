"""The admin of standards, rounds and assessments (``rounds``) and of tasks and reports
(``tasks``); importing the package registers both."""

from nutag.assess.admin import rounds, tasks

__all__ = ["rounds", "tasks"]
