from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_invalidation()

        # The idea page shows the project that carries the idea on (ideas.extensions).
        from ideas import extensions
        from projects import fragments
        from projects.staff.sections import triage_project_section

        extensions.idea_page_sections.register(fragments.idea_project_section)
        # The idea's triage page: start a project from it, or go to its project.
        extensions.triage_idea_sections.register(triage_project_section)

        # /sitemap-projects.xml: the public project pages.
        from ideas.sitemaps import register_section
        from projects.sitemaps import ProjectSitemap

        register_section("projects", ProjectSitemap)


def register_invalidation() -> None:
    """What writes to projects change on cached pages (portal.invalidation).

    Every project table feeds one version, `PROJECTS`: the public project page and the
    project section on idea pages are cached under it (projects.fragments).
    """
    from portal import invalidation, versions
    from projects.models import (
        Milestone,
        ParticipatingUnit,
        Phase,
        Project,
        ProjectAdoption,
        ProjectDocument,
        ProjectIdea,
    )

    for model in (
        Phase,
        Project,
        ProjectIdea,
        Milestone,
        ParticipatingUnit,
        ProjectAdoption,
        ProjectDocument,
    ):
        invalidation.register(model, versions=(versions.PROJECTS,))
