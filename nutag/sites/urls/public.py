"""Public site URLs (mounted at the root). The names and paths are relied on elsewhere
(caching purges, the service worker, benchmarks, browser tests): keep them stable."""

from django.urls import path

from nutag.sites.views import public as views

urlpatterns = [
    path("", views.site_root, name="site-root"),
    path("u/<str:code>/", views.site_home, name="site-home"),
    path("u/<str:code>/c/<slug:key>/", views.site_column, name="site-column"),
    path("u/<str:code>/a/<int:pk>/", views.site_article, name="site-article"),
    path("u/<str:code>/qr.svg", views.site_qr, name="site-qr"),
    path("u/<str:code>/a/<int:pk>/qr.svg", views.article_qr, name="article-qr"),
    path("u/<str:code>/poster/", views.site_poster, name="site-poster"),
]
