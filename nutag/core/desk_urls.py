"""The officers' mobile workbench at /desk/: composed from each app's desk views."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from nutag.core.views import desk_home

urlpatterns = [
    path("", desk_home, name="desk-home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("nutag.orgs.urls")),
    path("", include("nutag.people.urls")),
    path("", include("nutag.sites.desk_urls")),
    path("", include("nutag.assess.desk_urls")),
    path("", include("nutag.notify.urls")),
]
