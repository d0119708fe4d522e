"""Public ideas like a piece of text, for spotting duplicates (submit form, triage).

Finding them is the search engine's work, and the search app sits above this one: it
provides the finder when it starts (`search.apps`), so nothing here imports it. Without
a finder (an installation without the search app) there are simply no suggestions.
"""

from __future__ import annotations

from typing import Protocol

from ideas.models import Idea


class SimilarIdeasFinder(Protocol):
    def __call__(
        self, text: str, *, limit: int, exclude: int | None = None, municipality: str | None = None
    ) -> list[Idea]: ...


_finder: SimilarIdeasFinder | None = None


def provide(finder: SimilarIdeasFinder) -> None:
    global _finder
    _finder = finder


def similar_ideas(
    text: str, *, limit: int, exclude: int | None = None, municipality: str | None = None
) -> list[Idea]:
    """At most `limit` public ideas like `text`, best first, without the idea `exclude`;
    only those of the municipality with the slug `municipality` when given (an idea is
    handled by its own municipality: another's is no duplicate of it)."""
    if _finder is None:
        return []
    found = _finder(text, limit=limit, exclude=exclude, municipality=municipality)
    return [idea for idea in found if idea.pk != exclude][:limit]
