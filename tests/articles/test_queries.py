"""Every public page renders in a constant number of SQL queries.

The bound is written in each test and holds whatever the number of authors, topics,
related articles and list items.
"""

import pytest
from django.urls import reverse

from newsroom.context_processors import navigation
from newsroom.notices.shown import shown_notice
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory
from tests.reading.test_sitemaps import article_sitemap_url

pytestmark = pytest.mark.django_db

# Each count includes the one query for the next scheduled change, which bounds how long
# the page cache may keep the page. The site notice and the footer's site pages (base.html)
# are kept in the cache and cost none on a normal page view.
MAX_QUERIES = {
    "home": 7,
    "article": 8,
    "section": 6,
    "topic": 8,
    "author": 7,
    "contributors": 3,
    "archive": 3,
    "year": 8,
    "month": 8,
    "rss": 6,
    "sitemap-index": 3,
    "sitemap-articles": 2,
    "news-sitemap": 2,
}

PAGE_BUDGET = 8


def test_no_public_page_may_need_more_than_the_budget():
    assert max(MAX_QUERIES.values()) <= PAGE_BUDGET


def build_archive(size):
    """`size` articles, each with `size` authors and topics and as many curated links.

    The site notice, the sections and the footer's pages are looked up once, as by any
    earlier page view.
    """
    shown_notice()
    section = SectionFactory()
    topics = TopicFactory.create_batch(size)
    authors = AuthorFactory.create_batch(size)
    articles = [
        ArticleFactory(translated=True, section=section, topics=topics, authors=authors)
        for _ in range(size)
    ]
    article = ArticleFactory(
        translated=True, section=section, topics=topics, authors=authors, related=articles
    )
    navigation()
    return {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "section": section.get_absolute_url(),
        "topic": topics[0].get_absolute_url(),
        "author": authors[0].get_absolute_url(),
        "contributors": reverse("authors:list"),
        "archive": reverse("articles:archive"),
        "year": reverse("articles:archive-year", kwargs={"year": article.published_at.year}),
        "month": reverse(
            "articles:archive-month",
            kwargs={"year": article.published_at.year, "month": f"{article.published_at:%m}"},
        ),
        "rss": reverse("articles:rss"),
        "sitemap-index": reverse("sitemap-index"),
        "sitemap-articles": article_sitemap_url(article),
        "news-sitemap": reverse("articles:news-sitemap"),
    }


@pytest.mark.parametrize("page", list(MAX_QUERIES))
@pytest.mark.parametrize("size", [1, 8])
def test_public_page_query_count_is_constant(client, django_assert_max_num_queries, page, size):
    urls = build_archive(size)
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(urls[page])
    assert response.status_code == 200
