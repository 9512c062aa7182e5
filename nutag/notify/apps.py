from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "nutag.notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from nutag.notify.listeners import join_requested
        from nutag.people.events import on_join_requested

        on_join_requested(join_requested)
