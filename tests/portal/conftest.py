"""A Redis server for the tests of the shared cache (several app servers, one Redis).

`redis_url` is TEST_REDIS_URL when set (CI starts Debian's redis-server and sets it), or
else a redis-server this session starts on a free port of 127.0.0.1 and stops at the
end. Without either, the tests that need it fail and say what to install: a test that
silently did not run would read as a pass (`make test` installs redis-server as root).

`default_cache` runs a test twice: with the default cache in process memory, as in
development, and in Redis, as on several hosts. Each Redis test gets its own key
prefix, so nothing carries over between tests and a shared server is never flushed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen | None, seconds: float = 15.0) -> None:
    import redis

    deadline = time.monotonic() + seconds
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            return
        except redis.ConnectionError:
            if process is not None and process.poll() is not None:
                pytest.fail(f"redis-server exited with status {process.returncode}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"Redis at {url} did not answer within {seconds} s", pytrace=False)
            time.sleep(0.05)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_URL"):
        _wait_for(url, None)
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "These tests need Redis: install Debian's redis-server (`make test` does so "
            "when run as root; otherwise `sudo apt-get install redis-server`), or set "
            "TEST_REDIS_URL to a Redis server the tests may write to.",
            pytrace=False,
        )
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="portal-test-redis-")
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", workdir]
        + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_cache(settings, redis_url) -> Iterator[dict]:
    """The default cache in Redis, under a key prefix of this test's own."""
    import redis

    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    config = {"BACKEND": REDIS_CACHE, "LOCATION": redis_url, "KEY_PREFIX": prefix}
    settings.CACHES = {**settings.CACHES, "default": config}
    yield {"url": redis_url, "prefix": prefix}
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["memory", "redis"])
def default_cache(request) -> str:
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param
