"""Workbench URLs for writing and approving (mounted under /desk/)."""

from django.urls import path

from nutag.sites.views import desk as views

urlpatterns = [
    path("u/<str:code>/articles/", views.article_list, name="desk-articles"),
    path("u/<str:code>/articles/new/", views.article_new, name="desk-article-new"),
    path("u/<str:code>/columns/", views.columns_page, name="desk-columns"),
    path("u/<str:code>/columns/<slug:key>/", views.column_edit, name="desk-column-edit"),
    path("u/<str:code>/columns/<slug:key>/move/", views.column_move, name="desk-column-move"),
    path("articles/<int:pk>/", views.article_edit, name="desk-article-edit"),
    path("articles/<int:pk>/preview/", views.article_preview, name="desk-article-preview"),
    path("articles/<int:pk>/submit/", views.article_submit, name="desk-article-submit"),
    path("articles/<int:pk>/publish/", views.article_publish, name="desk-article-publish"),
    path("articles/<int:pk>/return/", views.article_return, name="desk-article-return"),
    path("articles/<int:pk>/withdraw/", views.article_withdraw, name="desk-article-withdraw"),
    path("articles/<int:pk>/push/", views.article_push, name="desk-article-push"),
    path("articles/<int:pk>/recommend/", views.article_recommend, name="desk-article-recommend"),
    path(
        "articles/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="desk-attachment-remove",
    ),
    path(
        "recommendations/<int:pk>/accept/",
        views.recommendation_decide,
        {"accept": True},
        name="desk-recommendation-accept",
    ),
    path(
        "recommendations/<int:pk>/decline/",
        views.recommendation_decide,
        {"accept": False},
        name="desk-recommendation-decline",
    ),
]
