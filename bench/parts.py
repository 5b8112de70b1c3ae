"""Where an uncached article page spends its time, measured in-process on a seeded archive.

    python -m bench.parts [--database-url postgres://...] [--redis-url redis://...]

Run `bench.run` first with the same database: it seeds the archive. Each part is timed
over many calls after a warm-up, with the page cache off, and printed in milliseconds and
as a multiple of the constant page served through the same middleware. The last two lines
are a floor: what any page built with a Django template and one ORM query pays.
"""

import argparse
import io
import os
import time

from bench.run import add_archive_arguments, configure, measured_article


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_archive_arguments(parser)
    parser.add_argument("--calls", type=int, default=500, help="calls timed per part")
    return parser.parse_args()


def mean_milliseconds(call, calls):
    for _ in range(10):
        call()
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls * 1000


def wsgi_get(application, path):
    """`path` through Django's whole request handling, as gunicorn would call it."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8098",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
    }

    def start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")

    return b"".join(application(environ, start_response))


def article_relations(article):
    """The byline and topics as `Article.load_page_parts()` finds them when not remembered."""
    return list(article.bylines.select_related("author")), list(article.topics.all())


def main():
    args = parse_args()
    os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"
    configure(args)
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.template import engines
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.utils import translation

    from articles.models import Article
    from articles.views import ArticleDetailView

    translation.activate("en")
    shown = measured_article()
    if shown is None:
        raise SystemExit("The archive is too small: seed it with `python -m bench.run` first.")
    path = shown.get_absolute_url()
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = "en"
    view = ArticleDetailView()
    view.setup(request, slug=shown.slug)
    article = view.get_object()
    view.object = article
    context = view.get_context_data(object=article)
    article_template = get_template(view.template_name)
    empty_page = engines["django"].from_string('{% extends "base.html" %}')
    application = WSGIHandler()

    def first_view():
        # What a crawler of the archive gets: the article's parts not remembered yet.
        cache.delete(f"page-parts:{article.pk}:en")
        return wsgi_get(application, path)

    parts = [
        ("constant 30 KB page, whole request", lambda: wsgi_get(application, "/ceiling/")),
        ("article page, whole request", lambda: wsgi_get(application, path)),
        ("of which: the article and its section", view.get_object),
        (
            "of which: byline, topics, previous / next, More on this topic (remembered)",
            article.load_page_parts,
        ),
        ("of which: the template", lambda: article_template.render(context, request)),
        ("article page, its parts not remembered yet", first_view),
        ("of which: byline and topics, found", lambda: article_relations(article)),
        ("of which: previous and next in its section, found", article.section_neighbours),
        ('of which: "More on this topic", found', article.more_on_this_topic),
        ("floor: base.html with an empty content block", lambda: empty_page.render({}, request)),
        (
            "floor: one live article by its address",
            lambda: Article.objects.live().get(slug_en=shown.slug),
        ),
    ]
    print(f"\n{Article.objects.count()} articles on {connection.vendor}, page {path}\n")
    print("| part | ms | x constant page |")
    print("| --- | ---: | ---: |")
    constant = None
    for label, call in parts:
        elapsed = mean_milliseconds(call, args.calls)
        constant = constant or elapsed
        print(f"| {label} | {elapsed:.2f} | {elapsed / constant:.1f} |")


if __name__ == "__main__":
    main()
