from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from portal import ratelimit
from portal.models import User
from portal.tasks import send_email


class HoneypotMixin(forms.Form):
    """A field people never see. Software that fills in every field gives itself away."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("This form could not be sent. Please try again."), code="honeypot"
            )
        return cleaned


class SignupForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address to confirm it is yours."),
    )
    display_name = forms.CharField(
        label=_("Name shown publicly"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Shown next to your ideas and comments. You may use a first name only."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with e-mail; an unconfirmed account gets told so, with a way forward."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong. Please try again."),
    }

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and not getattr(
                self.request, "axes_locked_out", False
            ):
                self._explain_unconfirmed()
            raise

    def _explain_unconfirmed(self) -> None:
        # ModelBackend refuses inactive users the same way as wrong passwords; tell
        # people whose only problem is an unconfirmed address what to do about it. This
        # runs only after authenticate() has counted the attempt and found log-in not
        # locked out (django-axes), so it cannot be used to guess passwords beyond it.
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (email and password):
            return
        pending = User.objects.filter(
            email__iexact=email, is_active=False, email_confirmed_at__isnull=True
        ).first()
        if pending is not None and pending.check_password(password):
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("You have not confirmed your e-mail address yet."),
                    reverse("accounts:resend_confirmation"),
                    _("Send a new confirmation link"),
                ),
                code="unconfirmed",
            )


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }


class QueryFilterForm(forms.Form):
    """Filters for a public list, read from the query string.

    One value that no longer fits (an old link, a renamed theme, a typo) must not cost
    the visitor every other filter: `applied()` keeps each field that validated, and
    `ignored()` names the ones left out, for a notice above the results.
    """

    def applied(self) -> dict:
        self.is_valid()  # cleaned_data holds exactly the fields that validated
        return self.cleaned_data

    def ignored(self) -> list[str]:
        if not self.is_bound or self.is_valid():
            return []
        notices = []
        for name in self.errors:
            if name not in self.fields:
                continue
            value = str(self.data.get(name, ""))[:60]
            notices.append(
                _("%(label)s: “%(value)s” is not one of the choices, so that filter was left out.")
                % {"label": self.fields[name].label, "value": value}
            )
        return notices


class CappedAccountEmailMixin:
    """For Django's password-reset forms: at most a few e-mails per address per hour,
    sent by the task queue like every other e-mail, not while the visitor waits."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # Above the cap nothing is sent and the visitor sees the same page as always.
        if not ratelimit.account_email_allowed(to_email):
            return
        # Rendered now, in the language the visitor used; sent by the worker.
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html_body = (
            render_to_string(html_email_template_name, context) if html_email_template_name else ""
        )
        # Nothing here is written to roll back, so it is queued at once.
        send_email.enqueue(subject=subject, body=body, to=[to_email], html_body=html_body)


class PasswordResetForm(CappedAccountEmailMixin, auth_forms.PasswordResetForm):
    """The portal's password reset."""


class AdminPasswordResetForm(CappedAccountEmailMixin, WagtailPasswordResetForm):
    """The Wagtail admin's password reset (WAGTAILADMIN_USER_PASSWORD_RESET_FORM)."""
