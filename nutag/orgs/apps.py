from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "nutag.orgs"
    label = "orgs"
    verbose_name = _("Units")

    def ready(self) -> None:
        from nutag.core.models import AuditEntry
        from nutag.orgs import figures
        from nutag.orgs.models import UnitSubtreeTally
        from nutag.orgs.registry import (
            register_path_copy,
            register_subtree_sums,
            register_tally_rebuild,
        )
        from nutag.orgs.tallies import KIND_FIELDS, unit_tally_rebuild

        # The audit log copies its unit's path (a secretary reads a subtree's history with
        # one range); core cannot know the tree, so the tree declares it.
        register_path_copy(AuditEntry)
        # Active units by kind over each unit's subtree (nutag/orgs/tallies.py).
        register_path_copy(UnitSubtreeTally)
        register_subtree_sums(UnitSubtreeTally, KIND_FIELDS)
        register_tally_rebuild("units", unit_tally_rebuild)
        # Audited writes of figure sources purge the cached dashboards (nutag/orgs/figures.py).
        figures.connect()
