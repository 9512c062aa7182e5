"""The public search page of a unit's site (mounted at the root by ``config/urls.py``)."""

from django.urls import path

from nutag.sites.views.search import site_search

urlpatterns = [
    path("u/<str:code>/search/", site_search, name="site-search"),
]
