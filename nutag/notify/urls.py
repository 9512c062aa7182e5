"""The inbox and notification settings, under /desk/ (``config/urls.py``)."""

from django.urls import path

from nutag.notify import views

urlpatterns = [
    path("notifications/", views.inbox_page, name="notify-inbox"),
    path("notifications/read-all/", views.mark_all_read, name="notify-read-all"),
    path("notifications/<int:pk>/read/", views.mark_read, name="notify-read"),
    path("notifications/settings/", views.settings_page, name="notify-settings"),
    path("u/<str:code>/notice/", views.notice_page, name="notify-notice"),
    path("u/<str:code>/notify-policy/", views.policy_page, name="notify-policy"),
]
