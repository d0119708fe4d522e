"""What the home pages and the default menu show from the apps above this one.

The site's own pages come first in the dependency order (portal <- cms <- challenges <-
ideas), yet the home pages show challenges and ideas. Those apps provide their parts
here when they start (`challenges.apps`, `ideas.apps`); this module knows only that
each part is a function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail.models import Page


@dataclass
class HomeParts:
    # The page that lists the challenges directly below a site's root (the home page, or
    # a municipality's home page), for the menu, the hero and the feeds' links. None: the
    # default site's root.
    challenge_index: Callable[[Page | None], Page | None] = lambda root=None: None
    # Context for the home page's sections, which are the same for every visitor (they
    # are cached under versions.IDEAS, PUBLIC_IDEAS, PAGES, LABELS and MUNICIPALITIES:
    # see cms.fragments.HOME_VERSIONS); each takes the home page. On the regional front
    # page (several municipalities) they span the whole region.
    sections: list[Callable[[Page], dict[str, Any]]] = field(default_factory=list)
    # The same for the sections ordered by a live figure (the most supported ideas,
    # cms/includes/home_ranked_sections.html): rendered and cached apart, under
    # versions.SUPPORT as well, so that a vote renders only them again.
    ranked_sections: list[Callable[[Page], dict[str, Any]]] = field(default_factory=list)
    # The same for a municipality's home page; each takes that page.
    municipality_sections: list[Callable[[Page], dict[str, Any]]] = field(default_factory=list)
    # The municipality's own idea list (`/<slug>/ideer/`): takes the request and the
    # municipality's home page.
    municipality_ideas: Callable[[HttpRequest, Page], HttpResponse] | None = None


parts = HomeParts()
