from django.urls import path

from nutag.stats import views

# "/" is the root unit's public site: "site-root" in nutag/sites/urls.py.
urlpatterns = [
    path("u/<str:code>/figures/", views.unit_figures_page, name="unit-figures"),
    path(
        "u/<str:code>/figures/export.xlsx",
        views.unit_figures_export,
        name="unit-figures-export",
    ),
    path("u/<str:code>/figures/print/", views.unit_figures_print, name="unit-figures-print"),
]
