import re

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from nutag.api.api import api
from nutag.core.views import choose_language, text_size

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("text-size/", text_size, name="text-size"),
    path("lang/<str:code>/", choose_language, name="choose-language"),
    path("api/v1/", api.urls),
    path("desk/", include("nutag.core.desk_urls")),
    path("", include("nutag.sites.urls")),
    path("", include("nutag.sites.search_urls")),
    path("", include("nutag.sites.offline_urls")),
    path("", include("nutag.stats.urls")),
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
