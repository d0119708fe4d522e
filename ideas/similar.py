"""Public ideas like a piece of text, for spotting duplicates (submit form, triage).

Finding them is the search engine's work, and the search app sits above this one: it
provides the finder when it starts (`search.apps`), so nothing here imports it. Without
a finder (an installation without the search app) there are simply no suggestions.
"""

from __future__ import annotations

from typing import Protocol

from ideas.models import Idea


class SimilarIdeasFinder(Protocol):
    def __call__(self, text: str, *, limit: int, exclude: int | None = None) -> list[Idea]: ...


_finder: SimilarIdeasFinder | None = None


def provide(finder: SimilarIdeasFinder) -> None:
    global _finder
    _finder = finder


def similar_ideas(text: str, *, limit: int, exclude: int | None = None) -> list[Idea]:
    """At most `limit` public ideas like `text`, best first, without the idea `exclude`."""
    if _finder is None:
        return []
    return [idea for idea in _finder(text, limit=limit, exclude=exclude) if idea.pk != exclude][
        :limit
    ]
