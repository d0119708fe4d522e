"""Each settings module loads, reads the environment, and production is deployable."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "CACHE_BACKEND",
            "CACHE_LOCATION",
            "CACHE_URL",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def print_setting(module: str, expression: str, **env: str) -> str:
    result = run_manage(
        "shell",
        "-c",
        f"from django.conf import settings; print({expression})",
        env={"DJANGO_SETTINGS_MODULE": module, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("module", ["dev", "test"])
def test_dev_and_test_settings_load_without_environment(module):
    assert print_setting(f"portal.settings.{module}", "settings.LANGUAGE_CODE") == "nb"


def test_default_database_is_a_sqlite_file_in_the_project():
    engine = print_setting("portal.settings.dev", "settings.DATABASES['default']['ENGINE']")
    name = print_setting("portal.settings.dev", "settings.DATABASES['default']['NAME']")
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "db.sqlite3")


def test_database_url_selects_postgresql():
    engine = print_setting(
        "portal.settings.dev",
        "settings.DATABASES['default']['ENGINE']",
        DATABASE_URL="postgres://portal:secret@db.example:5432/portal",
    )
    assert engine == "django.db.backends.postgresql"


def test_elasticsearch_url_and_languages_come_from_settings():
    assert print_setting("portal.settings.dev", "repr(settings.ELASTICSEARCH_URL)") == "''"
    assert (
        print_setting(
            "portal.settings.dev", "settings.ELASTICSEARCH_URL", ELASTICSEARCH_URL="http://es:9200"
        )
        == "http://es:9200"
    )
    assert (
        print_setting("portal.settings.dev", "[c for c, _ in settings.LANGUAGES]") == "['nb', 'en']"
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.production", "ALLOWED_HOSTS": "x.no"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage(
        "check",
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "k" * 60},
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def production_deploy_check(**env: str) -> subprocess.CompletedProcess:
    return run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "mulighetsportalen.kommune.no",
            **env,
        },
    )


def test_production_passes_the_deployment_checklist():
    result = production_deploy_check(PORTAL_BASE_URL="https://mulighetsportalen.kommune.no")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_wants_the_public_https_address():
    missing = production_deploy_check()
    assert missing.returncode != 0
    assert "portal.E001" in missing.stderr and "PORTAL_BASE_URL is not set" in missing.stderr
    plain = production_deploy_check(PORTAL_BASE_URL="http://mulighetsportalen.kommune.no")
    assert plain.returncode != 0
    assert "portal.E002" in plain.stderr


def test_one_base_url_drives_wagtails_admin_links_too():
    assert (
        print_setting(
            "portal.settings.dev",
            "settings.WAGTAILADMIN_BASE_URL",
            PORTAL_BASE_URL="https://ideer.kommune.example.no/",
        )
        == "https://ideer.kommune.example.no"
    )


def production_env(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "mulighetsportalen.kommune.no,testserver",
        **extra,
    }


def test_production_serves_compressed_static_files_with_hashed_names(tmp_path):
    backend = print_setting(
        "portal.settings.production",
        "settings.STORAGES['staticfiles']['BACKEND']",
        **{k: v for k, v in production_env().items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"

    # The manifest storage refuses to finish when a stylesheet's url() points at a file
    # that does not exist, so this also proves every url() in our CSS and in the npm
    # Designsystemet CSS resolves.
    env = production_env(STATIC_ROOT=str(tmp_path))
    result = run_manage("collectstatic", "--noinput", "-v", "0", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list((tmp_path / "portal" / "css").glob("portal.*.css.gz"))

    # What a browser gets: the base stylesheet under its hashed name, gzipped, cached
    # for a year.
    probe = (
        "from django.test import Client; from django.templatetags.static import static; "
        "r = Client().get(static('portal/css/portal.css'), secure=True, "
        "HTTP_ACCEPT_ENCODING='gzip'); "
        "print(r.status_code, r.headers.get('Content-Encoding'), r.headers['Cache-Control'])"
    )
    result = run_manage("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    status, encoding, cache_control = result.stdout.strip().splitlines()[-1].split(" ", 2)
    assert (status, encoding) == ("200", "gzip")
    assert "immutable" in cache_control and "max-age=315360000" in cache_control


def default_cache(module: str, **env: str) -> tuple[str, str]:
    backend = print_setting(module, "settings.CACHES['default']['BACKEND']", **env)
    location = print_setting(module, "settings.CACHES['default']['LOCATION']", **env)
    return backend, location


PRODUCTION_ENV = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "ideer.example.no"}
REDIS = "django.core.cache.backends.redis.RedisCache"


def test_a_redis_url_shares_the_cache_between_hosts():
    """Several app servers: CACHE_URL (or CACHE_LOCATION) names a Redis server, and
    every host's default cache is Django's RedisCache there."""
    url = "redis://cache.example.no:6379/1"
    assert default_cache("portal.settings.production", CACHE_URL=url, **PRODUCTION_ENV) == (
        REDIS,
        url,
    )
    assert default_cache("portal.settings.dev", CACHE_LOCATION=url) == (REDIS, url)
    replicas = "redis://primary.example.no:6379,redis://replica.example.no:6379"
    assert default_cache("portal.settings.production", CACHE_URL=replicas, **PRODUCTION_ENV) == (
        REDIS,
        replicas,
    )


def test_one_production_host_shares_its_cache_through_files_unless_told_otherwise():
    backend, _location = default_cache("portal.settings.production", **PRODUCTION_ENV)
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    assert default_cache(
        "portal.settings.production",
        CACHE_BACKEND="django.core.cache.backends.memcached.PyMemcacheCache",
        CACHE_LOCATION="127.0.0.1:11211",
        **PRODUCTION_ENV,
    ) == ("django.core.cache.backends.memcached.PyMemcacheCache", "127.0.0.1:11211")
