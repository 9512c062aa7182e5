"""Shared pieces of the assess services, taken from where the project keeps them: the rule
check (``nutag.orgs.permissions.require`` with the rules of ``nutag.assess.permissions``),
the acting user (``nutag.core.audit``) and the bookkeeping of stored files
(``nutag.core.media``)."""

from nutag.core.audit import user_or_none as actor
from nutag.core.media import delete_after_commit, saving
from nutag.orgs.permissions import require

__all__ = ["actor", "delete_after_commit", "require", "saving"]
