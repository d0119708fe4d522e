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

        from portal.context_processors import remember_admin_link

        user_logged_in.connect(remember_admin_link, dispatch_uid="portal_remember_admin_link")
