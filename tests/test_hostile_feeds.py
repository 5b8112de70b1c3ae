"""Every feed, read by a real feed parser, gives readers plain text as text and only
sanitized HTML, whatever editors, authors and translators typed.

feedparser is told not to sanitize, so that it hands over what a reader that does not
sanitize would render.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Section
from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from authors.models import Author
from newsroom.languages import site_languages
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Markup a careless reader would run, quotes, a bare ampersand, right-to-left marks and
# emoji. Entity-like text ("&amp;") is in the texts readers always take for HTML, not in
# titles: RSS leaves readers to guess whether a title is HTML, and no escaping reads the
# same both ways for it (see FullTextRssFeed).
MARKUP = "<img src=x onerror=alert(1)></b><script>alert(2)</script><a href=javascript:alert(3)>a"
PLAIN = "\"q\" 'q' Q&A \u200f🗞️👩🏽‍💻"
HOSTILE = f"{MARKUP} {PLAIN}"
HOSTILE_WITH_ENTITIES = f"{HOSTILE} &amp; &lt;b&gt;"
HOSTILE_BODY = (
    f"<p>{HOSTILE}</p><script>alert(4)</script><img src=x onerror=alert(5)>"
    '<p><a href="javascript:alert(6)" onclick="alert(7)">link</a> <b style="x">b</b></p>'
    "<iframe src=//evil.example></iframe><svg><script>alert(8)</script></svg>"
)
# nh3 adds rel to every link.
READER_ATTRIBUTES = {"a": ALLOWED_ATTRIBUTES["a"] | {"rel"}}


class MarkupInventory(HTMLParser):
    """The elements and attributes of an HTML fragment, and the text it shows."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data


def assert_only_allowed_markup(html, where):
    for tag, attrs in MarkupInventory(html).elements:
        assert tag in ALLOWED_TAGS, (where, tag)
        assert set(attrs) <= READER_ATTRIBUTES.get(tag, set()), (where, tag, attrs)
        if "href" in attrs:
            scheme = urlsplit(attrs["href"]).scheme
            assert not scheme or scheme in ALLOWED_URL_SCHEMES, (where, attrs["href"])


def read(detail, where):
    """The text a reader shows for a feedparser `*_detail`, checking any HTML in it."""
    if detail.type == "text/plain":
        return detail.value
    assert detail.type in {"text/html", "application/xhtml+xml"}, (where, detail.type)
    assert_only_allowed_markup(detail.value, where)
    return MarkupInventory(detail.value).text


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content, sanitize_html=False, resolve_relative_uris=False)
    assert not feed.bozo, (url, feed.bozo_exception)
    return feed


def hostile(label):
    return f"{label} {HOSTILE}"


@pytest.fixture
def hostile_site():
    section = SectionFactory(
        **{f"name_{code}": hostile(f"S {code}")[:80] for code in LANGUAGES},
        **{f"description_{code}": f"Section {code} {HOSTILE_WITH_ENTITIES}" for code in LANGUAGES},
    )
    topic = TopicFactory(
        **{f"name_{code}": hostile(f"T {code}")[:80] for code in LANGUAGES},
        **{f"description_{code}": f"Topic {code} {HOSTILE_WITH_ENTITIES}" for code in LANGUAGES},
    )
    author = AuthorFactory(
        **{f"name_{code}": hostile(f"A {code}")[:120] for code in LANGUAGES},
        **{f"role_{code}": hostile("Role") for code in LANGUAGES},
        **{f"short_bio_{code}": f"Bio {code} {HOSTILE_WITH_ENTITIES}" for code in LANGUAGES},
        **{f"long_bio_{code}": HOSTILE_BODY for code in LANGUAGES},
    )
    texts = {}
    for code in LANGUAGES:
        texts |= {
            f"title_{code}": hostile(f"Title {code}"),
            f"standfirst_{code}": f"Standfirst {code} {HOSTILE_WITH_ENTITIES}",
            f"body_{code}": HOSTILE_BODY,
            f"image_caption_{code}": hostile("Caption"),
            f"ready_{code}": True,
        }
    article = ArticleFactory(section=section, topics=[topic], authors=[author], **texts)
    return {"article": article, "section": section, "topic": topic, "author": author}


def every_feed(site):
    """(url, channel title, channel description) of every feed in every language."""
    section, topic, author = site["section"], site["topic"], site["author"]
    for code in LANGUAGES:
        with translation.override(code):
            site_description = translation.gettext(
                "Independent analysis in %(site_languages)s."
            ) % {"site_languages": site_languages()}
            named = f" — {settings.NEWSROOM_SITE_NAME}"
            scopes = [
                ("articles:", {}, settings.NEWSROOM_SITE_NAME, site_description),
                ("articles:section-", {"slug": section.slug_in()}, section.name + named,
                 section.description),
                ("articles:topic-", {"slug": topic.slug_in()}, topic.name + named,
                 topic.description),
                ("authors:", {"slug": author.slug}, author.name + named, author.short_bio),
            ]  # fmt: skip
            for prefix, kwargs, title, description in scopes:
                for kind in ["rss", "atom"]:
                    yield code, reverse(prefix + kind, kwargs=kwargs), title, description


def test_every_feed_gives_plain_text_as_text_and_only_sanitized_html(client, hostile_site):
    article, section, topic = (hostile_site[key] for key in ("article", "section", "topic"))
    feeds = list(every_feed(hostile_site))
    assert len(feeds) == 4 * 2 * len(LANGUAGES)
    for code, url, title, description in feeds:
        feed = parsed(client, url)
        assert read(feed.feed.title_detail, url) == title
        assert read(feed.feed.subtitle_detail, url) == description
        (entry,) = feed.entries
        with translation.override(code):
            assert read(entry.title_detail, url) == article.title
            assert read(entry.summary_detail, url) == article.standfirst
            assert entry.author == hostile_site["author"].name
            assert [tag.term for tag in entry.tags] == [section.name, topic.name]
        (content,) = entry.content
        assert content.type == "text/html"
        assert_only_allowed_markup(content.value, url)
        assert PLAIN in MarkupInventory(content.value).text


@pytest.mark.parametrize("language", LANGUAGES)
def test_atom_says_the_summary_and_subtitle_are_text(client, hostile_site, language):
    section = hostile_site["section"]
    with translation.override(language):
        url = reverse("articles:section-atom", kwargs={"slug": section.slug_in()})
    feed = parsed(client, url)
    assert feed.feed.subtitle_detail.type == "text/plain"
    assert feed.entries[0].title_detail.type == "text/plain"
    assert feed.entries[0].summary_detail.type == "text/plain"


@pytest.mark.parametrize("language", LANGUAGES)
def test_rss_descriptions_read_as_the_plain_text_typed(client, hostile_site, language):
    """RSS readers take <description> for HTML: it holds escaped text, not markup."""
    with translation.override(language):
        url = reverse("articles:section-rss", kwargs={"slug": hostile_site["section"].slug_in()})
    feed = parsed(client, url)
    entry = feed.entries[0]
    assert entry.summary_detail.type == "text/html"
    assert MarkupInventory(entry.summary_detail.value).elements == []
    assert MarkupInventory(feed.feed.subtitle_detail.value).elements == []


def test_html_written_around_the_model_is_sanitized_on_the_way_out(client, hostile_site):
    """A body or bio stored by `QuerySet.update()` or SQL skips the model's sanitizer."""
    article = hostile_site["article"]
    Article.objects.filter(pk=article.pk).update(
        **{f"body_{code}": HOSTILE_BODY for code in LANGUAGES},
        **{f"standfirst_{code}": HOSTILE_BODY for code in LANGUAGES},
    )
    Section.objects.update(description_en=HOSTILE_BODY)
    Author.objects.update(short_bio_en=HOSTILE_BODY)
    assert "<script>" in Article.objects.get(pk=article.pk).body_en
    for _code, url, _title, _description in every_feed(hostile_site):
        feed = parsed(client, url)
        read(feed.feed.subtitle_detail, url)
        assert_only_allowed_markup(feed.entries[0].content[0].value, url)
        read(feed.entries[0].summary_detail, url)


def test_a_stored_body_the_sanitizer_would_refuse_reaches_readers_as_text(client, hostile_site):
    """Nested too deep for the sanitizer, written around the model: the feed still answers."""
    article = hostile_site["article"]
    deep = "<blockquote>" * 200 + "Deep <script>alert(1)</script> text"
    Article.objects.filter(pk=article.pk).update(body_en=deep)
    feed = parsed(client, reverse("articles:rss"))
    content = feed.entries[0].content[0].value
    assert_only_allowed_markup(content, "rss")
    assert "Deep" in content and "<blockquote>" not in content
