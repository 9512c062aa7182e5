from django.urls import path

from nutag.revival import views

urlpatterns = [
    path("u/<str:code>/revival/", views.household_list, name="revival-list"),
    path("u/<str:code>/revival/new/", views.household_new, name="revival-household-new"),
    path("revival/<int:pk>/", views.household_detail, name="revival-household"),
    path("revival/<int:pk>/status/", views.status_change, name="revival-status"),
    path("revival/<int:pk>/pair/", views.pairing_new, name="revival-pair"),
    path("revival/<int:pk>/measure/", views.measure_new, name="revival-measure"),
    path("revival/<int:pk>/visit/", views.visit_new, name="revival-visit"),
    path("revival/<int:pk>/income/", views.income_new, name="revival-income"),
    path("revival/pairs/<int:pk>/end/", views.pairing_end, name="revival-pair-end"),
]
