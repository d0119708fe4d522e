from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from portal import services
from portal.absolute_urls import base_url
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
        services.user_resend_confirmation(email=form.cleaned_data["email"])
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
        # Links point at the portal's public address (PORTAL_BASE_URL), not at the host
        # the request named, nor at the django.contrib.sites record nobody edits.
        form.save(
            extra_email_context={"base_url": base_url()},
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


def minimal_error_context() -> dict[str, str]:
    """What the pages rendered without a request context need (500.html, 403_csrf.html).

    Plain settings only: no context processor, no database, nothing that may be what
    broke. Links are reversed in the template, in the language LocaleMiddleware chose.
    """
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "MUNICIPALITY_NAME": settings.PORTAL_MUNICIPALITY_NAME,
    }


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a RequestContext: whatever broke may be in a context processor.
    template = loader.get_template("500.html")
    return HttpResponse(template.render(minimal_error_context()), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: say in the visitor's language what happened and how to go on.

    Django's own page is English and technical. `reason` is for the log, not the page.
    """
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render(minimal_error_context()))
