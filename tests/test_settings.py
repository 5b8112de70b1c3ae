"""Settings come from the environment and fail loudly when production values are missing."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'])"
)


def run_with_environ(arguments, **environ):
    """Run Python in a fresh interpreter with exactly `environ` set."""
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.update(environ)
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )


def load_settings(**environ):
    """Import the settings module in a fresh interpreter with exactly `environ` set."""
    return run_with_environ(["-c", PRINT_SETTINGS], **environ)


def setting_values(*names, **environ):
    """The repr of each named setting, in a fresh interpreter with exactly `environ` set."""
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    result = run_with_environ(["-c", code], **environ)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def test_missing_secret_key_without_debug_is_a_clear_startup_error():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_runs_with_the_embedded_sqlite_database_and_local_cache():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_database_and_redis_urls_select_postgresql_and_redis():
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://user@db.internal:5432/news",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
    ]


def test_a_cache_url_redis_cannot_serve_is_refused():
    result = load_settings(DJANGO_SECRET_KEY="x" * 50, REDIS_URL="memcached://cache:11211")
    assert result.returncode != 0
    assert "REDIS_URL must start with redis://" in result.stderr


def test_malformed_social_links_are_refused():
    result = load_settings(DJANGO_DEBUG="1", NEWSROOM_SOCIAL_LINKS="Mastodon:nowhere")
    assert result.returncode != 0
    assert "NEWSROOM_SOCIAL_LINKS" in result.stderr


def test_production_settings_pass_the_deployment_checklist_without_a_warning():
    result = run_with_environ(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_https_only():
    assert setting_values(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        **PRODUCTION,
    ) == ["True", "31536000", "True", "True", "None"]


def test_https_settings_are_configurable_for_a_deployment_behind_a_tls_proxy():
    assert setting_values(
        "SECURE_PROXY_SSL_HEADER",
        "TRUSTED_PROXY_COUNT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        **PRODUCTION,
        DJANGO_TRUSTED_PROXY_COUNT="1",
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_PRELOAD="0",
    ) == ["('HTTP_X_FORWARDED_PROTO', 'https')", "1", "600", "False"]


def test_development_runs_on_plain_http():
    assert setting_values(
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", DJANGO_DEBUG="1"
    ) == ["False", "0", "False"]


def test_a_replica_url_adds_the_replica_database_and_its_router():
    without, routers_without = setting_values(
        "DATABASES.keys()", "DATABASE_ROUTERS", DJANGO_DEBUG="1"
    )
    assert without == "dict_keys(['default'])" and routers_without == "[]"
    databases, host, routers = setting_values(
        "DATABASES.keys()",
        "DATABASES['replica']['HOST']",
        "DATABASE_ROUTERS",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://user@primary.internal:5432/news",
        DATABASE_REPLICA_URL="postgres://user@replica.internal:5432/news",
    )
    assert databases == "dict_keys(['default', 'replica'])"
    assert host == "'replica.internal'"
    assert routers == "['newsroom.replica.ReplicaRouter']"
