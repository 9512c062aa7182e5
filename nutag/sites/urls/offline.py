"""The service worker at the site root (include from ``config/urls.py`` at ``""``)."""

from django.urls import path

from nutag.sites.views.offline import service_worker

urlpatterns = [path("sw.js", service_worker, name="service-worker")]
