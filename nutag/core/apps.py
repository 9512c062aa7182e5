from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "nutag.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from nutag.core.i18n import guard_traditional_mongolian

        guard_traditional_mongolian()

        from django.core import checks

        from nutag.core.checks import production_safety

        checks.register(production_safety, "security")
