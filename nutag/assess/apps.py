from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.assess"
    verbose_name = _("Standards and tasks")

    def ready(self) -> None:
        from nutag.assess.models import Assessment, FiveGoodTally, Round, Task, TaskReport
        from nutag.assess.tallies import five_good_tally_rebuild
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy, register_tally_rebuild

        # The dashboard counts assessments by their unit's path (see docs/architecture.md).
        register_path_copy(Assessment)
        register_path_copy(FiveGoodTally)  # the five-good tally (nutag/assess/tallies.py)
        # Every audited change of these changes the dashboard's figures (nutag/orgs/figures.py):
        # an assessment or a report at its unit; a round or a task at every unit below.
        register_figure_source(Assessment)
        register_figure_source(TaskReport)
        register_figure_source(Round, subtree=True)
        register_figure_source(Task, subtree=True)
        register_tally_rebuild("five_good", five_good_tally_rebuild)
