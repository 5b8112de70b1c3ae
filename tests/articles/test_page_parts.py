"""What an article's page remembers across requests (`Article.load_page_parts()`): its
byline, topics, previous / next and "More on this topic" are refreshed by every change
that changes them, and by no change that leaves its page cached.

A differential test: after each change, every article's remembered parts must equal the
parts found afresh from the database.
"""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic
from authors.models import Author
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr")


def shown(parts):
    """What a reader sees of the parts: names, titles, addresses, sections, dates."""
    byline, topics, (previous, following, more) = parts

    def entry(article):
        if article is None:
            return None
        section = article.section.name if "section" in article._state.fields_cache else None
        return (article.pk, article.title, article.get_absolute_url(), section)

    return (
        [(author.pk, author.name, author.short_bio) for author in byline],
        [(topic.pk, topic.name, topic.get_absolute_url()) for topic in topics],
        entry(previous),
        entry(following),
        [(*entry(article), article.published_at) for article in more],
    )


def remembered(article):
    links = article.load_page_parts()
    return shown((article.byline, article.shown_topics, links))


def found_afresh(pk):
    article = Article.objects.select_related("section").get(pk=pk)
    byline = [credit.author for credit in article.bylines.select_related("author")]
    topics = list(article.topics.all())
    previous, following = article.section_neighbours()
    return shown((byline, topics, (previous, following, article.more_on_this_topic())))


def live_ids(language):
    return list(Article.objects.live(language).values_list("pk", flat=True))


def live_article(pk):
    return Article.objects.live().select_related("section").get(pk=pk)


@pytest.fixture
def archive():
    now = timezone.now()
    politics, economy = SectionFactory(), SectionFactory()
    asia = TopicFactory()
    caucasus = TopicFactory(parent=asia)
    energy = TopicFactory()
    writer, other_writer = AuthorFactory(), AuthorFactory()
    articles = [
        ArticleFactory(
            translated=True,
            section=politics if number % 3 else economy,
            topics=[[asia], [caucasus, energy], [energy], []][number % 4],
            authors=[writer] if number % 2 else [writer, other_writer],
            published_at=now - timedelta(hours=number + 1),
        )
        for number in range(9)
    ]
    RelatedArticle.objects.create(source=articles[0], target=articles[5], position=0)
    return {
        "articles": articles,
        "sections": (politics, economy),
        "topics": (asia, caucasus, energy),
        "authors": (writer, other_writer),
    }


def retitle(article):
    article.title_en = article.title_fr = f"New title of {article.pk}"
    article.save()


def unpublish(article):
    article.status = Article.Status.DRAFT
    article.save()


def withhold_french(article):
    article.ready_fr = False
    article.save()


def move(article, section):
    article.section = section
    article.save()


def edit_body(article):
    article.body_en = "<p>A corrected body.</p>"
    article.save()


CHANGES = {
    "a neighbour's title": lambda a: retitle(a["articles"][4]),
    "a curated target's title": lambda a: retitle(a["articles"][5]),
    "an article unpublished": lambda a: unpublish(a["articles"][3]),
    "a curated target unpublished": lambda a: unpublish(a["articles"][5]),
    "a French version withheld": lambda a: withhold_french(a["articles"][2]),
    "an article moved to another section": lambda a: move(a["articles"][1], a["sections"][1]),
    "a new article in a section": lambda a: ArticleFactory(
        translated=True, section=a["sections"][0], topics=[a["topics"][2]]
    ),
    "an article's body": lambda a: edit_body(a["articles"][6]),
    "a topic added to an article": lambda a: a["articles"][3].topics.add(a["topics"][0]),
    "a topic removed from an article": lambda a: a["articles"][1].topics.remove(a["topics"][1]),
    "a topic renamed": lambda a: rename(Topic, a["topics"][2], "name_en", "Power"),
    "a section renamed": lambda a: rename(Section, a["sections"][0], "name_en", "Affairs"),
    "an author's name": lambda a: rename(Author, a["authors"][0], "name_en", "Renamed"),
    "an author's bio": lambda a: rename(Author, a["authors"][1], "short_bio_fr", "Nouveau."),
    "a byline added": lambda a: ArticleAuthor.objects.create(
        article=a["articles"][1], author=a["authors"][1], position=5
    ),
    "a byline removed": lambda a: ArticleAuthor.objects.filter(
        article=a["articles"][0], author=a["authors"][1]
    ).delete(),
    "a curated link added": lambda a: RelatedArticle.objects.create(
        source=a["articles"][7], target=a["articles"][8], position=0
    ),
    "a curated link removed": lambda a: RelatedArticle.objects.filter(
        source=a["articles"][0]
    ).delete(),
}


def rename(model, instance, field, value):
    instance = model.objects.get(pk=instance.pk)
    setattr(instance, field, value)
    instance.save()


@pytest.mark.parametrize("change", list(CHANGES))
def test_remembered_parts_follow_every_change(archive, change):
    for language in LANGUAGES:
        with translation.override(language):
            for pk in live_ids(language):
                assert remembered(live_article(pk)) == found_afresh(pk)
    CHANGES[change](archive)
    for language in LANGUAGES:
        with translation.override(language):
            for pk in live_ids(language):
                assert remembered(live_article(pk)) == found_afresh(pk), (language, pk)


def test_remembered_parts_follow_the_clock(archive):
    """A scheduled article appears in its neighbours' parts once its time has come."""
    first = archive["articles"][0]
    with translation.override("en"):
        before = remembered(live_article(first.pk))
        ArticleFactory(
            translated=True,
            section=first.section,
            published_at=timezone.now() + timedelta(seconds=2),
        )
        assert remembered(live_article(first.pk)) == before
        time.sleep((Article.objects.next_visibility_change() - timezone.now()).total_seconds())
        assert remembered(live_article(first.pk)) == found_afresh(first.pk) != before


def test_parts_go_stale_only_when_their_page_does(archive):
    """The parts name no tag their article's page does not: a change that leaves the page
    cached leaves the parts remembered."""
    reader = Client()
    for article in archive["articles"]:
        page_tags = reader.get(article.get_absolute_url()).wsgi_request.page_cache_tags
        with translation.override("en"):
            live = live_article(article.pk)
            links = live.load_page_parts()
            parts_tags = live.page_parts_tags((live.byline, live.shown_topics, links))
        assert set(parts_tags) <= page_tags
