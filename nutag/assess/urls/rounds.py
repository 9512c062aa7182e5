"""Desk URLs of standards, assessment rounds and assessments (mounted under /desk/)."""

from django.urls import URLPattern, path

from nutag.assess.views import rounds as views
from nutag.assess.views import standards as views_standards

urlpatterns: list[URLPattern] = [
    path("u/<str:code>/standards/", views_standards.standards_page, name="desk-standards"),
    path(
        "u/<str:code>/standards/install/",
        views_standards.standards_install,
        name="desk-standards-install",
    ),
    path("u/<str:code>/standards/new/", views_standards.standard_new, name="desk-standard-new"),
    path("standards/<int:pk>/", views_standards.standard_page, name="desk-standard"),
    path("standards/<int:pk>/copy/", views_standards.standard_copy, name="desk-standard-copy"),
    path(
        "standards/<int:pk>/items/add/",
        views_standards.standard_item_add,
        name="desk-standard-item-add",
    ),
    path("standard-items/<int:pk>/", views_standards.standard_item_edit, name="desk-standard-item"),
    path(
        "standard-items/<int:pk>/remove/",
        views_standards.standard_item_remove,
        name="desk-standard-item-remove",
    ),
    path(
        "standard-items/<int:pk>/move/<str:direction>/",
        views_standards.standard_item_move,
        name="desk-standard-item-move",
    ),
    path("u/<str:code>/rounds/", views.rounds_page, name="desk-rounds"),
    path("u/<str:code>/rounds/new/", views.round_new, name="desk-round-new"),
    path("u/<str:code>/assessments/", views.history_page, name="desk-assessment-history"),
    path("rounds/<int:pk>/", views.round_page, name="desk-round"),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="desk-round-export"),
    path("rounds/<int:pk>/finish/", views.round_finish, name="desk-round-finish"),
    path("assessments/<int:pk>/", views.assessment_page, name="desk-assessment"),
    path("assessments/<int:pk>/review/", views.assessment_review, name="desk-assessment-review"),
    path("assessments/<int:pk>/reopen/", views.assessment_reopen, name="desk-assessment-reopen"),
]
