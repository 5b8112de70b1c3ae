"""Settings come from the environment and fail loudly when production values are missing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'])"
)
PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'])"
)


def load_settings(**environ):
    """Import the settings module in a fresh interpreter with exactly `environ` set."""
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


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


def test_malformed_social_links_are_refused():
    result = load_settings(DJANGO_DEBUG="1", NEWSROOM_SOCIAL_LINKS="Mastodon:nowhere")
    assert result.returncode != 0
    assert "NEWSROOM_SOCIAL_LINKS" in result.stderr
