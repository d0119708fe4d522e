"""Writes concerning accounts. Views validate input and call these."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.absolute_urls import absolute_url
from portal.emails import queue_email
from portal.models import User
from portal.ratelimit import account_email_allowed
from portal.tokens import email_confirmation_token


def confirmation_url(*, user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return absolute_url(
        reverse("accounts:confirm_email", kwargs={"uidb64": uidb64, "token": token})
    )


def user_signup(*, email: str, password: str, display_name: str) -> User | None:
    """Create an inactive account and send the confirmation link after commit.

    The account becomes active only through `user_confirm_email`, so nobody can
    participate with an address they do not control. If the address already has an
    account, nothing is created: its owner gets an e-mail pointing to log-in and
    password reset instead, and the visitor sees the same answer either way, so the
    form cannot be used to find out who has an account. Returns the new user or None.

    Account e-mails to one address are capped per hour (`account_email_allowed`), so
    the form cannot be used to flood someone's inbox; above the cap nothing is sent.
    """
    email = email.strip().lower()
    try:
        with transaction.atomic():
            user = User(email=email, display_name=display_name.strip(), is_active=False)
            user.set_password(password)
            user.save()
    except IntegrityError:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and account_email_allowed(existing.email):
            queue_email(
                template="portal/emails/already_registered",
                context={
                    "user": existing,
                    "login_url": absolute_url(reverse("accounts:login")),
                    "reset_url": absolute_url(reverse("accounts:password_reset")),
                },
                to=[existing.email],
            )
        return None
    if account_email_allowed(user.email):
        queue_email(
            template="portal/emails/confirm_email",
            context={"user": user, "url": confirmation_url(user=user)},
            to=[user.email],
        )
    return user


def user_resend_confirmation(*, email: str) -> bool:
    """Send a new confirmation link to an unconfirmed account, if there is one.

    Returns whether a link was sent (not above the hourly cap of account e-mails to the
    address); callers must not reveal that to the visitor, so that the form cannot be
    used to find out who has an account.
    """
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is None or not account_email_allowed(user.email):
        return False
    queue_email(
        template="portal/emails/confirm_email",
        context={"user": user, "url": confirmation_url(user=user)},
        to=[user.email],
    )
    return True


def user_confirm_email(*, user: User, token: str) -> bool:
    """Activate the account if the token is valid. Returns whether it was confirmed."""
    if not email_confirmation_token.check_token(user, token):
        return False
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email_confirmed_at is not None:
            return False
        locked.email_confirmed_at = timezone.now()
        locked.is_active = True
        locked.save(update_fields=["email_confirmed_at", "is_active"])
    user.refresh_from_db()
    return True


def user_update_profile(*, user: User, display_name: str, first_name: str, last_name: str) -> User:
    user.display_name = display_name.strip()
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["display_name", "first_name", "last_name"])
    return user
