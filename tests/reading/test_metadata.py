"""Page metadata: canonical, hreflang, OpenGraph, Twitter and JSON-LD (schema.org)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import ArticleFactory, AuthorFactory, TopicFactory
from tests.reading.pages import LANGUAGES

pytestmark = pytest.mark.django_db
HOST = "http://testserver"


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(
                attrs["content"]
            )
        elif tag == "link":
            self.links.append(attrs)
        self._in_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))
            self._in_ld = False


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def alternates(parser):
    return {link["hreflang"]: link["href"] for link in parser.links if link.get("hreflang")}


def test_article_has_canonical_hreflang_of_released_translations_and_social_tags(client):
    article = ArticleFactory(translated=True, ready_ru=False, seo_description_fr="Résumé SEO")
    page = head(client, article.get_absolute_url("fr"))
    en, fr = (HOST + article.get_absolute_url(code) for code in ["en", "fr"])
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == [fr]
    assert alternates(page) == {"en": en, "fr": fr, "x-default": en}
    assert page.meta["description"] == ["Résumé SEO"]
    assert page.meta["og:type"] == ["article"]
    assert page.meta["og:title"] == [article.title_fr]
    assert page.meta["og:url"] == [fr]
    assert page.meta["og:locale"] == ["fr_FR"]
    assert page.meta["og:locale:alternate"] == ["en_GB"]
    assert page.meta["twitter:card"] == ["summary"]
    assert page.meta["article:section"] == [article.section.name_fr]


def test_article_json_ld_is_a_news_article_with_its_people(client):
    writer = AuthorFactory(name_ru="Нина Петрова")
    topic = TopicFactory(name_ru="Энергетика")
    article = ArticleFactory(translated=True, authors=[writer], topics=[topic])
    (data,) = head(client, article.get_absolute_url("ru")).json_ld
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title_ru
    assert data["description"] == "Лид по-русски."
    assert data["inLanguage"] == "ru"
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["dateModified"] >= data["datePublished"]
    assert data["keywords"] == ["Энергетика"]
    with translation.override("ru"):
        author_url = HOST + writer.get_absolute_url()
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Нина Петрова",
            "url": author_url,
            "jobTitle": "Correspondent",
            "description": writer.short_bio_ru,
        }
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Meridian Review",
        "url": f"{HOST}/ru/",
    }


def test_json_ld_cannot_close_its_script_element(client):
    article = ArticleFactory(title_en="</script><script>alert(1)</script> & co")
    html = client.get(article.get_absolute_url("en")).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in script and "&" not in script
    assert json.loads(script)["headline"] == "</script><script>alert(1)</script> & co"


def test_author_page_carries_a_person_and_listings_a_collection_page(client):
    article = ArticleFactory(translated=True)
    writer = article.byline[0]
    (profile,) = head(client, writer.get_absolute_url()).json_ld
    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"]["@type"] == "Person"
    assert profile["mainEntity"]["name"] == writer.name
    for url in [
        reverse("articles:home"),
        article.section.get_absolute_url(),
        reverse("authors:list"),
        reverse("articles:archive-year", kwargs={"year": article.published_at.year}),
    ]:
        page = head(client, url)
        (data,) = page.json_ld
        assert data["@type"] == "CollectionPage", url
        assert data["url"] == HOST + url
        assert set(alternates(page)) == {*LANGUAGES, "x-default"}, url


def test_list_pages_are_their_own_canonical(client, settings):
    article = ArticleFactory()
    ArticleFactory.create_batch(settings.NEWSROOM_PAGE_SIZE, section=article.section)
    url = article.section.get_absolute_url()
    page = head(client, url + "?page=2")
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == [f"{HOST}{url}?page=2"]
