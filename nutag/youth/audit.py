"""The audit of reads of young people's records: one small function, so that it can be
pointed at the shared "sensitive data shown" helper when that exists.

Every opening of a record writes one row (``action = view``): who, when, which record, and
what for (``note``: ``open``, ``unmask``, ``export`` or ``refused``). A refusal — the record
exists but the user may not read it — is written too, outside any transaction that the 404
would roll back. A record that does not exist has nothing to audit.
"""

from __future__ import annotations

from django.db import models

from nutag.core.actors import Actor
from nutag.core.audit import audit_record
from nutag.core.models import AuditAction
from nutag.orgs.models import Unit

OPEN = "open"
UNMASK = "unmask"
EXPORT = "export"
REFUSED = "refused"


def audit_read(
    *, actor: Actor, obj: models.Model, unit: Unit, purpose: str, shown: int = 1
) -> None:
    """One audit row for a read of ``obj`` (a record, or a unit for an export of ``shown``)."""
    note = purpose if shown == 1 else f"{purpose}: {shown}"
    audit_record(actor=actor, action=AuditAction.VIEW, obj=obj, unit=unit, note=note)
