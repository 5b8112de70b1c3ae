"""Lists page through every live article once, newest first, whatever the page number."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def titles_on(client, url, page):
    response = client.get(url, {"page": page})
    assert response.status_code == 200
    return [Article.objects.get(pk=pk).title for pk in response.context["articles"]]


@pytest.mark.parametrize("listing", ["section", "topic", "author"])
def test_pages_follow_each_other_without_gaps_or_repeats(client, listing):
    section, topic, author = SectionFactory(), TopicFactory(), AuthorFactory()
    now = timezone.now()
    # Equal times on purpose: the id breaks ties, on every page alike.
    articles = [
        ArticleFactory(
            section=section,
            topics=[topic],
            authors=[author],
            published_at=now - timedelta(hours=index // 3 + 1),
        )
        for index in range(27)
    ]
    ArticleFactory(section=section, topics=[topic], authors=[author], status="draft")
    expected = [
        article.title
        for article in sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    ]
    url = {"section": section, "topic": topic, "author": author}[listing].get_absolute_url()
    shown = [title for page in (1, 2, 3) for title in titles_on(client, url, page)]
    assert shown == expected
    assert client.get(url, {"page": 4}).status_code == 404


@pytest.mark.parametrize("listing", ["section", "topic", "author"])
def test_a_lists_remembered_count_follows_every_change_and_the_schedule(
    client, settings, admin_user, listing
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # the count alone is remembered
    section, topic, author = SectionFactory(), TopicFactory(parent=TopicFactory()), AuthorFactory()
    listed = {"section": section, "topic": topic.parent, "author": author}[listing]
    url = listed.get_absolute_url()

    def add_article(**fields):
        return ArticleFactory(section=section, topics=[topic], authors=[author], **fields)

    def count():
        return client.get(url).context["paginator"].count

    first, _second = add_article(), add_article()
    assert count() == 2
    with CaptureQueriesContext(connection) as queries:
        assert count() == 2
    assert not [query for query in queries if "COUNT(" in query["sql"]], "counted again"

    later = timezone.now() + timedelta(hours=1)
    add_article(published_at=later)
    assert count() == 2
    with time_machine.travel(later + timedelta(minutes=1)):
        assert count() == 3
        services.unpublish(first, by=admin_user)
        assert count() == 2
