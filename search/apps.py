from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "portal_search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ideas import similar
        from search import signals
        from search.backends import get_backend

        signals.connect()

        # The ideas app asks for similar ideas without importing search (it sits below).
        def find_similar(
            text: str, *, limit: int, exclude: int | None = None, municipality: str | None = None
        ):
            return get_backend().similar_ideas(
                text, limit=limit, exclude=exclude, municipality=municipality
            )

        similar.provide(find_similar)

        # Connect before building: similar published solutions on the idea form and on
        # the staff form that starts a project (both apps sit below solutions).
        from ideas import extensions as idea_extensions
        from projects import extensions as project_extensions
        from search import suggestions

        idea_extensions.idea_form_hints.register(suggestions.idea_form_hint)
        # The solution library's search box ranks with the engine too.
        from solutions import text_search

        text_search.provide(suggestions.rank_solutions)
        project_extensions.start_form_hints.register(suggestions.project_start_hint)
