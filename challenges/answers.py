"""What challenge pages show of the ideas that answer them.

The ideas app sits above this one (it depends on challenges, never the reverse), so
challenge pages cannot read ideas themselves: the ideas app provides these figures and
page parts when it starts (`ideas.apps`, `ideas.challenge_pages`). The protocol below is
all this app knows of ideas.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.http import HttpRequest

    from challenges.models import ChallengePage


class Answer(Protocol):
    """An idea as a challenge's feed shows it."""

    title: str
    summary: str

    def get_absolute_url(self) -> str: ...


class Answers(Protocol):
    def counts_per_challenge(self) -> dict[int, int]:
        """How many public ideas answer each challenge, by challenge id (cached)."""
        ...

    def page_context(
        self, *, challenge: ChallengePage, request: HttpRequest, page: ChallengePage | None = None
    ) -> dict:
        """The challenge page's parts about its ideas: `challenge_main`,
        `challenge_facts`, `can_follow`, `is_following`. `page` is the page shown when
        it is a translation of `challenge` (the ideas answer the Norwegian original)."""
        ...

    def newest(self, *, challenge: ChallengePage, limit: int) -> Sequence[Answer]:
        """The newest public ideas answering the challenge, for its feed."""
        ...


_provider: Answers | None = None


def provide(provider: Answers) -> None:
    global _provider
    _provider = provider


def answers() -> Answers:
    if _provider is None:
        raise RuntimeError("No app provides the ideas that answer challenges (see ideas.apps).")
    return _provider
