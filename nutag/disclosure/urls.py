"""Disclosure URLs: the public page on the unit sites (/u/<code>/disclosure/…) and the
workbench's pages (/desk/u/<code>/disclosure/…), mounted at the root in config/urls.py."""

from django.urls import path

from nutag.disclosure.views import desk, public

urlpatterns = [
    path("u/<str:code>/disclosure/<int:pk>/", public.disclosure_page, name="disclosure-page"),
    path("desk/u/<str:code>/disclosure/", desk.disclosure_home, name="disclosure-desk"),
    path("desk/u/<str:code>/disclosure/new/", desk.disclosure_new, name="disclosure-desk-new"),
    path(
        "desk/u/<str:code>/disclosure/<int:pk>/",
        desk.disclosure_detail,
        name="disclosure-desk-detail",
    ),
    path(
        "desk/u/<str:code>/disclosure/<int:pk>/edit/",
        desk.disclosure_edit,
        name="disclosure-desk-edit",
    ),
]
