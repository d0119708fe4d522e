from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolutionsConfig(AppConfig):
    name = "solutions"
    verbose_name = _("Solution library")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The staff project page: share it as a solution, or see where it came from
        # (projects.extensions: projects never imports solutions).
        from projects import extensions
        from solutions.staff.sections import staff_project_section

        extensions.staff_project_sections.register(staff_project_section)

        # /sitemap-solutions.xml: the published solutions' pages.
        from ideas.sitemaps import register_section
        from solutions.sitemaps import SolutionSitemap

        register_section("solutions", SolutionSitemap)
