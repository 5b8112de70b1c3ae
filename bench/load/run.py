"""The busiest day: mixed readers, an editor and scheduled publications against gunicorn.

    python -m bench.load.run [--duration 60] [--users 16] [--articles 2000]

Seeds an archive (bench/seed.py) in PostgreSQL, serves it with gunicorn and Redis as the
cache, and runs locust headless for a bounded time: readers (80% articles, 10% search
with junk queries, 5% feeds and sitemaps, 5% listings), one editor saving articles in the
admin, articles scheduled to go live during the run and, where the command exists,
`publish_scheduled` every few seconds. Afterwards it checks that no request got a 5xx and
that every save the editor was told succeeded is in the database and on the public page,
prints throughput and latency percentiles, and exits non-zero on any failure.
Loopback only; run by hand, not in CI.
"""

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from bench.run import ROOT, Gunicorn, configure, prepare_archive

RESULTS = ROOT / "bench" / "results" / "load"
SCHEDULED = 5
PUBLISH_EVERY = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="archive size to seed")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/newsroom_load",
        help="PostgreSQL database to seed and serve (created if missing)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--users", type=int, default=16, help="concurrent readers")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--reseed", action="store_true", help="seed even if the size matches")
    return parser.parse_args()


def create_database(url):
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def make_plan(args):
    """The URLs readers visit, the editor's account and articles, and the scheduled ones."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone, translation

    from articles.models import Article, Section
    from authors.models import Author

    plan = {"articles": [], "feeds": [], "listings": []}
    for code in ("en", "fr", "ru"):
        with translation.override(code):
            live = list(Article.objects.live(code).order_by("?")[:300])
            plan["articles"] += [article.get_absolute_url() for article in live]
            plan["feeds"] += [reverse("articles:rss"), reverse("articles:atom")]
            plan["listings"] += [reverse("articles:home"), reverse("authors:list")]
            plan["listings"] += [section.get_absolute_url() for section in Section.objects.all()]
            plan["listings"] += [a.get_absolute_url() for a in Author.objects.all()[:10]]
    plan["feeds"] += ["/sitemap.xml", "/en/news-sitemap.xml", "/robots.txt"]

    password = secrets.token_urlsafe(24)
    editor, _created = get_user_model().objects.get_or_create(username="load-editor")
    editor.is_staff = editor.is_superuser = True
    editor.set_password(password)
    editor.save()
    plan["editor"] = {"username": editor.username, "password": password}
    live_en = Article.objects.live("en").order_by("-published_at")
    plan["edited"] = list(live_en.values_list("pk", flat=True)[:20])

    # Articles that go live while the load runs: visibility follows the clock.
    start = timezone.now()
    scheduled = list(live_en.exclude(pk__in=plan["edited"])[:SCHEDULED])
    plan["scheduled"] = []
    for number, article in enumerate(scheduled, start=1):
        article.published_at = start + timedelta(seconds=args.duration * number / (SCHEDULED + 2))
        article.save()
        plan["scheduled"].append(article.get_absolute_url("en"))
    return plan


def publish_scheduled_loop(stop):
    """Run `manage.py publish_scheduled` every few seconds, when the command exists."""
    from django.core.management import get_commands

    if "publish_scheduled" not in get_commands():
        print("  (publish_scheduled: no such command yet, not run)")
        return {"runs": 0, "failures": 0}
    counts = {"runs": 0, "failures": 0}

    def loop():
        while not stop.wait(PUBLISH_EVERY):
            result = subprocess.run(
                [sys.executable, "manage.py", "publish_scheduled"],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            counts["runs"] += 1
            counts["failures"] += result.returncode != 0

    threading.Thread(target=loop, daemon=True).start()
    return counts


def run_locust(args, server, plan_file):
    prefix = RESULTS / "locust"
    env = dict(
        os.environ,
        LOAD_PLAN=str(plan_file),
        LOAD_STATUSES=str(RESULTS / "statuses.json"),
        LOAD_SAVES=str(RESULTS / "saves.jsonl"),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--host",
            server.url(""),
            "--users",
            str(args.users + 1),
            "--spawn-rate",
            str(args.users + 1),
            "--run-time",
            f"{args.duration}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=(RESULTS / "locust.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def lost_writes(server):
    """Saves the editor was told succeeded but that the database or the site lost."""
    from articles.models import Article

    last = {}
    saves = RESULTS / "saves.jsonl"
    for line in saves.read_text(encoding="utf-8").splitlines() if saves.exists() else []:
        save = json.loads(line)
        last[save["id"]] = save["title"]
    lost = []
    for article in Article.objects.filter(pk__in=last):
        if article.title_en != last[article.pk]:
            lost.append(f"#{article.pk}: database has {article.title_en!r}")
            continue
        page = urllib.request.urlopen(server.url(article.get_absolute_url("en"))).read()
        if last[article.pk].encode() not in page:
            lost.append(f"#{article.pk}: the public page still shows an older title")
    return sum(1 for _ in saves.open()) if saves.exists() else 0, lost


def unpublished_schedules(server, plan):
    missing = []
    for path in plan["scheduled"]:
        try:
            urllib.request.urlopen(server.url(path))
        except OSError:
            missing.append(path)
    return missing


def report(rows, statuses, saves, lost, missing, publish_runs, args):
    print(f"\n{args.users} readers + 1 editor, {args.duration} s, gunicorn {args.workers} workers")
    print("\n| requests | count | req/s | p50 ms | p95 ms | p99 ms | max ms | failures |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        cells = [
            f"{row['Type']} {row['Name']}",
            row["Request Count"],
            f"{float(row['Requests/s']):.1f}",
            row["50%"],
            row["95%"],
            row["99%"],
            f"{float(row['Max Response Time']):.0f}",
            row["Failure Count"],
        ]
        print("| " + " | ".join(cells) + " |")
    server_errors = sum(count for status, count in statuses.items() if status.startswith("5"))
    print(f"\nStatuses: {dict(sorted(statuses.items()))}")
    print(f"Editor saves acknowledged: {saves}; lost: {len(lost)}")
    for problem in lost:
        print(f"  LOST {problem}")
    print(f"Scheduled articles live after their time: {SCHEDULED - len(missing)}/{SCHEDULED}")
    print(f"publish_scheduled runs: {publish_runs['runs']} ({publish_runs['failures']} failed)")
    failed = server_errors or lost or missing or publish_runs["failures"] or not saves
    print(
        "\nRESULT: " + ("FAIL" if failed else f"OK, zero 5xx in {sum(statuses.values())} requests")
    )
    return 1 if failed else 0


def main():
    args = parse_args()
    create_database(args.database_url)
    configure(args)
    # Production settings, but plain HTTP on loopback.
    os.environ.update(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0")
    prepare_archive(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for stale in RESULTS.iterdir():
        stale.unlink()
    plan = make_plan(args)
    plan_file = RESULTS / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    stop = threading.Event()
    with Gunicorn(args, cache_seconds=3600) as server:
        publish_runs = publish_scheduled_loop(stop)
        rows = run_locust(args, server, plan_file)
        stop.set()
        time.sleep(1)
        statuses = json.loads((RESULTS / "statuses.json").read_text(encoding="utf-8"))
        saves, lost = lost_writes(server)
        missing = unpublished_schedules(server, plan)
    sys.exit(report(rows, statuses, saves, lost, missing, publish_runs, args))


if __name__ == "__main__":
    main()
