"""What a page says about when its text was written and changed: derived descriptions,
the modification time of each language version (page metadata, feeds, sitemaps) and the
times of day readers see."""

import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from articles.metadata import summary
from articles.models import Article
from newsroom.languages import open_graph_locale
from tests.factories import ArticleFactory
from tests.reading.pages import LANGUAGES
from tests.reading.test_metadata import head
from tests.reading.test_sitemaps import article_sitemap_url

pytestmark = pytest.mark.django_db
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

PUBLISHED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LONG_BODY = (
    "<p>Grain insurers <em>raised</em> their premiums again this week. Ships now wait "
    "for cover before leaving port, and traders say the delays cost more than the "
    "premiums themselves.</p><h2>Ports</h2><p>Odesa &amp; Izmail are busiest.</p>"
)


# Descriptions


def test_a_summary_is_the_plain_text_of_the_first_whole_sentences():
    assert summary(LONG_BODY) == "Grain insurers raised their premiums again this week."
    assert summary("<p>One.</p><p>Two &amp; three.</p>") == "One. Two & three."


def test_a_summary_cuts_an_overlong_first_sentence_at_a_word():
    text = summary("<p>" + "word " * 60 + "</p>")
    assert len(text) <= 160 and text.endswith("word…")


def test_an_article_without_standfirst_is_described_by_its_body_everywhere(client):
    article = ArticleFactory(standfirst_en="", body_en=LONG_BODY)
    page = head(client, article.get_absolute_url("en"))
    expected = "Grain insurers raised their premiums again this week."
    assert page.meta["description"] == [expected]
    assert page.meta["og:description"] == [expected]
    assert page.meta["twitter:description"] == [expected]
    assert page.json_ld[0]["description"] == expected


def test_opengraph_names_only_the_released_versions_with_their_country(client):
    article = ArticleFactory(translated=True, ready_fr=False)
    page = head(client, article.get_absolute_url("ru"))
    assert page.meta["og:locale"] == ["ru_RU"]
    released_elsewhere = [code for code in LANGUAGES if code not in ("fr", "ru")]
    assert page.meta["og:locale:alternate"] == [open_graph_locale(c) for c in released_elsewhere]
    assert "en_GB" in page.meta["og:locale:alternate"]
    home = head(client, "/fr/")
    assert home.meta["og:locale"] == ["fr_FR"]
    others = [open_graph_locale(code) for code in LANGUAGES if code != "fr"]
    assert home.meta["og:locale:alternate"] == others


# Modification times


def modification_times(client, article, language):
    """When each reader-facing format says the `language` version last changed."""
    page = head(client, article.get_absolute_url(language))
    with translation.override(language):
        feed = feedparser.parse(client.get(reverse("articles:atom")).content)
    (entry,) = [e for e in feed.entries if e.link.endswith(article.get_absolute_url(language))]
    sitemap = ET.fromstring(client.get(article_sitemap_url(article)).content)
    lastmod = {
        node.findtext("s:loc", namespaces=SITEMAP): node.findtext("s:lastmod", namespaces=SITEMAP)
        for node in sitemap.findall("s:url", SITEMAP)
    }
    return {
        "json-ld": datetime.fromisoformat(page.json_ld[0]["dateModified"]),
        "opengraph": datetime.fromisoformat(page.meta["article:modified_time"][0]),
        "atom": datetime.fromisoformat(entry.updated),
        "sitemap": lastmod["http://testserver" + article.get_absolute_url(language)],
    }


def assert_modified(client, article, language, moment):
    times = modification_times(client, article, language)
    assert times.pop("sitemap") == moment.date().isoformat()
    assert set(times.values()) == {moment}, times


def published_article():
    with time_machine.travel(PUBLISHED, tick=False):
        return ArticleFactory(translated=True, published_at=PUBLISHED)


def test_a_new_article_was_last_modified_when_it_went_live(client):
    article = published_article()
    for language in ["en", "fr", "ru"]:
        assert_modified(client, article, language, PUBLISHED)


def test_saves_that_change_no_text_of_a_language_leave_its_time_alone(client):
    article = published_article()
    with time_machine.travel(PUBLISHED + timedelta(days=3), tick=False):
        article = Article.objects.get(pk=article.pk)
        article.seo_title_en = "Another SEO title"
        article.save()
    with time_machine.travel(PUBLISHED + timedelta(days=5), tick=False):
        article = Article.objects.get(pk=article.pk)
        article.body_fr = "<p>Corps corrigé.</p>"
        article.save()
    assert article.updated_at == PUBLISHED + timedelta(days=5)
    assert_modified(client, article, "en", PUBLISHED)
    assert_modified(client, article, "ru", PUBLISHED)
    assert_modified(client, article, "fr", PUBLISHED + timedelta(days=5))


def test_writing_a_version_before_its_release_is_no_update_of_it(client):
    with time_machine.travel(PUBLISHED, tick=False):
        article = ArticleFactory(published_at=PUBLISHED)
    later = PUBLISHED + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        article = Article.objects.get(pk=article.pk)
        article.title_fr, article.body_fr, article.ready_fr = "Titre", "<p>Corps.</p>", True
        article.release_at_fr = later
        article.save()
    with time_machine.travel(later + timedelta(hours=1), tick=False):
        assert_modified(client, article, "fr", later)


def test_an_import_is_no_change_of_the_text(client):
    article = published_article()
    out = io.StringIO()
    call_command("export_articles", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    data["articles"][0]["translations"]["fr"]["title"] = "Titre importé"
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as file:
        json.dump(data, file)
        file.flush()
        with time_machine.travel(PUBLISHED + timedelta(days=9), tick=False):
            call_command("import_articles", file.name, stdout=io.StringIO())
    article.refresh_from_db()
    assert article.title_fr == "Titre importé"
    assert_modified(client, article, "fr", PUBLISHED)


# Times of day


def byline_text(client, url):
    html = client.get(url).content.decode()
    return strip_tags(re.search(r'<p class="byline">.*?</p>', html, re.S)[0])


def test_the_article_shows_its_time_of_day_and_a_later_update(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = published_article()
    with time_machine.travel(datetime(2026, 3, 4, 16, 5, tzinfo=UTC), tick=False):
        article = Article.objects.get(pk=article.pk)
        article.body_ru = "<p>Исправленный текст.</p>"
        article.save()
    html = client.get(article.get_absolute_url("en")).content.decode()
    assert '<time datetime="2026-03-02T10:30:00+0100">2 March 2026, 10:30 CET</time>' in html
    assert "Updated" not in byline_text(client, article.get_absolute_url("en"))
    assert "2 mars 2026 à 10:30 CET" in byline_text(client, article.get_absolute_url("fr"))
    russian = byline_text(client, article.get_absolute_url("ru"))
    assert "2 марта 2026 г., 10:30 CET Обновлено 4 марта 2026 г., 17:05 CET" in russian


def test_teasers_show_the_time_of_day_too(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    published_article()
    html = client.get("/en/").content.decode()
    assert "2 March 2026, 10:30 CET" in html
    assert timezone.get_current_timezone_name() == "Europe/Paris"
