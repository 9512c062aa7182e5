from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure")

    def ready(self) -> None:
        from nutag.disclosure import column
        from nutag.disclosure.models import Disclosure
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy

        # A merged village's disclosures are its history: they stay at its own path (not
        # unit members), like the good-deeds log.
        register_path_copy(Disclosure)
        register_figure_source(Disclosure)
        column.register()  # signed-off disclosures in the sites' public affairs column
