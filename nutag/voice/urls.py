from django.urls import path

from nutag.voice import views, views_aid

urlpatterns = [
    path("u/<str:code>/concerns/", views.concern_list, name="voice-concerns"),
    path("u/<str:code>/concerns/new/", views.concern_new, name="voice-concern-new"),
    path("u/<str:code>/concerns/<int:pk>/", views.concern_detail, name="voice-concern"),
    path("u/<str:code>/polls/new/", views.poll_new, name="voice-poll-new"),
    path("u/<str:code>/polls/<int:pk>/", views.poll_detail, name="voice-poll"),
    path("u/<str:code>/aid/", views_aid.aid_list, name="voice-aid"),
    path("u/<str:code>/aid/new/", views_aid.aid_new, name="voice-aid-new"),
    path("u/<str:code>/aid/<int:pk>/", views_aid.aid_detail, name="voice-aid-post"),
    path("u/<str:code>/emergencies/", views_aid.emergency_list, name="voice-emergencies"),
    path("u/<str:code>/emergencies/new/", views_aid.emergency_new, name="voice-emergency-new"),
    path(
        "u/<str:code>/emergencies/<int:pk>/",
        views_aid.emergency_detail,
        name="voice-emergency",
    ),
    path(
        "desk/u/<str:code>/concern-categories/",
        views_aid.categories_page,
        name="voice-categories",
    ),
]

# Comments and the secretary's inbox (issue 13, item 5): nutag/voice/views_talk.py
from nutag.voice import views_talk  # noqa: E402

urlpatterns += [
    path("u/<str:code>/a/<int:pk>/comments/", views_talk.article_comment, name="voice-comment"),
    path(
        "u/<str:code>/concerns/<int:pk>/comments/",
        views_talk.concern_comment,
        name="voice-concern-comment",
    ),
    path(
        "u/<str:code>/comments/<int:pk>/report/",
        views_talk.comment_report,
        name="voice-comment-report",
    ),
    path("desk/u/<str:code>/comments/", views_talk.desk_comments, name="voice-desk-comments"),
    path(
        "desk/comments/<int:pk>/moderate/",
        views_talk.desk_comment_moderate,
        name="voice-desk-comment-moderate",
    ),
    path("u/<str:code>/inbox/", views_talk.inbox, name="voice-inbox"),
    path("u/<str:code>/inbox/<int:pk>/", views_talk.inbox_thread, name="voice-inbox-thread"),
    path("desk/u/<str:code>/inbox/", views_talk.desk_inbox, name="voice-desk-inbox"),
    path(
        "desk/u/<str:code>/inbox/<int:pk>/",
        views_talk.desk_inbox_thread,
        name="voice-desk-inbox-thread",
    ),
]
