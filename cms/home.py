"""What the home page and the default menu show from the apps above this one.

The site's own pages come first in the dependency order (portal <- cms <- challenges <-
ideas), yet the home page shows challenges and ideas. Those apps provide their parts
here when they start (`challenges.apps`, `ideas.apps`); this module knows only that
each part is a function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wagtail.models import Page


@dataclass
class HomeParts:
    # The page that lists the challenges, for the menu, the hero and the feeds' links.
    challenge_index: Callable[[], Page | None] = lambda: None
    # Context for the home page's sections, which are the same for every visitor (they
    # are cached under versions.IDEAS, PUBLIC_IDEAS, PAGES and LABELS: see
    # cms.fragments.HOME_VERSIONS); each takes the home page.
    sections: list[Callable[[Page], dict[str, Any]]] = field(default_factory=list)


parts = HomeParts()
