from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from portal import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("signup/done/", views.SignupDoneView.as_view(), name="signup_done"),
    path("confirm/<uidb64>/<token>/", views.ConfirmEmailView.as_view(), name="confirm_email"),
    path("confirm/resend/", views.ResendConfirmationView.as_view(), name="resend_confirmation"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="portal/accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="portal/accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="portal/accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
