"""Every write of the disclosure app.

- ``drafts``: making a draft, editing it, its lines (finance, projects, subsidies) and
  attachments; every edit refused once it is submitted or signed off;
- ``workflow``: submitting (totals checked), signing off, returning, and correcting a
  signed-off disclosure with a new version;
- ``questions``: a resident's question about a line, raised as a concern (``voice``).

Callers import from here (``from nutag.disclosure import services``).
"""

from nutag.disclosure.services.drafts import (
    attachment_add,
    disclosure_create,
    disclosure_update,
    finance_line_add,
    line_remove,
    project_line_add,
    subsidy_line_add,
)
from nutag.disclosure.services.questions import disclosure_ask
from nutag.disclosure.services.workflow import (
    disclosure_correct,
    disclosure_return,
    disclosure_sign_off,
    disclosure_submit,
    totals_problems,
)

__all__ = [
    "attachment_add",
    "disclosure_ask",
    "disclosure_correct",
    "disclosure_create",
    "disclosure_return",
    "disclosure_sign_off",
    "disclosure_submit",
    "disclosure_update",
    "finance_line_add",
    "line_remove",
    "project_line_add",
    "subsidy_line_add",
    "totals_problems",
]
