"""The site-wide notice: managed by editors, shown on every public page while active."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from newsroom.notices.models import SiteNotice
from newsroom.notices.shown import CACHE_KEY, shown_notice
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    return client.get(url).content.decode()


def test_an_active_notice_shows_on_every_public_page_in_the_readers_language(client):
    article = ArticleFactory(translated=True)
    SiteNotice.objects.create(
        message_en="Election night live", message_fr="Soirée électorale en direct", is_active=True
    )
    with translation.override("fr"):
        urls = [reverse("articles:home"), reverse("authors:list")]
    for url in [*urls, article.get_absolute_url("fr")]:
        assert "Soirée électorale en direct" in page(client, url)
    assert "Election night live" in page(client, article.get_absolute_url("en"))


def test_a_switched_off_or_ended_notice_is_not_shown(client):
    SiteNotice.objects.create(message_en="Off", is_active=False)
    ends_at = timezone.now() + timedelta(hours=1)
    SiteNotice.objects.create(message_en="Until the polls close", is_active=True, ends_at=ends_at)
    assert "Until the polls close" in page(client, "/en/")
    assert ">Off<" not in page(client, "/en/")
    with time_machine.travel(ends_at + timedelta(seconds=1)):
        assert "Until the polls close" not in page(client, "/en/")


def test_switching_a_notice_on_reaches_pages_already_cached(client):
    page(client, "/en/")
    notice = SiteNotice.objects.create(message_en="Maintenance tonight", is_active=False)
    assert "Maintenance tonight" not in page(client, "/en/")
    notice.is_active = True
    notice.save()
    assert "Maintenance tonight" in page(client, "/en/")


def test_editors_manage_the_notice_and_authors_cannot(client, editor, author):
    url = reverse("admin:notices_sitenotice_add")
    client.force_login(author)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.post(url, {"message_en": "Welcome", "is_active": "on"})
    assert response.status_code == 302
    assert SiteNotice.objects.current().get().message_en == "Welcome"


def test_a_page_view_costs_no_query_for_a_notice_already_looked_up(
    client, django_assert_num_queries
):
    SiteNotice.objects.create(message_en="Election night live", is_active=True)
    assert shown_notice()[0].message_en == "Election night live"
    with django_assert_num_queries(0):
        assert shown_notice()[0].message_en == "Election night live"


def test_a_kept_notice_disappears_at_its_end_time(client):
    ends_at = timezone.now() + timedelta(minutes=5)
    SiteNotice.objects.create(message_en="Until the polls close", is_active=True, ends_at=ends_at)
    assert "Until the polls close" in page(client, reverse("authors:list"))
    with time_machine.travel(ends_at + timedelta(seconds=1)):
        assert shown_notice()[0] is None
        assert "Until the polls close" not in page(client, reverse("authors:list"))


def test_a_page_showing_another_processs_old_notice_is_not_kept_as_current(
    client, marks_in_database
):
    """With per-process caches another process may still hold the notice as it was before
    a change: its page may show that for a short while, but is never cached as current."""
    _none, read_before_the_change = shown_notice()
    SiteNotice.objects.create(message_en="Maintenance tonight", is_active=True)
    cache.set(CACHE_KEY, (None, read_before_the_change))
    assert "Maintenance tonight" not in page(client, "/en/")
    cache.delete(CACHE_KEY)  # that process's kept notice expires
    assert "Maintenance tonight" in page(client, "/en/")
