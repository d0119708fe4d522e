"""Production. Requires SECRET_KEY and ALLOWED_HOSTS from the environment."""

import os

from portal.env import env, env_bool, redis_cache_url

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, BASE_DIR, CACHES, SECRET_KEY, STORAGES, require

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

# Stated here as well as in base, because production depends on it: collectstatic
# gives every file a content hash in its name (so whitenoise can let browsers cache
# it for a year) and writes gzip copies next to it (so CSS and JS go out compressed).
# It also fails the deploy when a stylesheet's url() points at a missing file.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Every gunicorn worker must see the same menus and versions of cached figures, or
# one worker keeps serving what another worker's write made stale. (Rate-limit counters
# are in the database: the file cache's incr is not atomic.)
# Files on the host's disk are shared by all workers of one host without another service
# to run; with several hosts, set CACHE_URL=redis://... (base.py) so all hosts share it.
if "CACHE_BACKEND" not in os.environ and not redis_cache_url():
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("CACHE_LOCATION", str(BASE_DIR / "var" / "cache")),
        # Only small, hot keys live here (see portal.versions), so the directory stays
        # small; the file cache lists it on every write to enforce this bound.
        "OPTIONS": {"MAX_ENTRIES": 3000},
    }

# Sessions (base.py) are cached where every worker of the host reads them: in the shared
# Redis with several hosts, otherwise in files, in a directory of their own (one file
# per logged-in person would crowd the small default cache above, which culls at random
# when full). A session missing from the cache is read from the database, so losing or
# culling the files only costs a query.
if not redis_cache_url():
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("SESSION_CACHE_LOCATION", str(BASE_DIR / "var" / "sessions")),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }

# Side effects (e-mails, search index updates) wait in the database for `manage.py
# db_worker`, so a slow mail server or a hung Elasticsearch never holds up a request.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# No default: e-mails and feeds must link to the public https address, which `manage.py
# check --deploy` insists on (portal.checks).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "").rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
