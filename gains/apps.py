from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GainsConfig(AppConfig):
    name = "gains"
    verbose_name = _("Gains")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_invalidation()

        # The public project page and the staff project page show the project's gains
        # (projects.extensions: projects never imports gains).
        from gains import fragments
        from gains.staff.sections import staff_project_section
        from projects import extensions

        extensions.project_page_sections.register(fragments.project_gains_section)
        extensions.staff_project_sections.register(staff_project_section)


def register_invalidation() -> None:
    """Every gain table feeds one version, `GAINS`: the gains section of the public
    project page is cached under it (gains.fragments)."""
    from gains.models import Gain, Measurement
    from portal import invalidation, versions

    for model in (Gain, Measurement):
        invalidation.register(model, versions=(versions.GAINS,))
