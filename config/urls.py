"""All URL wiring. The workbench (/desk/) is composed here from each app's desk URLs."""

import re

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

from nutag.api.api import api
from nutag.core.views import choose_language, text_size
from nutag.orgs.views import desk_home
from nutag.study.urls import public_urlpatterns as study_public_urlpatterns
from nutag.wechat.endpoint import message_endpoint
from nutag.wechat.urls import public_urlpatterns as wechat_public_urls

desk_urlpatterns: list[URLPattern | URLResolver] = [
    path("", desk_home, name="desk-home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("nutag.orgs.urls")),
    path("", include("nutag.people.urls")),
    path("", include("nutag.people.urls.accounts")),
    path("", include("nutag.sites.urls.desk")),
    path("", include("nutag.assess.urls")),
    path("", include("nutag.notify.urls")),
    path("", include("nutag.wechat.urls")),
    path("", include("nutag.api.urls")),
    path("", include("nutag.study.urls")),
    path("", include("nutag.youth.urls")),
    path("", include("nutag.revival.urls")),
    path("", include("nutag.grid.urls")),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("text-size/", text_size, name="text-size"),
    path("lang/<str:code>/", choose_language, name="choose-language"),
    path("api/v1/", api.urls),
    path("desk/", include(desk_urlpatterns)),
    path("wechat/<str:code>/", message_endpoint, name="wechat-endpoint"),
    path("wechat/", include(wechat_public_urls)),
    path("", include(study_public_urlpatterns)),
    path("", include("nutag.sites.urls.public")),
    path("", include("nutag.sites.urls.search")),
    path("", include("nutag.sites.urls.offline")),
    path("", include("nutag.stats.urls")),
    path("", include("nutag.voice.urls")),
    path("", include("nutag.disclosure.urls")),
    path("", include("nutag.market.urls")),
    path("", include("nutag.tourism.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.NUTAG_SERVE_MEDIA:  # the demo settings only (config/settings/demo.py)
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
