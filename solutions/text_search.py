"""Finding solutions by their words: the library's search box.

Ranking by words (stemming "fallsensorer" to "fallsensor", weighting the title) is the
search engine's work, and the search app sits above this one: it provides the ranker
when it starts (`search.apps`), so nothing here imports it. Without a ranker (an
installation without the search app) the library matches the words as they are typed.
"""

from __future__ import annotations

from collections.abc import Callable

# The published solutions' ids matching `text`, best first; None when the search engine
# (and the embedded search standing in for it) cannot answer.
Ranker = Callable[[str], list[int] | None]

_ranker: Ranker | None = None


def provide(ranker: Ranker) -> None:
    global _ranker
    _ranker = ranker


def ranked_ids(text: str) -> list[int] | None:
    """The ids of the solutions matching `text`, best first; None without a ranker or
    an answer."""
    if _ranker is None:
        return None
    return _ranker(text)
