"""Every public page renders correctly when names, titles and bios are full of hostile text.

HTML, quotes, `</script>`, right-to-left marks and emoji are escaped in the HTML, the meta
tags and the JSON-LD, and read back exactly as the editor typed them (the feeds: see
test_hostile_feeds.py).
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory
from tests.reading.test_metadata import HeadParser

pytestmark = pytest.mark.django_db

# Short enough for an 80-character section name once labelled.
HOSTILE = (
    "</script><img src=x onerror=alert(1)>\"q\" 'q' & <b>b</b> \u202eevil\u202c \u200f🗞️👩🏽‍💻"
)
INJECTED = ["<script>alert(", "<img src=x", "<b>b</b>"]


def hostile(label):
    return f"{label} {HOSTILE}"


class PageParser(HeadParser):
    """The head's metadata, every script element, the text of <title> and <h1>, and all the
    text a reader sees."""

    def __init__(self):
        super().__init__()
        self.scripts, self.text, self._capturing = [], {"title": "", "h1": ""}, None
        self.page_text = ""

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag in self.text:
            self._capturing = tag

    def handle_endtag(self, tag):
        if tag == self._capturing:
            self._capturing = None

    def handle_data(self, data):
        super().handle_data(data)
        self.page_text += data
        if self._capturing:
            self.text[self._capturing] += data


@pytest.fixture
def hostile_site():
    topic = TopicFactory(**{f"name_{code}": hostile("Topic") for code, _ in settings.LANGUAGES})
    section = SectionFactory(
        **{f"name_{code}": hostile("Section") for code, _ in settings.LANGUAGES}
    )
    author = AuthorFactory(
        name_en=hostile("Author"),
        name_ru=hostile("Автор"),
        role_en=hostile("Role"),
        short_bio_en=hostile("Bio"),
        short_bio_fr=hostile("Bio"),
        short_bio_ru=hostile("Био"),
        long_bio_en=f"<p>{HOSTILE}</p>",
    )
    texts = {}
    for code, _name in settings.LANGUAGES:
        texts |= {
            f"title_{code}": hostile(f"Title {code}"),
            f"standfirst_{code}": hostile("Standfirst"),
            f"body_{code}": f"<p>{HOSTILE}</p><script>alert(3)</script>",
            f"image_alt_{code}": hostile("Alt"),
            f"ready_{code}": True,
        }
    article = ArticleFactory(section=section, topics=[topic], authors=[author], **texts)
    return {"article": article, "section": section, "topic": topic, "author": author}


def pages(site, code):
    article, section, topic, author = (
        site[key] for key in ("article", "section", "topic", "author")
    )
    with translation.override(code):
        return {
            reverse("articles:home"): section.name,
            article.get_absolute_url(): article.title,
            section.get_absolute_url(): section.name,
            topic.get_absolute_url(): topic.name,
            author.get_absolute_url(): author.name,
            reverse("authors:list"): author.name,
            reverse("articles:archive-year", args=[article.published_at.year]): article.title,
        }


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_hostile_text_is_escaped_on_every_html_page(client, hostile_site, code):
    for url, expected_text in pages(hostile_site, code).items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for injected in INJECTED:
            assert injected not in html, (url, injected)
        parser = PageParser()
        parser.feed(html)
        assert all(s.get("type") == "application/ld+json" for s in parser.scripts), url
        assert parser.json_ld, url
        assert expected_text in parser.page_text, url


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_hostile_text_reads_back_exactly_in_title_h1_meta_tags_and_json_ld(
    client, hostile_site, code
):
    article = hostile_site["article"]
    parser = PageParser()
    parser.feed(client.get(article.get_absolute_url(code)).content.decode())
    title = article.title_in(code)
    assert parser.text["h1"] == title
    assert parser.text["title"].startswith(title)
    assert parser.meta["og:title"] == [title]
    assert parser.meta["twitter:title"] == [title]
    (news_article,) = parser.json_ld
    assert news_article["headline"] == title
    assert news_article["articleSection"] == hostile_site["section"].name_en
    assert news_article["keywords"] == [hostile_site["topic"].name_en]
    assert news_article["author"][0]["name"] == (
        hostile_site["author"].name_ru if code == "ru" else hostile_site["author"].name_en
    )
