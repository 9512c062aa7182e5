"""The secretary's account page, under /desk/; the message endpoint is wired in config/urls.py."""

from django.urls import path

from nutag.wechat import views

urlpatterns = [
    path("u/<str:code>/wechat/", views.account_page, name="wechat-account"),
    path("u/<str:code>/wechat/menu/", views.menu_push_page, name="wechat-menu-push"),
]
