"""The article list in the admin stays cheap however large the archive."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14


def count_sql(queries):
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("size", [2, 30])
def test_the_article_list_needs_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries, size
):
    section, topic = SectionFactory(), TopicFactory()
    authors = AuthorFactory.create_batch(3)
    ArticleFactory.create_batch(size, section=section, topics=[topic], authors=authors)
    url = reverse("admin:articles_article_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert admin_client.get(url).status_code == 200


def test_the_archive_is_counted_again_only_after_an_article_changes(admin_client):
    ArticleFactory.create_batch(3)
    url = reverse("admin:articles_article_changelist")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    assert count_sql(queries.captured_queries) == []
    assert response.context["cl"].result_count == 3

    ArticleFactory()
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    assert len(count_sql(queries.captured_queries)) == 1
    assert response.context["cl"].result_count == 4


def test_a_filtered_list_is_counted_for_its_own_filter(admin_client):
    ArticleFactory.create_batch(2)
    ArticleFactory(status="draft")
    url = reverse("admin:articles_article_changelist")
    assert admin_client.get(url).context["cl"].result_count == 3
    assert admin_client.get(url, {"status__exact": "draft"}).context["cl"].result_count == 1
