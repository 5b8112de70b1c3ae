"""The language switcher and the hreflang alternates lead to the same page in each
language, on every kind of page, as a reader clicking and a crawler following them would
find them."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from tests.reading.pages import LANGUAGES, load_demo, reading_pages

pytestmark = pytest.mark.django_db
HOST = "http://testserver"

# Pages that exist in every language whatever is published: their switcher never
# shows a language as unavailable.
EVERY_LANGUAGE = {"home", "section", "topic", "contributors", "archive", "search", "404", "500"}


class LanguageParser(HTMLParser):
    """The page's language, its switcher's links and disabled entries, its alternates."""

    def __init__(self):
        super().__init__()
        self.lang, self.alternates, self.switcher, self.unavailable = None, {}, {}, set()
        self.current = None
        self._in_switcher = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and "language-switcher" in classes:
            self._in_switcher = True
        elif self._in_switcher and tag == "a":
            self.switcher[attrs["hreflang"]] = attrs["href"]
        elif self._in_switcher and tag == "span" and "is-unavailable" in classes:
            self.unavailable.add(attrs["lang"])
        elif self._in_switcher and tag == "span" and "is-current" in classes:
            self.current = attrs["lang"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def query_of(url):
    return parse_qsl(urlsplit(url).query)


def address(url):
    """A URL as a server reads it, whichever characters were percent-encoded."""
    parts = urlsplit(url)
    return (parts.path, sorted(query_of(url)))


class Crawler:
    def __init__(self):
        self.client = Client(raise_request_exception=False)
        self.seen = {}

    def get(self, url, status=200):
        path = url.removeprefix(HOST)
        if path not in self.seen:
            response = self.client.get(path)
            parser = LanguageParser()
            parser.feed(response.content.decode())
            self.seen[path] = (response.status_code, parser)
        found_status, parser = self.seen[path]
        assert found_status == status, f"{path} answered {found_status}"
        return parser


def pages_to_crawl(language):
    return {
        **reading_pages(language),
        "404": f"/{language}/no-such-page/",
        "500": f"/{language}/failing/",
    }


@pytest.mark.urls("tests.error_urls")
def test_every_switcher_link_and_alternate_leads_to_that_language_version():
    load_demo()
    crawler = Crawler()
    for language in LANGUAGES:
        for kind, path in pages_to_crawl(language).items():
            status = int(kind) if kind.isdigit() else 200
            page = crawler.get(path, status)
            where = f"{kind} page {path}"
            assert page.lang == language, where
            assert page.current == language, where
            others = set(LANGUAGES) - {language}
            assert set(page.switcher) | page.unavailable == others, where
            if kind in EVERY_LANGUAGE:
                assert not page.unavailable, where

            for code, url in page.switcher.items():
                assert url != path, f"{where}: the {code} link leads back to the page"
                target = crawler.get(url)
                assert target.lang == code, f"{where}: the {code} link {url}"
                if kind == "search":
                    assert query_of(url) == query_of(path), where
                else:
                    assert not urlsplit(url).query, where

            if kind.isdigit():
                # An error page is no version of anything: it names no alternates.
                assert not page.alternates, where
                continue
            assert all(url.startswith(HOST) for url in page.alternates.values()), where
            expected = {code: address(url) for code, url in page.switcher.items()}
            expected[language] = address(path)
            named = {code: address(url) for code, url in page.alternates.items()}
            assert named.pop("x-default") in expected.values(), where
            assert named == expected, where
            for code, url in page.alternates.items():
                target = crawler.get(url)
                if code != "x-default":
                    assert target.lang == code, f"{where}: alternate {code} {url}"
                # Reciprocal: each version names the same set of versions.
                assert target.alternates == page.alternates, f"{where}: alternate {url}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_switcher_keeps_the_words_and_filters_but_not_the_page(client, language):
    load_demo()
    response = client.get(f"/{language}/search/", {"q": "grain", "since": "2020-01-01", "page": 1})
    page = LanguageParser()
    page.feed(response.content.decode())
    for code, url in page.switcher.items():
        assert url.startswith(f"/{code}/search/?"), url
        query = urlsplit(url).query
        assert "since=2020-01-01" in query and "q=" in query and "page" not in query
