"""Every write of the voice app.

- ``concerns``: categories, raising a concern (routing, tracking numbers, idempotency keys,
  uploads), its workflow (accept, start, answer, pass on, close, reopen; compare-and-set on
  the version), escalation of overdue concerns (the periodic job) and anonymising;
- ``polls``: putting a village poll and voting in it.

Callers import from here (``from nutag.voice import services``).
"""

from nutag.voice.services.concerns import (
    DEFAULT_CATEGORIES,
    MAX_PHOTOS,
    Submitted,
    banner_of,
    categories_ensure,
    changed_meanwhile,
    check_voice_note,
    concern_accept,
    concern_answer,
    concern_close,
    concern_pass,
    concern_reopen,
    concern_start,
    concern_submit,
    concerns_anonymise_person,
    escalate_overdue,
    route,
)
from nutag.voice.services.polls import poll_create, poll_vote

__all__ = [
    "DEFAULT_CATEGORIES",
    "MAX_PHOTOS",
    "Submitted",
    "banner_of",
    "categories_ensure",
    "changed_meanwhile",
    "check_voice_note",
    "concern_accept",
    "concern_answer",
    "concern_close",
    "concern_pass",
    "concern_reopen",
    "concern_start",
    "concern_submit",
    "concerns_anonymise_person",
    "escalate_overdue",
    "poll_create",
    "poll_vote",
    "route",
]
