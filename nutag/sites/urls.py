"""Public site URLs (mounted at the root)."""


urlpatterns: list = []
