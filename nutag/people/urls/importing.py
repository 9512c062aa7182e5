"""Roster import and export pages, included by the workbench under /desk/."""

from django.urls import path

from nutag.people.views import importing as views_import

urlpatterns = [
    path("u/<str:code>/import/", views_import.people_import, name="people-import"),
    path(
        "u/<str:code>/import/template.xlsx",
        views_import.people_import_template,
        name="people-import-template",
    ),
    path("import/<int:pk>/", views_import.people_import_batch, name="people-import-batch"),
    path(
        "import/<int:pk>/confirm/",
        views_import.people_import_confirm,
        name="people-import-confirm",
    ),
    path(
        "import/<int:pk>/problems.xlsx",
        views_import.people_import_problems,
        name="people-import-problems",
    ),
    path("u/<str:code>/people.xlsx", views_import.people_export_xlsx, name="people-export"),
]
