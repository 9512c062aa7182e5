from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nutag.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from nutag.api import cards  # noqa: F401  (the "API tokens" card on /desk/me/)
