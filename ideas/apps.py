from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the comment policy (a django-comments-xtd moderator) for Idea.
        from ideas import comments  # noqa: F401
