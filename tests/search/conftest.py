"""Fixtures for the search contract suite.

`search_backend` is parametrized over every backend available here: the embedded one
(on whatever database the suite runs on: SQLite by default, PostgreSQL when DATABASE_URL
says so), Elasticsearch through osmem-server (the in-memory stand-in, always), and a real
Elasticsearch cluster when ELASTICSEARCH_URL is set in the environment. Backends that are
not available are not parameters at all, so nothing is skipped.
"""

from __future__ import annotations

import os
import socket
import socketserver
import threading
import uuid

import pytest

from search.backends import get_backend
from tests.search.osmem_adapter import OsmemCompatNode

REAL_ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

BACKEND_PARAMS = ["database", "osmem"] + (["elasticsearch"] if REAL_ELASTICSEARCH_URL else [])
ENGINE_PARAMS = [p for p in BACKEND_PARAMS if p != "database"]


def _configure_engine(request, settings, kind: str) -> None:
    if kind == "osmem":
        clone = request.getfixturevalue("osmem_clone")
        settings.ELASTICSEARCH_URL = clone.url
        settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": OsmemCompatNode}
        settings.ELASTICSEARCH_INDEX_PREFIX = "portal-test"
    else:
        settings.ELASTICSEARCH_URL = REAL_ELASTICSEARCH_URL
        settings.ELASTICSEARCH_CLIENT_OPTIONS = {}
        settings.ELASTICSEARCH_INDEX_PREFIX = f"portal-test-{uuid.uuid4().hex[:12]}"

        def cleanup():
            backend = get_backend()
            client = backend.client.options(ignore_status=404)
            for name in backend._indices_behind_alias():
                client.indices.delete(index=name)

        request.addfinalizer(cleanup)


@pytest.fixture(params=BACKEND_PARAMS)
def search_backend(request, settings, db):
    """The configured backend, as `get_backend()` (and so the tasks) will see it."""
    if request.param == "database":
        settings.ELASTICSEARCH_URL = ""
    else:
        _configure_engine(request, settings, request.param)
    backend = get_backend()
    assert backend.name == ("database" if request.param == "database" else "elasticsearch")
    return backend


@pytest.fixture(params=ENGINE_PARAMS)
def engine_backend(request, settings, db):
    """Only the Elasticsearch backends (stand-in and, if configured, real)."""
    _configure_engine(request, settings, request.param)
    return get_backend()


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class HungEngine:
    """A TCP server on 127.0.0.1 that accepts connections and never answers: what a hung
    Elasticsearch looks like to a client. Counts the connections it was offered."""

    def __init__(self):
        self.connections = 0
        self._release = threading.Event()
        engine = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                engine.connections += 1
                engine._release.wait(timeout=60)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self):
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def hung_engine():
    engine = HungEngine()
    yield engine
    engine.close()
