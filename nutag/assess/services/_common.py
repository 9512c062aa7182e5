"""Shared pieces of the assess services, taken from where the project keeps them: rights
checks (``nutag.orgs.permissions``), the acting user (``nutag.core.audit``) and the
bookkeeping of stored files (``nutag.sites.media``)."""

from nutag.core.audit import user_or_none as actor
from nutag.orgs.permissions import require_perm as require
from nutag.orgs.permissions import require_perm_above as require_above
from nutag.sites.media import delete_after_commit, saving

__all__ = ["actor", "delete_after_commit", "require", "require_above", "saving"]
