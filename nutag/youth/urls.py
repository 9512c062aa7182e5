from django.urls import path

from nutag.youth import views

urlpatterns = [
    path("u/<str:code>/youth/", views.record_list, name="youth-list"),
    path("u/<str:code>/youth.xlsx", views.record_export, name="youth-export"),
    path("u/<str:code>/deeds/", views.deed_list, name="youth-deeds"),
    path("u/<str:code>/deeds/new/", views.deed_new, name="youth-deed-new"),
    path("youth/mine/", views.my_pairs, name="youth-mine"),
    path("youth/new/<int:person_pk>/", views.record_new, name="youth-record-new"),
    path("youth/<int:pk>/", views.record_detail, name="youth-record"),
    path("youth/<int:pk>/edit/", views.record_edit, name="youth-record-edit"),
    path("youth/<int:pk>/pair/", views.pair_new, name="youth-pair"),
    path("youth/<int:pk>/need/", views.need_new, name="youth-need"),
    path("youth/pairs/<int:pk>/visit/", views.visit_new, name="youth-visit"),
    path("youth/pairs/<int:pk>/end/", views.pair_end, name="youth-pair-end"),
    path("youth/needs/<int:pk>/resolve/", views.need_resolve, name="youth-need-resolve"),
    path("u/<str:code>/youth/activities/", views.activity_list, name="youth-activities"),
    path("u/<str:code>/youth/activities/new/", views.activity_new, name="youth-activity-new"),
    path("u/<str:code>/youth/rules/", views.rules, name="youth-rules"),
    path("youth/activities/<int:pk>/", views.activity_detail, name="youth-activity"),
    path("youth/activities/<int:pk>/signup/", views.signup_new, name="youth-signup"),
    path("youth/activities/<int:pk>/photo/", views.photo_new, name="youth-activity-photo-new"),
    path("youth/activities/<int:pk>/report/", views.report, name="youth-activity-report"),
    path("youth/signups/<int:pk>/attendance/", views.attendance, name="youth-attendance"),
    path("youth/signups/<int:pk>/withdraw/", views.signup_withdraw, name="youth-signup-withdraw"),
    path(
        "youth/signups/<int:pk>/photo-consent/withdraw/",
        views.signup_photo_withdraw,
        name="youth-signup-photo-withdraw",
    ),
    path("youth/checkin/<str:token>/", views.checkin, name="youth-checkin"),
    path("youth/photos/a/<int:pk>.jpg", views.activity_photo, name="youth-activity-photo"),
    path("youth/photos/v/<int:pk>.jpg", views.visit_photo, name="youth-visit-photo"),
]
