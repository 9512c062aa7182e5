"""Study URLs: ``public_urlpatterns`` on the unit sites (/u/<code>/study/…), ``urlpatterns``
in the workbench (mounted under /desk/)."""

from django.urls import path

from nutag.study.views import desk, public

public_urlpatterns = [
    path("u/<str:code>/study/courses/<int:pk>/", public.course_page, name="study-course"),
    path("u/<str:code>/study/lessons/<int:pk>/", public.lesson_page, name="study-lesson"),
    path(
        "u/<str:code>/study/lessons/<int:pk>/progress",
        public.lesson_progress,
        name="study-progress",
    ),
    path("u/<str:code>/study/lessons/<int:pk>/quiz", public.lesson_quiz, name="study-quiz"),
    path("u/<str:code>/study/lessons/<int:pk>/pdf", public.lesson_file, name="study-lesson-file"),
    path("u/<str:code>/study/me/", public.my_study, name="study-me"),
    path("u/<str:code>/study/micro-branch/", public.micro_branch, name="study-micro-branch"),
    path("u/<str:code>/study/meetings/<int:pk>/", public.meeting_page, name="study-meeting"),
]

urlpatterns = [
    path("u/<str:code>/study/", desk.study_home, name="study-desk"),
    path("u/<str:code>/study/courses/new/", desk.course_new, name="study-desk-course-new"),
    path("u/<str:code>/study/courses/<int:pk>/", desk.course_detail, name="study-desk-course"),
    path(
        "u/<str:code>/study/courses/<int:pk>/lessons/new/",
        desk.lesson_new,
        name="study-desk-lesson-new",
    ),
    path(
        "u/<str:code>/study/courses/<int:pk>/remind/",
        desk.course_remind,
        name="study-desk-remind",
    ),
    path(
        "u/<str:code>/study/courses/<int:pk>/home/",
        desk.course_home_study,
        name="study-desk-home-study",
    ),
    path("u/<str:code>/study/meetings/", desk.meetings, name="study-desk-meetings"),
    path("u/<str:code>/study/meetings/new/", desk.meeting_new, name="study-desk-meeting-new"),
    path(
        "u/<str:code>/study/meetings/schedule/",
        desk.meeting_schedule,
        name="study-desk-meeting-schedule",
    ),
    path("u/<str:code>/study/meetings/<int:pk>/", desk.meeting_detail, name="study-desk-meeting"),
    path("u/<str:code>/study/points/", desk.points, name="study-desk-points"),
    path("u/<str:code>/study/micro-branch/", desk.micro_branch, name="study-desk-micro-branch"),
]
