from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from portal import services
from portal.forms import (
    EmailAuthenticationForm,
    PasswordResetForm,
    ProfileForm,
    ResendConfirmationForm,
    SignupForm,
)
from portal.login_lockout import login_lockout_clear
from portal.models import User
from portal.ratelimit import RateLimitedFormMixin


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


class SignupView(RateLimitedFormMixin, FormView):
    template_name = "portal/accounts/signup.html"
    form_class = SignupForm
    rate_limit_scope = "signup"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SignupForm) -> HttpResponse:
        services.user_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            base_url=base_url(self.request),
        )
        # The same answer whether or not the address was registered before.
        self.request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")


class SignupDoneView(TemplateView):
    template_name = "portal/accounts/signup_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email"] = self.request.session.get("signup_email", "")
        return context


class ConfirmEmailView(View):
    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        try:
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
        except (TypeError, ValueError, OverflowError, User.DoesNotExist):
            user = None
        if user is not None and services.user_confirm_email(user=user, token=token):
            messages.success(request, _("Your e-mail address is confirmed. You can now log in."))
            return redirect("accounts:login")
        return render(request, "portal/accounts/confirm_invalid.html", status=400)


class ResendConfirmationView(RateLimitedFormMixin, FormView):
    template_name = "portal/accounts/resend_confirmation.html"
    form_class = ResendConfirmationForm
    rate_limit_scope = "resend_confirmation"

    def form_valid(self, form: ResendConfirmationForm) -> HttpResponse:
        services.user_resend_confirmation(
            email=form.cleaned_data["email"], base_url=base_url(self.request)
        )
        messages.info(
            self.request,
            _("If the address has an unconfirmed account, we have sent a new link to it."),
        )
        return redirect("accounts:login")


class LoginView(auth_views.LoginView):
    template_name = "portal/accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(RateLimitedFormMixin, auth_views.PasswordResetView):
    template_name = "portal/accounts/password_reset.html"
    form_class = PasswordResetForm
    rate_limit_scope = "password_reset"
    email_template_name = "portal/emails/password_reset.txt"
    subject_template_name = "portal/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form) -> HttpResponse:
        # Links point at the host the visitor used (validated by ALLOWED_HOSTS), not at
        # the django.contrib.sites record, which django-comments needs but nobody edits.
        form.save(
            domain_override=self.request.get_host(),
            use_https=self.request.is_secure(),
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
        )
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever could choose the new password owns the address: failed log-ins
        # recorded against it need not keep its owner out any longer.
        login_lockout_clear(email=form.user.email)
        return response


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "portal/accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None) -> User:
        return self.request.user  # type: ignore[return-value]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["units"] = user.units.order_by("name")
        context["organisations"] = user.organisations.order_by("name")
        return context

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        services.user_update_profile(
            user=self.request.user,
            display_name=form.cleaned_data["display_name"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        messages.success(self.request, _("Your profile is saved."))
        return redirect(self.success_url)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a RequestContext: whatever broke may be in a context processor.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(
        template.render({"home_url": reverse("wagtail_serve", args=[""])}), status=500
    )
