from django.urls import path

from nutag.voice import views

urlpatterns = [
    path("u/<str:code>/concerns/", views.concern_list, name="voice-concerns"),
    path("u/<str:code>/concerns/new/", views.concern_new, name="voice-concern-new"),
    path("u/<str:code>/concerns/<int:pk>/", views.concern_detail, name="voice-concern"),
    path("u/<str:code>/polls/new/", views.poll_new, name="voice-poll-new"),
    path("u/<str:code>/polls/<int:pk>/", views.poll_detail, name="voice-poll"),
]
