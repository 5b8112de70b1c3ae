"""Random and malicious input on every public URL pattern, query parameter and language prefix.

The answer is always 200, 301, 302, 400 or 404: never a 500, never a redirect off the site.
The URL patterns are read from the URLconf, so a new public page is fuzzed without a change
here.
"""

import os
import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

ALLOWED_STATUSES = {200, 301, 302, 400, 404}
NOT_PUBLIC = ("admin:", "health-")

fuzz = hypothesis_settings(
    max_examples=25,
    deadline=None,
    # Random in development, repeatable in CI.
    derandomize=bool(os.environ.get("CI")),
    # The site's data is created once per test and only read by the examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MALICIOUS = [
    "",
    "'",
    '"><script>alert(1)</script>',
    "%00",
    "\x00",
    "../../etc/passwd",
    "//attacker.example",
    "\\\\attacker.example",
    "1 OR 1=1",
    "1'; DROP TABLE articles_article; --",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "\u202egnp.exe",
    "🗞️" * 50,
    "а" * 2000,
]
hostile_text = st.one_of(st.sampled_from(MALICIOUS), st.text(max_size=60))
junk_languages = st.sampled_from(["", "de", "EN", "en-us", "ru-RU", "zz", "xx-yy", "fr_FR"])
QUERY_NAMES = ["page", "q", "year", "month", "section", "topic", "author", "lang", "next"]
query_strings = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=10)), hostile_text, max_size=4
).map(urlencode)


def public_routes():
    """(name, [pattern, ...]) for every public URL pattern, in URLconf order."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, [*prefix, pattern.pattern], inner)
            elif pattern.name:
                yield f"{namespace}{pattern.name}", [*prefix, pattern.pattern]

    return [
        (name, parts)
        for name, parts in walk(get_resolver().url_patterns, [], "")
        if not name.startswith(NOT_PUBLIC)
    ]


def path_strategy(parts, slugs):
    """Paths shaped like the pattern: real, plausible and hostile values in each slot."""
    pieces = []
    for pattern in parts:
        if isinstance(pattern, LocalePrefixPattern):
            languages = st.sampled_from([code for code, _name in settings.LANGUAGES])
            pieces.append(st.one_of(languages, languages, junk_languages).map(lambda c: f"{c}/"))
        elif isinstance(pattern, RegexPattern):
            regex = str(pattern)
            pieces.append(
                st.one_of(
                    st.from_regex(regex, fullmatch=True),
                    st.from_regex(regex.replace("[0-9]", "[0-9\\x00%]"), fullmatch=True),
                )
            )
        else:
            assert isinstance(pattern, RoutePattern)
            pieces.append(route_strategy(str(pattern), slugs))
    return st.tuples(*pieces).map(lambda values: "/" + "".join(values))


def route_strategy(route, slugs):
    values = st.one_of(
        st.sampled_from(slugs),
        st.from_regex(r"[-a-zA-Z0-9_]+", fullmatch=True),
        hostile_text.map(lambda text: quote(text, safe="")),
    )
    literal_parts = re.split(r"<[^>]+>", route)
    strategies = [st.just(literal_parts[0])]
    for literal in literal_parts[1:]:
        strategies += [values, st.just(literal)]
    return st.tuples(*strategies).map("".join)


def assert_safe_answer(response, url):
    event(f"status {response.status_code}")  # see --hypothesis-show-statistics
    assert response.status_code in ALLOWED_STATUSES, url
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"])
        assert location.netloc in ("", "testserver"), (url, response["Location"])
        assert not response["Location"].startswith(("//", "/\\")), (url, response["Location"])


@pytest.fixture
def site():
    """A small live site (and a draft): its real pages and slugs are what the fuzzer starts
    from."""
    topic = TopicFactory(name_en="Black Sea")
    author = AuthorFactory(name_en="Nina Ardent")
    section = SectionFactory(name_en="Energy")
    article = ArticleFactory(translated=True, section=section, topics=[topic], authors=[author])
    ArticleFactory(status="draft", title_en="Unpublished draft")
    pages = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages += [
                reverse("articles:home"),
                article.get_absolute_url(),
                section.get_absolute_url(),
                topic.get_absolute_url(),
                author.get_absolute_url(),
                reverse("authors:list"),
                reverse("articles:rss"),
                reverse("articles:archive-year", args=[article.published_at.year]),
            ]
    slugs = [
        getattr(obj, f"slug_{code}")
        for obj in (article, section, topic)
        for code, _name in settings.LANGUAGES
    ]
    return {"pages": pages, "slugs": [*slugs, author.slug]}


@pytest.fixture
def reader():
    return Client(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.mark.parametrize(("name", "parts"), public_routes(), ids=[n for n, _p in public_routes()])
@fuzz
@given(data=st.data())
def test_no_input_on_a_public_url_pattern_causes_a_500_or_an_offsite_redirect(
    name, parts, site, reader, data
):
    path = data.draw(path_strategy(parts, site["slugs"]), label="path")
    query = data.draw(query_strings, label="query")
    url = f"{path}?{query}" if query else path
    assert_safe_answer(reader.get(url), url)


@hypothesis_settings(fuzz, max_examples=100)
@given(data=st.data())
def test_no_query_string_on_a_real_page_causes_a_500_or_an_offsite_redirect(site, reader, data):
    path = data.draw(st.sampled_from(site["pages"]), label="page")
    query = data.draw(query_strings.filter(bool), label="query")
    assert_safe_answer(reader.get(f"{path}?{query}"), f"{path}?{query}")


@fuzz
@given(language=st.one_of(st.sampled_from(["en", "fr", "ru"]), junk_languages), tail=hostile_text)
@example(language="", tail="/attacker.example")
@example(language="en", tail="/\\attacker.example")
@example(language="", tail="\\attacker.example/")
@example(language="en", tail="%2F%2Fattacker.example")
def test_no_path_at_all_causes_a_500_or_an_offsite_redirect(language, tail, reader, db):
    url = f"/{language}/{quote(tail, safe='/%')}" if language else f"/{quote(tail, safe='/%')}"
    assert_safe_answer(reader.get(url), url)


@pytest.mark.parametrize("url", ["/sitemap-%00.xml", "/en/nowhere%00/", "/fr/authors/x%00y/rss/"])
def test_a_nul_byte_in_an_address_is_a_404_not_a_database_error(reader, url):
    """PostgreSQL refuses NUL bytes in text: found by the fuzzer in the old-address lookup."""
    assert reader.get(url).status_code == 404
