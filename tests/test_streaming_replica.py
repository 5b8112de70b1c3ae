"""A real PostgreSQL primary and streaming replica (initdb, pg_basebackup -R) on loopback.

The site runs in a separate process configured with DATABASE_URL and DATABASE_REPLICA_URL,
as on a server. The replica is made to lag for real (`pg_wal_replay_pause()`): a reader's
page must still show what the primary committed once the page cache was told of it, and
the replica is read again once it has caught up. Skips, with the reason, without the
PostgreSQL server programs or the `postgres` system user.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench import postgres

ROOT = Path(__file__).resolve().parent.parent
PRIMARY_PORT, REPLICA_PORT = 5450, 5451


@pytest.fixture(scope="module")
def clusters():
    if reason := postgres.missing():
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="newsroom-replication-"))
    try:
        with postgres.StreamingPair(folder, PRIMARY_PORT, REPLICA_PORT) as pair:
            yield pair.primary_url, pair.replica_url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


SCENARIO = """
import json, time
import django
django.setup()
from django.db import connections
from django.test import Client
from articles.models import Article
from tests.factories import ArticleFactory

def on_replica(sql):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()

def replica_has(pk, title):
    for _ in range(100):
        if Article.objects.using("replica").filter(pk=pk, title_en=title).exists():
            return True
        time.sleep(0.1)
    return False

def replica_queries(client, url):
    replica = connections["replica"]
    replica.force_debug_cursor = True
    replica.queries_log.clear()
    page = client.get(url).content.decode()
    replica.force_debug_cursor = False
    return page, [query["sql"] for query in replica.queries_log]

article = ArticleFactory(title_en="Before the correction")
url = article.get_absolute_url("en")
result = {"replica_had_it": replica_has(article.pk, "Before the correction")}
on_replica("SELECT pg_wal_replay_pause()")
article.title_en = "After the correction"
article.save()
time.sleep(0.5)
result["replica_lagging"] = Article.objects.using("replica").get(pk=article.pk).title_en
reader = Client()
page, result["queries_on_lagging_replica"] = replica_queries(reader, url)
result["reader_saw_while_lagging"] = "After the correction" in page
on_replica("SELECT pg_wal_replay_resume()")
result["replica_caught_up"] = replica_has(article.pk, "After the correction")
section = article.section.get_absolute_url()
page, result["queries_on_caught_up_replica"] = replica_queries(reader, section)
print(json.dumps(result))
"""


# Run once, in the PostgreSQL pass of CI: it starts clusters of its own either way.
@pytest.mark.postgres
def test_a_lagging_replica_never_shows_a_reader_what_the_primary_changed(clusters):
    primary, replica = clusters
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URL": replica,
    }
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT,
                             env=environ, capture_output=True, text=True)  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    run = subprocess.run([sys.executable, "-c", SCENARIO], cwd=ROOT, env=environ,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["replica_had_it"]
    assert result["replica_lagging"] == "Before the correction"  # the lag is real
    assert result["reader_saw_while_lagging"]
    # The replica was only asked how far it had replayed.
    assert all("pg_last_wal_replay_lsn" in sql for sql in result["queries_on_lagging_replica"])
    assert result["replica_caught_up"]
    assert len(result["queries_on_caught_up_replica"]) > 1
