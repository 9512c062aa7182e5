"""Workbench URLs of tasks deployed down the tree (mounted under /desk/)."""

from django.urls import path

from nutag.assess.views import tasks as views

urlpatterns = [
    path("u/<str:code>/tasks/", views.task_list, name="desk-tasks"),
    path("u/<str:code>/tasks/new/", views.task_new, name="desk-task-new"),
    path("tasks/<int:pk>/", views.task_detail, name="desk-task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="desk-task-edit"),
    path("tasks/<int:pk>/close/", views.task_close_view, name="desk-task-close"),
    path("tasks/<int:pk>/export.xlsx", views.task_export, name="desk-task-export"),
    path("tasks/<int:pk>/commend/", views.task_commend_view, name="desk-task-commend"),
    path("reports/<int:pk>/", views.report_page, name="desk-report"),
    path("reports/<int:pk>/inspect/", views.report_inspect_view, name="desk-report-inspect"),
    path(
        "reports/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove_view,
        name="desk-report-evidence-remove",
    ),
]
