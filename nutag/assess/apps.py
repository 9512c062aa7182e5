from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.assess"
    verbose_name = _("Standards and tasks")

    def ready(self) -> None:
        from nutag.assess.models import Assessment, Round, Task, TaskReport
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy

        # The dashboard counts assessments by their unit's path (see docs/architecture.md).
        register_path_copy(Assessment)
        # Every audited change of these changes the dashboard's figures (nutag/orgs/figures.py):
        # an assessment or a report at its unit; a round or a task at every unit below.
        register_figure_source(Assessment)
        register_figure_source(TaskReport)
        register_figure_source(Round, subtree=True)
        register_figure_source(Task, subtree=True)
