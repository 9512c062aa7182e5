from django.urls import path

from nutag.grid import views

urlpatterns = [
    path("u/<str:code>/grids/", views.grid_list, name="grid-list"),
    path("u/<str:code>/grids/new/", views.grid_new, name="grid-new"),
    path("u/<str:code>/incidents/", views.incident_list, name="grid-incidents"),
    path("u/<str:code>/incidents/new/", views.incident_new, name="grid-incident-new"),
    path("grids/<int:pk>/", views.grid_detail, name="grid-detail"),
    path("grids/<int:pk>/edit/", views.grid_edit, name="grid-edit"),
    path("grids/<int:pk>/incidents/new/", views.incident_new_in_grid, name="grid-incident-add"),
    path("grids/from-concern/<int:pk>/", views.incident_from_concern, name="grid-from-concern"),
    path("incidents/<int:pk>/", views.incident_detail, name="grid-incident"),
    path("incidents/<int:pk>/<str:action>/", views.incident_action, name="grid-incident-action"),
]
