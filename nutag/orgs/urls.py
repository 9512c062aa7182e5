from django.urls import path

from nutag.orgs import views

urlpatterns = [
    path("u/<str:code>/", views.unit_detail, name="desk-unit"),
    path("u/<str:code>/edit/", views.unit_edit, name="desk-unit-edit"),
    path("u/<str:code>/add/", views.unit_add_child, name="desk-unit-add"),
    path("u/<str:code>/move/", views.unit_move, name="desk-unit-move"),
    path("u/<str:code>/merge/", views.unit_merge, name="desk-unit-merge"),
    path("u/<str:code>/close/", views.unit_close, name="desk-unit-close"),
    path("u/<str:code>/delete/", views.unit_delete, name="desk-unit-delete"),
    path("u/<str:code>/history/", views.unit_history_page, name="desk-unit-history"),
    path("u/<str:code>/check/", views.unit_seed_check, name="desk-unit-check"),
    path("positions/<int:pk>/end/", views.position_end, name="desk-position-end"),
]
