"""The image library: images are rows of their own, shown by any number of articles and
authors, listed and searched in the admin, and never deleted from under a live article."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from articles.models import Article
from authors.models import Author
from newsroom.images.models import Image
from newsroom.images.renditions import files_of
from tests.factories import ArticleFactory, AuthorFactory
from tests.images import samples


@pytest.mark.django_db(transaction=True)
def test_upgrading_moves_lead_images_and_photos_into_the_library_keeping_their_files(settings):
    """Rows from before the library (made here by migrating back down) become library
    images pointing at the same originals and renditions, which are not made again."""
    shared = samples.library_image(samples.jpeg((1300, 700)), file_focus_x=20)
    first = ArticleFactory(title_en="First", image_credit_en="Photo: Ana", lead_image=shared)
    second = ArticleFactory(title_en="Second", lead_image=shared)
    ArticleFactory(title_en="Without an image")
    author = AuthorFactory(name_en="Lena", photo=samples.library_image(samples.jpeg((400, 400))))
    manifests = {image.file.name: image.file_renditions for image in Image.objects.all()}
    files = samples.stored_files(settings)
    mtimes = {name: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for name in files}

    executor = MigrationExecutor(connection)
    executor.migrate([("images", None)])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    first, second = Article.objects.get(pk=first.pk), Article.objects.get(pk=second.pk)
    assert first.lead_image == second.lead_image, "one file, one library image"
    assert first.lead_image.title == "First" and first.lead_image.credit == "Photo: Ana"
    assert first.lead_image.file_focus_x == 20
    assert Article.objects.get(title_en="Without an image").lead_image is None
    photo = Author.objects.get(pk=author.pk).photo
    assert photo.title == "Lena"
    assert {image.file.name: image.file_renditions for image in Image.objects.all()} == manifests
    assert Image.objects.count() == 2
    assert samples.stored_files(settings) == files
    assert {n: (settings.MEDIA_ROOT / n).stat().st_mtime_ns for n in files} == mtimes


@pytest.fixture
def harbour(db):
    return samples.library_image(samples.jpeg((1300, 700)), title="Harbour", credit="Ana Lee")


def test_the_admin_lists_images_with_thumbnails_and_finds_them_by_title_or_credit(
    admin_client, harbour, django_assert_max_num_queries
):
    samples.library_image(samples.jpeg((400, 400)), title="Portrait", credit="Bo Chen")
    url = reverse("admin:images_image_changelist")
    with django_assert_max_num_queries(12):
        html = admin_client.get(url).content.decode()
    thumbnails = re.findall(r'<img src="([^"]+)" alt="" width="120"', html)
    assert len(thumbnails) == 2
    assert all("/renditions/" in src and "teaser-240x160" in src for src in thumbnails)
    assert "Harbour" in admin_client.get(url + "?q=harbour").content.decode()
    by_credit = admin_client.get(url + "?q=chen").content.decode()
    assert "Portrait" in by_credit and "Harbour" not in by_credit


def test_an_image_says_where_it_is_used(admin_client, harbour):
    article = ArticleFactory(title_en="Ports and power", lead_image=harbour)
    author = AuthorFactory(name_en="Ana Lee", photo=harbour)
    html = admin_client.get(reverse("admin:images_image_change", args=[harbour.pk])).content
    html = html.decode()
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert reverse("admin:authors_author_change", args=[author.pk]) in html
    unused = samples.library_image(samples.jpeg((400, 400)))
    html = admin_client.get(reverse("admin:images_image_change", args=[unused.pk])).content
    assert "Nothing uses this image yet." in html.decode()


def test_an_image_a_live_article_shows_cannot_be_deleted(admin_client, harbour):
    ArticleFactory(title_en="Ports and power", lead_image=harbour)
    url = reverse("admin:images_image_delete", args=[harbour.pk])
    page = admin_client.get(url).content.decode()
    assert "Ports and power (live, shows “Harbour”)" in page
    response = admin_client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=harbour.pk).exists()
    changelist = reverse("admin:images_image_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [harbour.pk], "post": "yes"}
    )
    assert "Ports and power (live, shows “Harbour”)" in response.content.decode()
    assert Image.objects.filter(pk=harbour.pk).exists()


def test_an_image_only_drafts_show_can_be_deleted_and_leaves_them_without_it(
    admin_client, harbour, settings, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(status=Article.Status.DRAFT, lead_image=harbour)
    owned = files_of(harbour.file_renditions)
    url = reverse("admin:images_image_delete", args=[harbour.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Image.objects.exists()
    assert Article.objects.get(pk=draft.pk).lead_image is None
    assert not owned & samples.stored_files(settings)


def test_changing_an_image_refreshes_the_cached_pages_that_show_it(client, harbour):
    author = AuthorFactory(photo=samples.library_image(samples.jpeg((400, 400))))
    article = ArticleFactory(lead_image=harbour, authors=[author])
    pages = {
        "section": (article.section.get_absolute_url(), "teaser-480x320-f{}-50"),
        "article": (article.get_absolute_url(), "social-1200x630-f{}-50"),
        "author": (author.get_absolute_url(), "square-320x320-f{}-50"),
    }
    for url, crop in pages.values():
        assert crop.format(50) in client.get(url).content.decode()
    harbour.file_focus_x = 10
    harbour.save()
    author.photo.file_focus_x = 10
    author.photo.save()
    for name, (url, crop) in pages.items():
        assert crop.format(10) in client.get(url).content.decode(), name
