from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nutag.api"
    label = "api"
    verbose_name = "API"
