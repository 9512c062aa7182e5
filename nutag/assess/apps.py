from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.assess"
    verbose_name = _("Standards and tasks")

    def ready(self) -> None:
        from nutag.assess.models import Assessment
        from nutag.orgs.registry import register_path_copy

        # The dashboard counts assessments by their unit's path (see docs/architecture.md).
        register_path_copy(Assessment)
