"""The person's API tokens, under /desk/ (``config/urls.py``)."""

from django.urls import path

from nutag.api import views

urlpatterns = [
    path("me/tokens/", views.tokens_page, name="api-tokens"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke_view, name="api-token-revoke"),
]
