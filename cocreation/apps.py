from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    name = "cocreation"
    verbose_name = _("Co-creation")
    default_auto_field = "django.db.models.BigAutoField"
