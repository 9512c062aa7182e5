from django.urls import include, path

from nutag.people.views import people as views

urlpatterns = [
    path("u/<str:code>/people/", views.people_list, name="desk-people"),
    path("u/<str:code>/people/add/", views.person_add, name="desk-person-add"),
    path("people/<int:pk>/", views.person_detail, name="desk-person"),
    path("people/<int:pk>/edit/", views.person_edit, name="desk-person-edit"),
    path("people/<int:pk>/position/", views.person_assign_position, name="desk-person-position"),
    path("people/<int:pk>/guardians/add/", views.guardian_add, name="desk-guardian-add"),
    path(
        "people/<int:pk>/guardians/<int:link_pk>/remove/",
        views.guardian_remove,
        name="desk-guardian-remove",
    ),
    path("", include("nutag.people.urls.importing")),
]
