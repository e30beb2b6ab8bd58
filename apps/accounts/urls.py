from django.contrib.auth import views as django_auth_views
from django.urls import path

from apps.accounts.views import auth, authority, producer, security, tokens

app_name = "accounts"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", django_auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("register/", auth.register, name="register"),
    path("register/status/", auth.registration_status, name="registration_status"),
    path("invitation/<str:token>/", auth.invitation_accept, name="invitation_accept"),
    path("language/", auth.set_language, name="set_language"),
    path("team/", producer.team, name="team"),
    path("team/members/<int:pk>/active/", producer.member_toggle, name="member_toggle"),
    path("team/invitations/<int:pk>/revoke/", producer.invitation_revoke, name="invitation_revoke"),
    path("organisations/", authority.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", authority.organisation_detail, name="organisation_detail"),
    path("officials/", authority.official_list, name="official_list"),
    path("officials/<int:pk>/active/", authority.official_toggle, name="official_toggle"),
    path("security/", security.mfa_overview, name="mfa"),
    path("security/mfa/setup/", security.mfa_setup, name="mfa_setup"),
    path("security/mfa/verify/", security.mfa_verify, name="mfa_verify"),
    path("security/mfa/recovery-codes/", security.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("security/mfa/disable/", security.mfa_disable, name="mfa_disable"),
    path("security/confirm/", security.reauthenticate, name="reauthenticate"),
    path("api-tokens/", tokens.token_list, name="token_list"),
    path("api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
