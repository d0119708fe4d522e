"""Small helpers for reading settings from the environment."""

import os


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def redis_cache_url() -> str:
    """The Redis server(s) for the shared cache, if the environment names one.

    `CACHE_URL` or `CACHE_LOCATION` (the same thing, two names) may be a `redis://`,
    `rediss://` (TLS) or `unix://` URL, or several separated by commas: a primary and
    its read replicas, as Django's RedisCache takes them. An explicit `CACHE_BACKEND`
    wins, so any other cache can still be named in full.
    """
    if os.environ.get("CACHE_BACKEND"):
        return ""
    url = (os.environ.get("CACHE_URL") or os.environ.get("CACHE_LOCATION") or "").strip()
    return url if url.startswith(REDIS_SCHEMES) else ""
