from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for e-mail confirmation links.

    The hash includes the confirmation time, so a link stops working once it has been
    used, and the e-mail address, so a link for an old address cannot confirm a new one.
    """

    key_salt = "portal.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):  # type: ignore[no-untyped-def]
        confirmed = "" if user.email_confirmed_at is None else user.email_confirmed_at.isoformat()
        return f"{user.pk}{user.email}{confirmed}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
