from django.urls import path

from nutag.stats import views

# "/" is the root unit's public site: "site-root" in nutag/sites/urls.py.
urlpatterns = [
    path("u/<str:code>/figures/", views.unit_figures_page, name="unit-figures"),
]
