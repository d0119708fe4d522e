"""Search backends behind one interface, chosen by settings.

`get_backend()` returns the Elasticsearch backend when `ELASTICSEARCH_URL` is set and the
embedded database backend otherwise. `get_public_backend()` is what public pages use: it
falls back to the embedded backend (and says so) when Elasticsearch cannot answer.
"""

from __future__ import annotations

from django.conf import settings

from search.backends.base import SearchBackend, SearchUnavailable


def get_backend() -> SearchBackend:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if url:
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend.for_url(url)
    return get_database_backend()


def get_database_backend() -> SearchBackend:
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


def search_with_fallback(**kwargs):
    """Search with the configured backend; on failure, the embedded one.

    Returns (results, fell_back). The error is logged; callers show a notice.
    """
    import logging

    backend = get_backend()
    try:
        return backend.search(**kwargs), False
    except SearchUnavailable:
        if backend.name == "database":
            raise
        logging.getLogger(__name__).exception("Search engine unavailable; using the database")
        return get_database_backend().search(**kwargs), True


def suggest_with_fallback(prefix: str, limit: int = 8):
    import logging

    backend = get_backend()
    try:
        return backend.suggest(prefix, limit), False
    except SearchUnavailable:
        if backend.name == "database":
            raise
        logging.getLogger(__name__).warning("Search engine unavailable for suggestions")
        return get_database_backend().suggest(prefix, limit), True
