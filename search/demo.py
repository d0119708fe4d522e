"""Demo data for search: build the index from everything the other seeders created."""

from __future__ import annotations

import logging

from portal import demo
from search.backends import SearchUnavailable, get_backend, get_database_backend

logger = logging.getLogger(__name__)


def seed() -> int:
    """Rebuild the embedded index (and Elasticsearch, if configured and reachable)."""
    count = get_database_backend().rebuild()
    backend = get_backend()
    if backend.name != "database":
        try:
            backend.rebuild()
        except SearchUnavailable:
            logger.warning("Elasticsearch is not reachable; run rebuild_search_index later")
    return count


@demo.step(90, "search index")
def seed_index() -> str:
    """Last: the index built in one go from everything the other steps created."""
    return f"{seed()} documents in the search index"
