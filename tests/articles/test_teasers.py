"""Teasers are kept rendered across requests (`articles.teasers`): a list read again renders
none of them, and each is refreshed by exactly the changes that change what it shows.

tests/pagecache/test_exactness.py proves the pages showing them fresh after every change;
here each teaser's own refreshes are checked, kept or rendered again, change by change.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleAuthor
from articles.teasers import Teasers, kind
from newsroom.pagecache.models import CacheTag
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["marks_in_database", "marks_in_redis"])
def marks_kept_in(request):
    request.getfixturevalue(request.param)


@pytest.fixture
def uncached_pages(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def site():
    section, elsewhere = SectionFactory(), SectionFactory()
    writer, other_writer, idle = AuthorFactory.create_batch(3)
    topic = TopicFactory()
    shown = ArticleFactory(translated=True, section=section, authors=[writer], topics=[topic])
    neighbour = ArticleFactory(translated=True, section=section, authors=[other_writer])
    return {
        "section": section,
        "elsewhere": elsewhere,
        "writer": writer,
        "other writer": other_writer,
        "idle": idle,
        "topic": topic,
        "shown": shown,
        "neighbour": neighbour,
    }


def test_a_list_read_again_reads_no_byline_and_renders_no_teaser(
    marks_kept_in, uncached_pages, site
):
    reader = Client()
    first = reader.get(site["section"].get_absolute_url()).content
    with CaptureQueriesContext(connection) as queries:
        again = reader.get(site["section"].get_absolute_url()).content
    assert again == first
    assert not [q for q in queries if ArticleAuthor._meta.db_table in q["sql"]]


def test_the_home_page_read_again_reads_no_byline(marks_kept_in, uncached_pages, site):
    reader = Client()
    first = reader.get(reverse("articles:home")).content
    assert site["shown"].title_en in first.decode()
    with CaptureQueriesContext(connection) as queries:
        again = reader.get(reverse("articles:home")).content
    assert again == first
    assert not [q for q in queries if ArticleAuthor._meta.db_table in q["sql"]]


def save(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()


def edited(pk, **values):
    save(Article.objects.get(pk=pk), **values)


# Each change, and whether the teaser of `shown` shows what it changes. A section's name
# is read under the one tag of every section (the navigation's): renaming any section
# renders every teaser again, the one price paid.
CHANGES = {
    "its title": (True, lambda s: edited(s["shown"].pk, title_en="A new title")),
    "its standfirst": (True, lambda s: edited(s["shown"].pk, standfirst_en="A new standfirst")),
    "its section": (True, lambda s: edited(s["shown"].pk, section=s["elsewhere"])),
    "its author's name": (True, lambda s: save(s["writer"], name="Renamed Writer")),
    "its section's name": (True, lambda s: save(s["section"], name_en="Renamed section")),
    "an author added to its byline": (
        True,
        lambda s: ArticleAuthor.objects.create(
            article=s["shown"], author=s["other writer"], position=2
        ),
    ),
    "its byline removed": (True, lambda s: s["shown"].bylines.all().delete()),
    "its body": (False, lambda s: edited(s["shown"].pk, body_en="<p>A corrected body.</p>")),
    "its correction": (False, lambda s: edited(s["shown"].pk, correction_en="We erred.")),
    "a topic added": (False, lambda s: s["shown"].topics.add(TopicFactory())),
    "its topic renamed": (False, lambda s: save(s["topic"], name_en="Renamed topic")),
    "another author's name": (False, lambda s: save(s["idle"], name="Renamed Idle")),
    "another article's title": (
        False,
        lambda s: edited(s["neighbour"].pk, title_en="The neighbour's new title"),
    ),
}


def teaser_of(pk):
    """The teaser of the article as a list page finds it: kept, or rendered now."""
    shown = kind(with_image=True, show_section=True)
    teasers = Teasers().load([(pk, shown)])
    return teasers.kept[pk].computed_at, teasers.html(pk, shown)


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_teaser_is_rendered_again_exactly_when_what_it_shows_changes(
    marks_kept_in, site, change
):
    shows_it, apply = CHANGES[change]
    rendered_at, before = teaser_of(site["shown"].pk)
    assert teaser_of(site["shown"].pk) == (rendered_at, before)
    apply(site)
    now_at, now = teaser_of(site["shown"].pk)
    _, afresh = teaser_of_without_cache(site["shown"].pk)
    assert now == afresh
    assert (now_at != rendered_at) is shows_it
    assert (now != before) is shows_it


def test_renaming_another_section_renders_the_teaser_again_unchanged(marks_kept_in, site):
    rendered_at, before = teaser_of(site["shown"].pk)
    save(site["elsewhere"], name_en="Renamed section")
    assert teaser_of(site["shown"].pk)[0] != rendered_at
    assert teaser_of(site["shown"].pk)[1] == before


def teaser_of_without_cache(pk):
    cache.delete(Teasers().key(pk))
    return teaser_of(pk)


@pytest.mark.parametrize("after", ["nothing", "an edit"])
def test_a_list_page_reads_the_marks_of_its_remembered_values_once(
    marks_in_database, uncached_pages, site, after
):
    """Its count and its page of ids depend on the same changes: one read of their marks
    serves both. The teasers' marks and the footer's are the two other reads."""
    reader = Client()
    reader.get(site["section"].get_absolute_url())
    if after == "an edit":
        edited(site["neighbour"].pk, title_en="Retitled")
    with CaptureQueriesContext(connection) as queries:
        page = reader.get(site["section"].get_absolute_url())
    assert page.status_code == 200
    marks_read = [q for q in queries if CacheTag._meta.db_table in q["sql"]]
    assert len(marks_read) == 3
