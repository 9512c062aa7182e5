from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "nutag.sites"
    label = "unitsites"
    verbose_name = _("Unit sites")
