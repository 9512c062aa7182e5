"""The secretary's account page, under /desk/; the message endpoint is wired in config/urls.py."""

from django.urls import path

from nutag.wechat import oauth, share, views

urlpatterns = [
    path("u/<str:code>/wechat/", views.account_page, name="wechat-account"),
    path("u/<str:code>/wechat/menu/", views.menu_push_page, name="wechat-menu-push"),
    path("me/wechat/", oauth.my_bindings_page, name="wechat-my-bindings"),
    path("me/wechat/<int:pk>/unbind/", oauth.unbind_page, name="wechat-unbind"),
]

# Public, mounted at /wechat/ by config/urls.py (next to the message endpoint).
public_urlpatterns = [
    path("<str:code>/login/", oauth.oauth_start, name="wechat-oauth-start"),
    path("<str:code>/login/back/", oauth.oauth_back, name="wechat-oauth-back"),
    path("<str:code>/bind/", oauth.bind_page, name="wechat-bind"),
    path("<str:code>/share/", share.share_config, name="wechat-share"),
]
