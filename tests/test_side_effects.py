"""What follows a change to an article does not depend on which modules happen to be
imported: the receivers are connected by the app itself (`articles.changes`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(arguments, database):
    """Runs Python in a fresh interpreter with the site's settings minus the admin."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "tests.without_admin.settings",
        "DJANGO_SECRET_KEY": "test",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(database.parent / "media"),
    }
    result = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_search_index_and_the_page_cache_follow_a_save_without_the_admin(tmp_path):
    database = tmp_path / "db.sqlite3"
    # Migrations import modules of their own: they run in another interpreter.
    run(["manage.py", "migrate", "--verbosity", "0"], database)
    followed = json.loads(run(["-m", "tests.without_admin.follow_a_save"], database))
    assert followed.pop("admin_loaded") == []
    assert followed == {
        "indexed_on_create": ["Pipelines and promises"],
        "reindexed_on_save": ["Gas through the Black Sea."],
        "home_showed_article": True,
        "home_cached": True,
        "home_stale_after_save": True,
        "home_shows_new_title": True,
    }
