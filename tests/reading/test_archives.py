"""Date archives and previous/next links within a section."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def archive_url(language, **kwargs):
    name = "articles:archive-month" if "month" in kwargs else "articles:archive-year"
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_year_and_month_archives_list_only_live_articles_of_the_period(client):
    march = ArticleFactory(translated=True, published_at=datetime(2025, 3, 5, 9, tzinfo=UTC))
    may = ArticleFactory(translated=True, published_at=datetime(2025, 5, 1, 9, tzinfo=UTC))
    ArticleFactory(translated=True, published_at=datetime(2024, 5, 1, 9, tzinfo=UTC))
    ArticleFactory(
        translated=True,
        status=Article.Status.DRAFT,
        published_at=datetime(2025, 3, 6, 9, tzinfo=UTC),
    )
    ArticleFactory(published_at=datetime(2025, 3, 7, 9, tzinfo=UTC))
    year = client.get(archive_url("fr", year="2025"))
    assert list(year.context["articles"]) == [may.pk, march.pk]
    html = year.content.decode()
    assert "mars" in html and "mai" in html
    assert archive_url("fr", year="2024") in html
    month = client.get(archive_url("fr", year="2025", month="03"))
    assert list(month.context["articles"]) == [march.pk]
    assert "Mars 2025" in month.content.decode() or "mars 2025" in month.content.decode()
    assert client.get(archive_url("ru", year="2025", month="05")).status_code == 200
    assert "Май 2025" in client.get(archive_url("ru", year="2025", month="05")).content.decode()


@pytest.mark.parametrize(
    "url", ["/en/2025/04/", "/en/1999/", "/en/2025/13/", "/en/2025/00/", "/en/20255/", "/en/25/"]
)
def test_empty_or_malformed_periods_are_404(client, url):
    ArticleFactory(published_at=datetime(2025, 3, 5, 9, tzinfo=UTC))
    assert client.get(url).status_code == 404


def test_scheduled_articles_stay_out_of_the_archive_until_their_time(client):
    ArticleFactory(published_at=timezone.now() + timedelta(days=400))
    future = timezone.now() + timedelta(days=400)
    assert client.get(archive_url("en", year=str(future.year))).status_code == 404


def test_previous_and_next_articles_stay_in_the_section_and_the_language(client):
    section = SectionFactory()
    now = timezone.now()

    def at(hours, **kwargs):
        return ArticleFactory(section=section, published_at=now - timedelta(hours=hours), **kwargs)

    oldest = at(10, translated=True)
    at(8, translated=True, ready_fr=False)
    at(7, translated=True, status=Article.Status.DRAFT)
    ArticleFactory(translated=True, published_at=now - timedelta(hours=6))
    middle = at(5, translated=True)
    newest = at(3, translated=True)
    at(-2, translated=True)
    assert middle.section_neighbours("fr") == (oldest, newest)
    assert oldest.section_neighbours("fr") == (None, middle)
    assert newest.section_neighbours("fr") == (middle, None)
    html = client.get(middle.get_absolute_url("fr")).content.decode()
    assert f'rel="prev" href="{oldest.get_absolute_url("fr")}"' in html
    assert f'rel="next" href="{newest.get_absolute_url("fr")}"' in html


def test_neighbours_with_the_same_publication_time_are_ordered_by_id():
    section = SectionFactory()
    moment = timezone.now() - timedelta(hours=1)
    first, second, third = (ArticleFactory(section=section, published_at=moment) for _ in range(3))
    assert second.section_neighbours("en") == (first, third)


def test_every_page_links_the_archives_which_list_the_live_months_of_its_language(client):
    ArticleFactory(translated=True, published_at=datetime(2025, 3, 5, 9, tzinfo=UTC))
    ArticleFactory(translated=True, published_at=datetime(2024, 11, 1, 9, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2023, 1, 7, 9, tzinfo=UTC))  # English only
    ArticleFactory(
        translated=True,
        status=Article.Status.DRAFT,
        published_at=datetime(2022, 6, 6, 9, tzinfo=UTC),
    )
    with translation.override("fr"):
        index = reverse("articles:archive")
    assert f'href="{index}"' in client.get("/fr/").content.decode()
    response = client.get(index)
    assert [(year, [m.month for m in months]) for year, months in response.context["years"]] == [
        (2025, [3]),
        (2024, [11]),
    ]
    html = response.content.decode()
    for url in [
        archive_url("fr", year="2025"),
        archive_url("fr", year="2025", month="03"),
        archive_url("fr", year="2024", month="11"),
    ]:
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200
