"""Lists page through every live article once, newest first, whatever the page number."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def titles_on(client, url, page):
    response = client.get(url, {"page": page})
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


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
