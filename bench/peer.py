"""Newsroom's uncached pages against a Wagtail peer, in one run of the peer's harness.

    python -m bench.peer --peer ../peer-bench [--postgres-url postgres://...] [--before DIR]

Seeds an archive of 2,000 articles on SQLite (and on PostgreSQL with `--postgres-url`),
starts Newsroom's gunicorn on each with the page cache off
(`NEWSROOM_PAGE_CACHE_SECONDS=0`: every request renders its page), and runs the peer's
`run.sh` with its Wagtail sites, its constant Django view and nginx, and each Newsroom page
as a `--target`. `--before DIR` also serves a copy of an earlier commit (`git archive`)
on the same archives, so that before and after are measured side by side. See
bench/README.md.
"""

import argparse
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

from bench.run import ROOT, Gunicorn, configure, measured_article, prepare_archive

ARTICLES = 2000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer", type=Path, required=True, help="the peer harness's folder")
    parser.add_argument("--postgres-url", default="", help="also measure on this database")
    parser.add_argument("--before", type=Path, help="a copy of an earlier commit to measure too")
    parser.add_argument("--port", type=int, default=8090, help="first of the ports used")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--peer-args", default="", help="more arguments for run.sh")
    return parser.parse_args()


def measured_pages():
    """(name, path) of the pages compared: an article, home, a section, a topic, an author."""
    from django.urls import reverse
    from django.utils import translation

    from articles.models import Section, Topic
    from authors.models import Author

    with translation.override("en"):
        return [
            ("article", measured_article().get_absolute_url()),
            ("home", reverse("articles:home")),
            ("section", Section.objects.first().get_absolute_url()),
            ("topic", Topic.objects.filter(parent=None).first().get_absolute_url()),
            ("author", Author.objects.with_live_articles().first().get_absolute_url()),
        ]


def prepare(database_url):
    """Seeds the archive if needed; prints its pages as JSON."""
    configure(argparse.Namespace(database_url=database_url, redis_url=""))
    prepare_archive(argparse.Namespace(articles=ARTICLES, reseed=False))
    print(json.dumps(measured_pages()))


# Run by the code measured, which may be an earlier commit's: `bench.run` has long had these.
COUNT_QUERIES = """
import argparse, json, sys
from bench.run import configure, count_queries
configure(argparse.Namespace(database_url=sys.argv[1], redis_url=""))
print(json.dumps(count_queries(json.loads(sys.argv[2]))))
"""


def last_line_json(command, cwd):
    output = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    if sys.argv[1:2] == ["prepare"]:
        prepare(sys.argv[2])
        return
    args = parse_args()
    archives = {"sqlite": f"sqlite:///{ROOT / 'bench' / 'peer.sqlite3'}"}
    if args.postgres_url:
        archives["pg"] = args.postgres_url
    codes = {"": ROOT}
    if args.before:
        codes["before-"] = args.before.resolve()
    command = [
        str(args.peer / "run.sh"),
        *(["wagtail-sqlite"] if "sqlite" in archives else []),
        *(["wagtail-pg"] if "pg" in archives else []),
        "baseline",
        "nginx",
        "--configs",
        f"sync:{args.workers}",
        "--duration",
        str(args.duration),
        *args.peer_args.split(),
    ]
    port = args.port
    with ExitStack() as servers:
        for database, url in archives.items():
            pages = last_line_json([sys.executable, "-m", "bench.peer", "prepare", url], ROOT)
            paths = json.dumps([path for _page, path in pages])
            for prefix, code in codes.items():
                queries = last_line_json([sys.executable, "-c", COUNT_QUERIES, url, paths], code)
                os.environ["DATABASE_URL"] = url
                server = servers.enter_context(
                    Gunicorn(argparse.Namespace(workers=args.workers, port=port), 0, cwd=code)
                )
                port += 1
                for page, path in pages:
                    name = f"{prefix}newsroom-{database}-{page}"
                    command += [
                        "--target",
                        f"{name}={server.url(path)}",
                        "--pid",
                        f"{name}={server.process.pid}",
                        "--queries",
                        f"{name}={queries[path]}",
                    ]
        print(" ".join(command), flush=True)
        subprocess.run(command, check=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    main()
