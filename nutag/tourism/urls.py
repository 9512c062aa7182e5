from django.urls import path

from nutag.tourism import views

urlpatterns = [
    path("tourism/", views.tourism_root, name="tourism-root"),
    path("tourism/bookings/", views.bookings, name="tourism-bookings"),
    path("tourism/bookings/<int:pk>/", views.booking_detail, name="tourism-booking"),
    path("u/<str:code>/tourism/", views.tourism_home, name="tourism-home"),
    path("u/<str:code>/tourism/new/", views.place_new, name="tourism-place-new"),
    path("u/<str:code>/tourism/<int:pk>/", views.place_detail, name="tourism-place"),
    path("u/<str:code>/tourism/<int:pk>/edit/", views.place_edit, name="tourism-place-edit"),
]
