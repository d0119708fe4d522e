from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.urls import register_converter

        from portal.ids import IdConverter

        # Before any URLconf is imported (the admin's imports the apps' hooks early).
        register_converter(IdConverter, "id")

        from portal import checks  # noqa: F401 - registers the system checks
        from portal.context_processors import remember_admin_link

        user_logged_in.connect(remember_admin_link, dispatch_uid="portal_remember_admin_link")
        register_invalidation()


def register_invalidation() -> None:
    """What writes to the people and units change on cached pages (portal.invalidation)."""
    from portal import invalidation, versions
    from portal.models import Municipality, Organisation, Unit, User

    # Idea pages and lists show people's public names; logging in (last_login) does not
    # change them. A deleted person's name must leave every page at once.
    invalidation.register(User, versions=(versions.IDEAS,), fields=User.PUBLIC_NAME_FIELDS)
    # Every write to a person's row reaches request.user's cached copy
    # (portal.auth_backends): a new password or deactivation must end their sessions.
    invalidation.register(User, versions=lambda change: (versions.person(change.instance.pk),))
    invalidation.register(Unit, versions=(versions.LABELS,))  # filter choices, idea pages
    # Nothing public names a municipality yet; its pages and filters will (issue 13).
    invalidation.register(Municipality, versions=(versions.LABELS, versions.MUNICIPALITIES))
    # Comments by staff of an idea's owning unit are marked as the municipality's answer.
    invalidation.register(Unit.staff.through, versions=(versions.IDEAS,))
    invalidation.register(Organisation, versions=(versions.IDEAS,))  # proposals show it
