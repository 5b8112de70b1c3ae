"""Seed an archive, serve it with gunicorn, load each page with wrk, print the figures.

    python -m bench.run --articles 100000 [--database-url postgres://...]

Every rate is a ratio to a constant 30 KB page served by the same gunicorn, in the same
run: "cold" with the page cache off, "cached" with it on. Searches, never cached, are also
timed one request at a time. See bench/README.md.
"""

import argparse
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# A link shared on a social network: wrk adds a new click id to each request
# (bench/shared_link.lua).
SHARED_LINK = "?utm_source=social&fbclid="


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="archive size to seed")
    add_archive_arguments(parser)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--reseed", action="store_true", help="seed even if the size matches")
    return parser.parse_args()


def add_archive_arguments(parser):
    """The database and cache a run uses: what `configure()` reads."""
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}",
        help="the archive's database (default: bench/bench.sqlite3)",
    )
    parser.add_argument("--redis-url", default="", help="use Redis as the cache")


def configure(args):
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key")
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def prepare_archive(args):
    from django.core.management import call_command

    from articles.models import Article
    from bench.seed import seed

    call_command("migrate", verbosity=0)
    if args.reseed or Article.objects.count() != args.articles:
        started = time.monotonic()
        seed(args.articles, progress=lambda line: print(f"  seeding: {line}", end="\r"))
        print(f"\nSeeded {args.articles} articles in {time.monotonic() - started:.0f} s")
        from django.db import connection

        # Fresh statistics, as a live database would have; VACUUM lets PostgreSQL answer
        # counts from the indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def last_page(articles, limit=500):
    """The page number to measure deep in a list: page `limit`, or the last if shorter."""
    from django.conf import settings

    return max(1, min(limit, -(-articles.count() // settings.NEWSROOM_PAGE_SIZE)))


def measured_article():
    """The article page both `bench.run` and `bench.parts` measure: the eleventh newest
    live article in the active language, or None in an archive too small."""
    from articles.models import Article

    return Article.objects.live().order_by("-published_at")[10:11].first()


def pages():
    """(label, path) of each measured page, in English."""
    from django.db.models import Max
    from django.urls import reverse
    from django.utils import translation

    from articles.models import Article, Section, Topic
    from articles.sitemaps import ArticleSitemap
    from authors.models import Author

    with translation.override("en"):
        article = measured_article()
        section = Section.objects.first()
        topic = Topic.objects.filter(parent=None).first()
        author = Author.objects.with_live_articles().first()
        section_deep = last_page(Article.objects.live().filter(section=section))
        author_deep = last_page(Article.objects.live().filter(authors=author))
        newest_id = Article.objects.live_in_any_language().aggregate(Max("pk"))["pk__max"]
        sitemap_deep = -(-newest_id // ArticleSitemap().articles_per_page)
        return [
            ("ceiling (constant 30 KB)", "/ceiling/"),
            ("article", article.get_absolute_url()),
            ("article, shared link", article.get_absolute_url() + SHARED_LINK),
            ("home", reverse("articles:home")),
            ("section, page 1", section.get_absolute_url()),
            (f"section, page {section_deep}", f"{section.get_absolute_url()}?page={section_deep}"),
            ("topic (with subtopics)", topic.get_absolute_url()),
            ("author, page 1", author.get_absolute_url()),
            (f"author, page {author_deep}", f"{author.get_absolute_url()}?page={author_deep}"),
            ("contributors", reverse("authors:list")),
            ("search", reverse("articles:search") + "?q=energy+market"),
            ("feed (RSS)", reverse("articles:rss")),
            ("sitemap index", reverse("sitemap-index")),
            (
                f"articles sitemap, page {sitemap_deep}",
                reverse("sitemap", kwargs={"section": "articles"}) + f"?p={sitemap_deep}",
            ),
            ("news sitemap", reverse("articles:news-sitemap")),
        ]


def count_queries(paths):
    """SQL queries per page, uncached, counted in-process (each page's second view: the
    first also reads the site notice into the cache, as the first view of any page does)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = {}
    client = Client()
    with override_settings(NEWSROOM_PAGE_CACHE_SECONDS=0):
        for path in paths:
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            counts[path] = len(queries)
    return counts


def measure_admin_list():
    """Queries and milliseconds of the admin's article list, in-process: the first load
    (which counts the archive) and the next (which remembers the count)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    admin, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(admin)
    figures = []
    for _load in ("first", "next"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/admin/articles/article/")
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"the admin's article list answered {response.status_code}")
        counts = sum("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
        figures.append((len(queries), counts, elapsed))
    return figures


# What readers search for, from the seed's vocabulary (bench/seed.py): words found in most
# articles, alone and together, a word that only a few titles cut short contain, and words
# found nowhere.
SEARCHES = [
    ("en", "energy"),
    ("en", "energy market"),
    ("en", "quietly sharply again"),
    ("en", "zebra"),
    ("fr", "énergie"),
    ("fr", "marché région"),
    ("fr", "raff"),
    ("ru", "энергия"),
    ("ru", "рынок регион"),
    ("ru", "носорог"),
]
SEARCH_REQUESTS = 20


def search_paths():
    """(language, words, results, path) of each search in SEARCHES; results are counted
    in-process, and capped as the search page caps them."""
    from django.urls import reverse
    from django.utils import translation

    from articles.search import search_articles

    paths = []
    for language, words in SEARCHES:
        with translation.override(language):
            path = f"{reverse('articles:search')}?{urlencode({'q': words})}"
        paths.append((language, words, search_articles(words, language).count(), path))
    return paths


def search_latencies(server, paths):
    """Milliseconds of SEARCH_REQUESTS requests per search, one request at a time."""
    latencies = {}
    for _language, _words, _results, path in paths:
        urllib.request.urlopen(server.url(path), timeout=120).read()
        times = []
        for _request in range(SEARCH_REQUESTS):
            started = time.perf_counter()
            urllib.request.urlopen(server.url(path), timeout=120).read()
            times.append((time.perf_counter() - started) * 1000)
        latencies[path] = times
    return latencies


def percentile(values, share):
    """The nearest-rank percentile: the smallest value at or above `share` of them."""
    ordered = sorted(values)
    return ordered[math.ceil(share * len(ordered)) - 1]


class Gunicorn:
    def __init__(self, args, cache_seconds, cwd=ROOT):
        self.args = args
        self.env = dict(os.environ, NEWSROOM_PAGE_CACHE_SECONDS=str(cache_seconds))
        # The code served: this checkout, or a copy of another commit (bench.peer).
        self.cwd = cwd

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(self.args.workers),
                "--bind",
                f"127.0.0.1:{self.args.port}",
                "--log-level",
                "warning",
                "newsroom.wsgi:application",
            ],
            cwd=self.cwd,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/ceiling/"), timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise SystemExit("gunicorn did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.args.port}{path}"

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * UNITS[unit]


def load(args, url):
    """Requests per second, p50 and p99 latency (ms) from one bounded wrk run."""
    shared = url.endswith(SHARED_LINK)
    # Warm up: the first request renders (and, when cached, stores) the page.
    for click in range(3):
        urllib.request.urlopen(url + (f"warm-up-{click}" if shared else ""), timeout=120).read()
    output = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(args.connections),
            "--duration",
            f"{args.duration}s",
            "--timeout",
            "10s",
            "--latency",
            # As browsers and crawlers do: cached pages are kept compressed.
            "--header",
            "Accept-Encoding: gzip",
            *(["--script", str(ROOT / "bench" / "shared_link.lua")] if shared else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1))
    return rate, p50, p99


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    configure(args)
    prepare_archive(args)
    from django.core.cache import cache

    # Every run starts cold: Redis keeps what an earlier run remembered (pages, counts).
    cache.clear()
    measured = pages()
    queries = count_queries([path for _label, path in measured[1:]])
    admin_list = measure_admin_list()
    searches = search_paths()
    from django.db import connection

    print(
        f"\n{args.articles} articles on {connection.vendor}, cache "
        f"{'Redis' if args.redis_url else 'local memory'}, gunicorn {args.workers} sync "
        f"workers, wrk 1 thread {args.connections} connections {args.duration} s per page\n"
    )
    results = {}
    for mode, cache_seconds in [("cold", 0), ("cached", 3600)]:
        with Gunicorn(args, cache_seconds) as server:
            for label, path in measured:
                results[mode, label] = load(args, server.url(path))
                print(f"  {mode:6} {label:28} {results[mode, label][0]:8.0f} req/s", flush=True)
            if mode == "cold":
                # Search pages are never cached: cold is what readers get.
                latencies = search_latencies(server, searches)
    print_table(measured, results, queries)
    print_search_table(searches, latencies)
    print("\n| admin article list | queries | of which counts | ms (in-process) |")
    print("| --- | ---: | ---: | ---: |")
    for visit, (total, counts, elapsed) in zip(
        ("first load", "next load"), admin_list, strict=True
    ):
        print(f"| {visit} | {total} | {counts} | {elapsed:.0f} |")


def print_table(measured, results, queries):
    print(
        "\n| page | queries | cold req/s | cold ratio | cold p50 / p99 ms "
        "| cached req/s | cached ratio | cached p50 / p99 ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, path in measured:
        row = [label, str(queries.get(path, 0))]
        for mode in ("cold", "cached"):
            rate, p50, p99 = results[mode, label]
            ceiling = results[mode, measured[0][0]][0]
            row += [f"{rate:.0f}", f"{rate / ceiling:.2f}", f"{p50:.2f} / {p99:.2f}"]
        print("| " + " | ".join(row) + " |")
    print("\nEach ratio is to the ceiling page served by the same gunicorn in the same run.")


def print_search_table(searches, latencies):
    from articles.search import MAX_RESULTS

    print(f"\n| search, {SEARCH_REQUESTS} requests one at a time | results | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for language, words, results, path in searches:
        times = latencies[path]
        shown = f"more than {MAX_RESULTS}" if results > MAX_RESULTS else str(results)
        print(
            f"| {language}: {words} | {shown} | {percentile(times, 0.5):.1f} "
            f"| {percentile(times, 0.95):.1f} |"
        )
    every = [elapsed for times in latencies.values() for elapsed in times]
    print(f"| all searches | | {percentile(every, 0.5):.1f} | {percentile(every, 0.95):.1f} |")


if __name__ == "__main__":
    main()
