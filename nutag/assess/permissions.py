"""Who may do what with standards, rounds, assessments and tasks: one rule per action.

Each ``can_<action>(user, obj)`` is the single statement of its rule. The desk views call it
to show or hide a button, the selectors and the API to answer, and the services (through
``nutag.orgs.permissions.require``) to enforce it; ``SYSTEM`` passes every rule.
"""

from __future__ import annotations

from nutag.assess.models import Assessment, Task, TaskReport
from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_perm_above, has_unit_perm


def can_view_work(user: AnyUser, unit: Unit) -> bool:
    """Read rounds, assessments, tasks and reports at ``unit`` (and below)."""
    return has_unit_perm(user=user, perm=Perm.VIEW_WORK, unit=unit)


def can_manage_standards(user: AnyUser, unit: Unit) -> bool:
    """Define and change standards at ``unit``; open and finish its rounds (secretaries)."""
    return has_unit_perm(user=user, perm=Perm.MANAGE_STANDARDS, unit=unit)


def can_self_assess(user: AnyUser, assessment: Assessment) -> bool:
    """Fill in, add evidence to and submit the committee's own self-assessment."""
    return has_unit_perm(user=user, perm=Perm.SELF_ASSESS, unit=assessment.unit)


def can_review(user: AnyUser, assessment: Assessment) -> bool:
    """Score, accept, return or reopen an assessment: the review right held strictly
    *above* the assessed unit (a committee never reviews itself)."""
    return has_perm_above(user=user, perm=Perm.REVIEW, unit=assessment.unit)


def can_issue_tasks(user: AnyUser, unit: Unit) -> bool:
    """Issue tasks from ``unit`` to the units below it."""
    return has_unit_perm(user=user, perm=Perm.ISSUE_TASKS, unit=unit)


def can_manage_task(user: AnyUser, task: Task) -> bool:
    """Change, extend, close a task and inspect its reports: the issuer's side."""
    return has_unit_perm(user=user, perm=Perm.ISSUE_TASKS, unit=task.unit)


def can_commend(user: AnyUser, task: Task) -> bool:
    """Commend units for a task: publishes an article on the issuer's site, so it needs
    the publish right at the issuing unit."""
    return has_unit_perm(user=user, perm=Perm.PUBLISH_ARTICLES, unit=task.unit)


def can_report(user: AnyUser, report: TaskReport) -> bool:
    """Fill in and send the unit's report on a task."""
    return has_unit_perm(user=user, perm=Perm.REPORT_TASKS, unit=report.unit)
