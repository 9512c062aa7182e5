"""Logins, invitations and requests to join: mounted under /desk/ (see config/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from nutag.people.views import accounts as views
from nutag.people.views import join as views_join

urlpatterns = [
    path("me/", views.my_home, name="desk-me"),
    path("me/delete/", views.account_delete, name="desk-me-delete"),
    path("people/<int:pk>/invite/", views.invite_person, name="desk-person-invite"),
    path("people/<int:pk>/password-link/", views.password_link, name="desk-person-password-link"),
    path("people/<int:pk>/login/active/", views.login_switch, name="desk-person-login-active"),
    path("people/<int:pk>/login/unlock/", views.login_unlock, name="desk-person-login-unlock"),
    path("invitations/<int:pk>/", views.invitation_detail, name="desk-invitation"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="desk-invitation-revoke"),
    path("u/<str:code>/invitations/", views.invitations_list, name="desk-invitations"),
    path("imports/<int:pk>/invite/", views.import_invite, name="desk-import-invite"),
    path("u/<str:code>/join-requests/", views_join.join_requests, name="desk-join-requests"),
    path("join-requests/<int:pk>/", views_join.join_request_detail, name="desk-join-request"),
    # Open to visitors (the second-factor gate lets them through):
    path("invite/<str:token>/", views.invitation_accept, name="invite-accept"),
    path("join/<str:code>/", views_join.join_unit, name="join-unit"),
    path("account/2fa/", views.second_factor_setup, name="second-factor-setup"),
    path("account/2fa/verify/", views.second_factor_verify, name="second-factor-verify"),
    path("account/2fa/codes/", views.recovery_codes_renew, name="second-factor-codes"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="people/accounts/password_change.html",
            success_url=reverse_lazy("desk-me"),
        ),
        name="password-change",
    ),
]
