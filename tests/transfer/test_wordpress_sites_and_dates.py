"""Blogs of one multisite stay apart; an article is dated as its WordPress post was."""

import json
import re
from datetime import UTC, datetime

import feedparser
import pytest

from articles.models import Article
from tests.reading.test_sitemaps import article_sitemap_url
from tests.transfer.conftest import run_import
from tests.transfer.wxr import export, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://one.example.com", "https://two.example.com"),  # subdomains
        ("https://example.com/one", "https://example.com/two"),  # subdirectories
    ],
)
def test_two_blogs_of_one_multisite_do_not_overwrite_each_other(write_wxr, first, second):
    network = "https://example.com"
    run_import(
        write_wxr(export(post(1, "First blog"), link=first, base_site_url=network), "a.xml")
    )
    run_import(
        write_wxr(export(post(1, "Second blog"), link=second, base_site_url=network), "b.xml")
    )
    assert sorted(Article.objects.values_list("title_en", flat=True)) == [
        "First blog",
        "Second blog",
    ]


MODIFIED = datetime(2023, 6, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def dated(write_wxr):
    text = export(
        post(1, "Dated", slug="dated", date="2023-05-01 10:00:00", modified="2023-06-02 12:00:00")
    )
    run_import(write_wxr(text))
    return Article.objects.get(slug_en="dated")


def test_the_last_modification_is_the_posts_not_the_imports(dated):
    assert dated.updated_at == MODIFIED


def test_pages_feeds_and_sitemaps_give_the_posts_modification_time(client, dated):
    page = client.get("/en/articles/dated/").content.decode()
    [json_ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(json_ld)["dateModified"] == "2023-06-02T12:00:00+00:00"
    feed = feedparser.parse(client.get("/en/atom/").content)
    assert feed.entries[0].updated == "2023-06-02T12:00:00+00:00"
    sitemap = client.get(article_sitemap_url(dated)).content.decode()
    assert "<lastmod>2023-06-02</lastmod>" in sitemap or "2023-06-02T12:00:00" in sitemap
