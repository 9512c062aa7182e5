from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevivalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.revival"
    label = "revival"
    verbose_name = _("Rural revitalisation")

    def ready(self) -> None:
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy, register_unit_members
        from nutag.revival.models import (
            IncomeRecord,
            Measure,
            Pairing,
            StatusChange,
            Visit,
            WatchedHousehold,
        )

        members = (WatchedHousehold, StatusChange, Pairing, Measure, Visit, IncomeRecord)
        for model in members:
            register_path_copy(model)
        # A household's ledger belongs to the household's unit: a merge moves it along.
        register_unit_members(*members)
        # Their writes change the revival figures of the dashboard and the stats API.
        for model in members:
            register_figure_source(model)
