from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "nutag.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from nutag.orgs.registry import (
            register_path_copy,
            register_subtree_sums,
            register_tally_rebuild,
            register_unit_members,
        )
        from nutag.people.models import (
            CareSubtreeTally,
            CareTally,
            CareWorker,
            Invitation,
            JoinRequest,
            PartyMembership,
            Person,
            YoungPerson,
        )
        from nutag.people.tallies import CARE_FIELDS, care_tally_rebuild, care_tally_refresh

        members = (Person, PartyMembership, CareWorker, YoungPerson)
        for model in (*members, Invitation, JoinRequest, CareTally, CareSubtreeTally):
            register_path_copy(model)
        # The care tallies summed over each unit's subtree (nutag/people/tallies.py).
        register_subtree_sums(CareSubtreeTally, CARE_FIELDS)
        # People and their roles belong to their unit: a merge moves them, and the care
        # tallies of both units are recounted once.
        register_unit_members(
            *members, after_merge=lambda unit_ids: care_tally_refresh(unit_ids=list(unit_ids))
        )
        register_tally_rebuild("care", care_tally_rebuild)
