from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "nutag.sites"
    label = "unitsites"
    verbose_name = _("Unit sites")

    def ready(self) -> None:
        import nutag.sites.search_signals  # noqa: F401  (search indexing)
        from nutag.core.preload import register_preload
        from nutag.sites import signals
        from nutag.sites.search.segment import preload_tokenizer

        signals.connect()
        register_preload(preload_tokenizer)  # jieba's dictionary, at worker start
