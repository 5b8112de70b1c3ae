"""The navigation lists the sections that have a live article in the reader's language, and
those an editor keeps there; cached pages follow every change of it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.desk.conftest import desk_roles, editor  # noqa: F401 (fixtures)
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def navigation(client, url="/en/"):
    html = client.get(url).content.decode()
    nav = html[html.index('<nav class="site-nav"') :]
    return nav[: nav.index("</nav>")]


def test_only_sections_with_a_live_article_or_kept_by_an_editor_are_listed(client):
    ArticleFactory(section=SectionFactory(name_en="World"))
    ArticleFactory(section=SectionFactory(name_en="Drafts only"), status=Article.Status.DRAFT)
    SectionFactory(name_en="Empty")
    SectionFactory(name_en="Elections", in_navigation=True)

    shown = navigation(client)
    assert "World" in shown and "Elections" in shown
    assert "Drafts only" not in shown and "Empty" not in shown


def test_a_section_is_listed_in_the_languages_its_articles_are_live_in(client):
    ArticleFactory(section=SectionFactory(name_en="World", name_fr="Monde"))

    assert "World" in navigation(client, "/en/")
    assert "Monde" not in navigation(client, "/fr/")


def test_cached_pages_list_a_section_once_its_first_article_is_published(
    client,
    editor,  # noqa: F811
):
    ArticleFactory(section=SectionFactory(name_en="World"))
    section = SectionFactory(name_en="Science")
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None)
    assert "Science" not in navigation(client)

    services.publish(draft, by=editor)
    assert "Science" in navigation(client)

    services.unpublish(draft, by=editor)
    assert "Science" not in navigation(client)


def test_a_section_appears_when_its_scheduled_article_goes_live(client):
    ArticleFactory(section=SectionFactory(name_en="World"))
    moment = timezone.now() + timedelta(hours=1)
    ArticleFactory(section=SectionFactory(name_en="Science"), published_at=moment)
    assert "Science" not in navigation(client)

    with time_machine.travel(moment + timedelta(seconds=1)):
        assert "Science" in navigation(client)


def test_moving_or_deleting_the_last_article_takes_the_section_out(client):
    world = SectionFactory(name_en="World")
    ArticleFactory(section=world)
    article = ArticleFactory(section=SectionFactory(name_en="Science"))
    assert "Science" in navigation(client)

    article.section = world
    article.save()
    assert "Science" not in navigation(client)

    article.section = SectionFactory(name_en="Culture")
    article.save()
    assert "Culture" in navigation(client)
    article.delete()
    assert "Culture" not in navigation(client)
