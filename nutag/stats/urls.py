from django.urls import path

from nutag.stats import views

urlpatterns = [
    path("", views.home, name="home"),
    path("u/<str:code>/figures/", views.unit_figures_page, name="unit-figures"),
]
