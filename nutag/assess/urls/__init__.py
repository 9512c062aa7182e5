"""Workbench URLs of standards, rounds and tasks (mounted under /desk/)."""

from django.urls import include, path

urlpatterns = [
    path("", include("nutag.assess.urls.rounds")),
    path("", include("nutag.assess.urls.tasks")),
]
