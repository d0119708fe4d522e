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
