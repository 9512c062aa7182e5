from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.grid"
    label = "grid"
    verbose_name = _("Grid governance")

    def ready(self) -> None:
        from nutag.grid import public
        from nutag.grid.models import Grid, Incident, Mediation
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy, register_unit_members

        for model in (Grid, Incident, Mediation):
            register_path_copy(model)
            # Their writes change the grid figures of the dashboard and the stats API.
            register_figure_source(model)
        # A grid, its incidents and their mediation log belong to the unit: a merge moves
        # them with it.
        register_unit_members(Grid, Incident, Mediation)
        public.register()  # the unit's grids and workers on the governance column
