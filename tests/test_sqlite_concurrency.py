"""The embedded default, SQLite, takes a scheduler, an import and readers at once.

Each test runs real `manage.py` processes against one SQLite file, as cron, an editor's
import and the application server's workers would: processes, not threads, so that each
has its own connection and its own lock waits.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="concerns the embedded SQLite database",
)

ROOT = Path(settings.BASE_DIR)

SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from articles.models import ArticleEvent
from articles.services import record_event
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

section, author = SectionFactory(), AuthorFactory()
now = timezone.now()
for number in range({count}):
    # Spread over {spread} seconds from now: due while the test's other work runs.
    released_in_ru = now + timedelta(seconds=number * {spread} / {count})
    article = ArticleFactory(
        section=section,
        authors=[author],
        translated=True,
        published_at=now - timedelta(hours=1),
        release_at_ru=released_in_ru,
    )
    # As an editor scheduling it, or an import of a scheduled article, records it.
    record_event(
        article, by=None, action=ArticleEvent.Action.SCHEDULED,
        published_at=article.published_at,
    )
"""

# Reads pages in a loop until the stop file appears, then prints what it saw.
READER = """
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from django.test import Client

stop, urls = Path(sys.argv[1]), sys.argv[2:]
client = Client(raise_request_exception=False)
statuses, slowest, reads = {}, 0.0, 0
while not stop.exists():
    for url in urls:
        started = time.monotonic()
        status = client.get(url).status_code
        slowest = max(slowest, time.monotonic() - started)
        statuses[status] = statuses.get(status, 0) + 1
        reads += 1
        time.sleep(0.05)  # a reader's pace, leaving the machine to the import
print(json.dumps({"statuses": statuses, "slowest": slowest, "reads": reads}))
"""


def environment(database):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return env | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "test",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "MEDIA_ROOT": str(database.parent / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


class Site:
    """A migrated SQLite file of its own and the means to run commands on it."""

    def __init__(self, database):
        self.database = database
        self.env = environment(database)

    def command(self, *args):
        return [sys.executable, "manage.py", *args]

    def run(self, *args):
        return subprocess.run(
            self.command(*args), cwd=ROOT, env=self.env, capture_output=True, text=True
        )

    def start(self, argv, **env):
        return subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env | env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def shell(self, code):
        done = self.run("shell", "--no-imports", "-c", code)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def query(self, expression):
        """The value of a Python expression evaluated in the site, as JSON."""
        return json.loads(self.shell(f"import json\n{expression}\nprint(json.dumps(result))"))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    done = Site(database).run("migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    return database


@pytest.fixture
def site(migrated, tmp_path):
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated, database)
    return Site(database)


def publish_scheduled_together(site, runs):
    processes = [site.start(site.command("publish_scheduled")) for _ in range(runs)]
    return [(process.wait(), *process.communicate()) for process in processes]


def went_live(site):
    return site.query(
        "from articles.models import ArticleEvent\n"
        "result = list(ArticleEvent.objects.filter(action='went_live')"
        ".values_list('article_id', 'language'))"
    )


@pytest.mark.parametrize("runs", [2, 10])
def test_overlapping_publish_scheduled_runs_publish_everything_once(site, runs):
    site.shell(SCHEDULE.format(count=40, spread=0))
    outcomes = publish_scheduled_together(site, runs)
    errors = [stderr for returncode, _out, stderr in outcomes if returncode or stderr]
    assert errors == []
    published = sum(int(out.split(" published")[0].split()[-1]) for _rc, out, _err in outcomes)
    assert published == 80  # 40 articles, then their Russian versions
    recorded = went_live(site)
    assert len(recorded) == 80
    assert len({tuple(item) for item in recorded}) == 80


def newsroom_file(path, count):
    """A Newsroom JSON export of `count` articles, as an editor would import."""
    articles = [
        {
            "key": f"article/{number}",
            "status": "published",
            "published_at": "2025-01-01T08:00:00+00:00",
            "original_language": "en",
            "section": "section/news",
            "authors": ["author/desk"],
            "translations": {
                "en": {
                    "title": f"Imported story {number}",
                    "body": "<p>An imported paragraph of some length.</p>" * 400,
                    "ready": True,
                },
                "fr": {"title": f"Article {number}", "body": "<p>Corps.</p>", "ready": True},
            },
        }
        for number in range(count)
    ]
    path.write_text(
        json.dumps(
            {
                "format": "newsroom-articles",
                "version": 1,
                "authors": [{"key": "author/desk", "name": {"en": "News desk"}}],
                "sections": [{"key": "section/news", "name": {"en": "News", "fr": "Actualité"}}],
                "topics": [],
                "articles": articles,
            }
        )
    )
    return path


def test_readers_are_served_throughout_an_import_while_the_scheduler_runs(site, tmp_path):
    """The import writes for seconds in one transaction; readers never wait for it, and
    the scheduler's runs (back to back, with items falling due throughout) wait their turn
    (the import must write within the 20 s a writer waits: see README, When things fail)."""
    site.shell(SCHEDULE.format(count=20, spread=20))
    last_due = site.query(
        "from articles.models import Article\n"
        "result = max(Article.objects.values_list('release_at_ru', flat=True)).timestamp()"
    )
    urls = site.query(
        "from articles.models import Article\n"
        "article = Article.objects.order_by('pk').first()\n"
        "result = ['/en/', article.get_absolute_url('en'), article.section.get_absolute_url(),"
        " '/fr/']"
    )
    stop = tmp_path / "stop"
    readers = [
        # One reader's every page is rendered from the database; the other's come from the
        # page cache, checked against the change marks in the database.
        site.start([sys.executable, "-c", READER, str(stop), *urls], **cache_setting)
        for cache_setting in [{"NEWSROOM_PAGE_CACHE_SECONDS": "0"}, {}]
    ]
    source = newsroom_file(tmp_path / "articles.json", 300)
    started = time.monotonic()
    importing = site.start(site.command("import_articles", str(source)))
    scheduler_runs = []
    while importing.poll() is None:
        scheduler_runs.append(site.run("publish_scheduled"))
    import_seconds = time.monotonic() - started
    time.sleep(max(0, last_due - time.time()))
    scheduler_runs.append(site.run("publish_scheduled"))
    stop.touch()
    seen = [json.loads(reader.communicate()[0]) for reader in readers]
    print(
        f"import: {import_seconds:.0f} s, readers: {seen}, scheduler runs: {len(scheduler_runs)}"
    )
    assert importing.returncode == 0, importing.communicate()[1]
    assert [run.stderr for run in scheduler_runs if run.returncode or run.stderr] == []
    assert all(set(reader["statuses"]) == {"200"} for reader in seen), seen
    # Without WAL, readers waited 3 to 5 s for the import's lock (when not refused).
    assert max(reader["slowest"] for reader in seen) < 2, seen
    assert len(went_live(site)) == 40
    imported = site.query(
        "from articles.models import Article\n"
        "result = Article.objects.filter(title_en__startswith='Imported story').count()"
    )
    assert imported == 300
