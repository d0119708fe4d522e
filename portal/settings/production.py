"""Production. Requires SECRET_KEY and ALLOWED_HOSTS from the environment."""

import os

from portal.env import env, env_bool

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, BASE_DIR, CACHES, SECRET_KEY, require

DEBUG = False
SECRET_KEY = require("SECRET_KEY", SECRET_KEY)
if not ALLOWED_HOSTS:
    require("ALLOWED_HOSTS", "")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Every gunicorn worker must see the same menus and versions of cached figures, or
# one worker keeps serving what another worker's write made stale. (Rate-limit counters
# are in the database: this cache's incr is not atomic.)
# Files on the host's disk are shared by all workers without another service to run;
# with several hosts, point CACHE_BACKEND/CACHE_LOCATION at a networked cache.
if "CACHE_BACKEND" not in os.environ:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("CACHE_LOCATION", str(BASE_DIR / "var" / "cache")),
        # Only small, hot keys live here (see portal.versions), so the directory stays
        # small; the file cache lists it on every write to enforce this bound.
        "OPTIONS": {"MAX_ENTRIES": 3000},
    }
