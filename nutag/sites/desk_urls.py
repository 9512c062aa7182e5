"""Workbench URLs for writing and approving (mounted under /desk/)."""


urlpatterns: list = []
