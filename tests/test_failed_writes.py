"""A write that fails half-way (the disk refuses the upload, the database refuses the save)
leaves nothing half-saved: each admin save is one transaction."""

import io
import os
import resource
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.models import Article, ArticleAuthor
from authors.models import Author
from newsroom.images.models import Image as LibraryImage
from tests.factories import AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def new_article_form(author, section, **extra):
    return {
        "title_en": "Ports and power",
        "body_en": "<p>Body.</p>",
        "ready_en": "on",
        "status": "published",
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
        "original_language": "en",
        "section": section.pk,
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        **extra,
    }


def noisy_png(width=1200, height=630):
    """A lead image of the smallest accepted size that does not compress: far larger than
    the file-size limit below, small enough to stay in memory while uploaded."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("lead.png", buffer.getvalue(), content_type="image/png")


@contextmanager
def disk_refusing_large_files():
    """The kernel refuses to grow any file of this process past 4 KB (EFBIG), as a full
    disk refuses (ENOSPC): the upload's write really fails.

    Only around the request: the limit covers every file the process writes, pytest's own
    report included when its output goes to a file.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_an_upload_the_disk_refuses_leaves_no_image(editor):
    form = {"title": "A port", "file": noisy_png(), "file_focus_x": "50", "file_focus_y": "50"}
    with disk_refusing_large_files():
        response = editor.post(reverse("admin:images_image_add"), form)
    assert response.status_code == 500
    assert not LibraryImage.objects.exists()


def test_a_database_error_in_the_middle_of_a_save_leaves_no_article(editor):
    author, section = AuthorFactory(), SectionFactory()

    def author_deleted_meanwhile(sender, instance, **kwargs):
        """A colleague deletes the author after the form was validated: the byline's
        foreign key fails when the transaction commits, after the article row was written."""
        Author.objects.filter(pk=instance.author_id).delete()

    pre_save.connect(author_deleted_meanwhile, sender=ArticleAuthor)
    try:
        response = editor.post(
            reverse("admin:articles_article_add"), new_article_form(author, section)
        )
    finally:
        pre_save.disconnect(author_deleted_meanwhile, sender=ArticleAuthor)
    assert response.status_code == 500
    assert not Article.objects.exists()
    assert Author.objects.filter(pk=author.pk).exists()


def test_the_same_save_succeeds_when_nothing_fails(editor):
    form = {"title": "A port", "file": noisy_png(), "file_focus_x": "50", "file_focus_y": "50"}
    assert editor.post(reverse("admin:images_image_add"), form).status_code == 302
    image = LibraryImage.objects.get()
    author, section = AuthorFactory(), SectionFactory()
    response = editor.post(
        reverse("admin:articles_article_add"),
        new_article_form(author, section, lead_image=image.pk, image_alt_en="A port"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.byline == [author] and article.lead_image.file_width == 1200
