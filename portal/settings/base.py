"""Settings shared by every environment. Values come from the environment.

Each environment module (dev, test, production) imports this one and only overrides.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import env, env_bool, env_list, redis_cache_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = BASE_DIR / "node_modules"

SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Project apps first so their templates override third-party ones.
    "portal",
    "cms",
    "challenges",
    "ideas",
    "cocreation",
    "projects",
    "gains",
    "solutions",
    "search",
    "bench",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Comments (django-comments-xtd must come before django_comments)
    "django_comments_xtd",
    "django_comments",
    "rest_framework",
    # Tasks
    "django_tasks",
    "django_tasks_db",
    # Django
    "django_htmx",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.VersionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.LiveFiguresMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cms.middleware.CachedSiteMiddleware",
    "cms.middleware.StoredWorkflowNamesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL selects the database; the default is a SQLite file in the project.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the timeout turns short lock waits
    # into waits instead of "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and authentication ---------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "/"
# A failed CSRF check gets a page in the site's look and the visitor's language.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
# Confirmation and password-reset links stay valid for three days.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", "nb")
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("en", _("English")),
]
# Each app keeps its translations in <app>/locale/.
LOCALE_PATHS: list = []
TIME_ZONE = "Europe/Oslo"
# Dates and numbers as each language writes them ("8. nov. 2026", "12 345" in Bokmål;
# "8 Nov 2026", "12,345" in English): portal/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["portal.formats"]
# Thousands are grouped where a count is shown (the `intcomma` filter), never by default:
# with USE_THOUSAND_SEPARATOR every number in a template is grouped, and an id or page
# number of 1000 or more in a link, form value or data attribute ("?page=1 234") breaks.
USE_THOUSAND_SEPARATOR = False
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Pages are translated with Wagtail's own localisation (wagtail.contrib.simple_translation):
# an English version of a page lives in the English locale's page tree and is served
# under /en/; a page without one is served there in Norwegian (cms.routing).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic gathers the files whitenoise serves (outside the project on hosts
# that deploy the code read-only).
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Front-end packages are installed by npm and served from node_modules; nothing from
# them is committed to this repository.
STATICFILES_DIRS = [
    ("vendor/designsystemet-css", NODE_MODULES / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/designsystemet-theme", NODE_MODULES / "@digdir" / "designsystemet-theme" / "brand"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files attached to ideas live outside MEDIA_ROOT, which the web server serves to
# anyone: ideas.views.detail.attachment_download checks that the idea may be seen first. It
# sends the file itself, or (in production) leaves that to the web server through
# PORTAL_SENDFILE_HEADER: "X-Accel-Redirect" (nginx, an internal location at
# PORTAL_SENDFILE_PREFIX) or "X-Sendfile" (Apache mod_xsendfile). See README.
PORTAL_PRIVATE_MEDIA_ROOT = Path(
    env("PORTAL_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private-media"))
)
PORTAL_SENDFILE_HEADER = env("PORTAL_SENDFILE_HEADER", "") or None
PORTAL_SENDFILE_PREFIX = env("PORTAL_SENDFILE_PREFIX", "/protected-media/")

# --- Cache ----------------------------------------------------------------------------
# "default" holds what every server process must agree on: the
# cached menus and the versions of cached figures (portal.versions). One process in
# development and tests can keep it in memory; production shares it (production.py).
# "local" is per process on purpose: it holds figures and fragments whose keys carry
# a version or a digest of their content, so another process can never make them stale.
CACHES = {
    "default": {
        "BACKEND": env("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env("CACHE_LOCATION", "mulighetsportalen"),
    },
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "mulighetsportalen-local",
        # Bounds each process's memory: entries are at most a few tens of kB (a page of
        # the idea list), so 2 000 stay well inside a worker's budget; the least
        # recently used go first.
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Several app servers share one Redis (CACHE_URL=redis://host:6379/0): Django's own
# RedisCache, whose incr and add are atomic. Short socket timeouts: a Redis that hangs
# must fail a request quickly rather than hold a worker.
if redis_url := redis_cache_url():
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        # Several installations (or a test run) may share one Redis server.
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "mulighetsportalen"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }

# The logged-in person's row, per process (portal.auth_backends): a few hundred bytes
# each, apart from "local" so that many people cannot crowd out the cached pages.
CACHES["people"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "mulighetsportalen-people",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# --- Sessions -------------------------------------------------------------------------
# Read from a cache and written through to the database: a logged-in page then costs
# no query for the session (measured on the idea page: about a sixth of its CPU, see
# the README's benchmarks), and sessions survive the cache being emptied. The cache
# must be shared by every process that serves requests, or a log-out in one process
# would leave the session alive in another's: one process in development and tests
# keeps it in memory, production keeps it in files (production.py), several hosts in
# their shared Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
CACHES["sessions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "mulighetsportalen-sessions",
}
if redis_url:
    CACHES["sessions"] = {
        **CACHES["default"],
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "mulighetsportalen") + "-sessions",
    }

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Mulighetsportalen <noreply@mulighetsportalen.no>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Tasks ----------------------------------------------------------------------------
# The immediate backend runs tasks in-process (after commit, where we enqueue on commit).
# Production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs
# `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Mulighetsportalen"
# The portal's public address: every absolute link (e-mails, feeds, Wagtail's own admin
# e-mails) is built from it, never from a request's host (portal.absolute_urls).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]
# No avatars from Gravatar: every avatar URL would tell a third party, by a hash of the
# e-mail address, which staff member opened the admin and when. Wagtail shows its
# default avatar instead, or a photo uploaded under Account.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
SITE_ID = 1

# --- Comments -------------------------------------------------------------------------
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 1  # two levels: a comment and its replies
COMMENTS_XTD_CONFIRM_EMAIL = False  # only logged-in users comment

# --- Search ---------------------------------------------------------------------------
# Unset: the embedded database search backend. Set: an Elasticsearch cluster.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "mulighetsportalen")
# Short, so that a slow cluster degrades to the embedded search instead of hanging pages.
ELASTICSEARCH_TIMEOUT = float(env("ELASTICSEARCH_TIMEOUT", "2"))
# After the engine fails, public search uses the embedded backend this long before
# trying the engine again (search.backends; 0 tries it on every request).
PORTAL_SEARCH_ENGINE_PAUSE_SECONDS = int(env("PORTAL_SEARCH_ENGINE_PAUSE_SECONDS", "30"))
# Extra keyword arguments for the Elasticsearch client (ca_certs, api_key, ...), in code.
ELASTICSEARCH_CLIENT_OPTIONS: dict = {}

# --- Security headers (every environment, so the tests see what production sends) ------
# Content-Security-Policy through django-csp: the public pages run only our own static
# files. No inline scripts, styles or event handlers, and no eval: htmx is configured in
# a <meta> tag (base.html), without its injected indicator <style>, and needs nothing else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Designsystemet's CSS draws some icons as data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Wagtail 8's admin is not CSP-clean: the page editor and the user list run inline
# <script> blocks (seen as violations under the public policy), and its JavaScript
# widgets (Draftail, choosers, tooltips) may write style attributes; image uploads
# preview as blob: URLs, and the page editor shows its live preview in a frame of its
# own. Only the admin's own paths get these directives instead of the ones above, so a
# flaw on a public page can never borrow them
# (portal.middleware.ContentSecurityPolicyMiddleware).
PORTAL_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")
PORTAL_ADMIN_CSP_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}
# Nor does the admin call third parties: no Gravatar (it would send a hash of each staff
# member's e-mail address to an American service) and no check for Wagtail updates.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Permissions-Policy (django-permissions-policy): nothing on the portal needs these.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

# --- The portal -----------------------------------------------------------------------
# Ideas that no routing rule or challenge claims go to this unit.
PORTAL_INTAKE_UNIT_SLUG = env("PORTAL_INTAKE_UNIT_SLUG", "strategi-og-utvikling")
PORTAL_MUNICIPALITY_NAME = env("PORTAL_MUNICIPALITY_NAME", "Fjordvik kommune")
# Its kommunenummer. The default, 9999, belongs to no real municipality (there is no
# county 99): set the real one. Used when an existing database gets its first
# municipality (portal migration 0005).
PORTAL_MUNICIPALITY_NUMBER = env("PORTAL_MUNICIPALITY_NUMBER", "9999")
# How long after posting people may still edit their comment (deleting has no limit).
PORTAL_COMMENT_EDIT_MINUTES = int(env("PORTAL_COMMENT_EDIT_MINUTES", "30"))
# --- Abuse resistance -----------------------------------------------------------------
# portal.ratelimit: per scope, (attempts, window in seconds) per logged-in user ("user"),
# per IP address ("ip") or per e-mail address ("address"). The counters are rows in the
# database, exact however many processes count at once.
PORTAL_RATE_LIMITS = {
    "comment": {"user": (10, 10 * 60), "ip": (30, 10 * 60)},
    "comment_flag": {"user": (30, 60 * 60), "ip": (100, 60 * 60)},
    # Ideas accepted per hour; and attempts to send the form, valid or not.
    "idea_submit": {"user": (5, 60 * 60), "ip": (20, 60 * 60)},
    "idea_submit_attempt": {"user": (30, 60 * 60), "ip": (100, 60 * 60)},
    "vote": {"user": (60, 60), "ip": (200, 60)},
    "signup": {"ip": (20, 60 * 60)},
    "password_reset": {"ip": (20, 60 * 60)},
    "resend_confirmation": {"ip": (20, 60 * 60)},
    # Confirmation, password-reset and "already registered" e-mails to one address.
    "account_email": {"address": (3, 60 * 60)},
    # Co-creation: registering for a meeting, and inputs left through a meeting's short
    # link. A pop-up stand's tablet sends many inputs from one address, hence the IP limit.
    "meeting_registration": {"user": (20, 60 * 60), "ip": (60, 60 * 60)},
    "cocreation_input": {"user": (30, 60 * 60), "ip": (300, 60 * 60)},
}
# Log-in (the portal's, the Wagtail admin's and the Django admin's) through django-axes:
# after AXES_FAILURE_LIMIT failed attempts for one e-mail address from one IP address,
# or PORTAL_LOGIN_FAILURES_PER_IP failed attempts from one IP address for any
# addresses, log-in from there is refused for AXES_COOLOFF_TIME. A successful log-in
# clears that person's own failures; so does setting a new password by e-mail.
INSTALLED_APPS += ["axes"]
# Last, so it turns a lockout anywhere in the stack into the lockout page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the logged-in person's row cached (no query per page).
    "portal.auth_backends.CachedModelBackend",
]
AXES_HANDLER = "portal.login_lockout.PortalAxesHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
PORTAL_LOGIN_FAILURES_PER_IP = int(env("LOGIN_FAILURES_PER_IP", "30"))
# In hours; axes reads a float as a fraction of an hour.
AXES_COOLOFF_TIME = int(env("LOGIN_LOCKOUT_MINUTES", "30")) / 60
AXES_RESET_ON_SUCCESS = True
# Trying again while locked out does not prolong the lockout: the page says how long.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Every log-in form names the e-mail field "username"; compare it case-insensitively.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.login_lockout.login_username"
AXES_LOCKOUT_CALLABLE = "portal.login_lockout.lockout_response"
# Failed attempts are kept only until they expire; no log of every successful log-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The Wagtail admin's password reset obeys the same cap on e-mails per address.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "portal.forms.AdminPasswordResetForm"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # One line per task run is noise in development and in tests.
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Failed log-ins and lockouts are warnings; every successful log-in is not news.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}


def require(name: str, value: str) -> str:
    """Fail loudly at start-up when a setting production cannot do without is missing."""
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value
