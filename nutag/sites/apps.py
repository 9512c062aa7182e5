from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "nutag.sites"
    label = "unitsites"
    verbose_name = _("Unit sites")

    def ready(self) -> None:
        import nutag.sites.search_signals  # noqa: F401  (search indexing)
        from nutag.sites import signals

        signals.connect()
