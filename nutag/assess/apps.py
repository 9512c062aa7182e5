from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.assess"
    verbose_name = _("Standards and tasks")
