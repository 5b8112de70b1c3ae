"""Uploading to the library from a body editor's figure box (static/js/figures.js): the
image admin's own form decides, and the answer is JSON the box can show."""

import re

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from newsroom.images.models import Image
from tests.factories import ArticleFactory
from tests.images import samples

pytestmark = pytest.mark.django_db

URL = reverse("admin:images_image_upload")


def upload(client, data, name="quay.jpg", **fields):
    return client.post(URL, {"file": samples.upload(data, name), "title": "Quay", **fields})


def test_an_uploaded_image_joins_the_library_and_comes_back_as_a_search_result(
    admin_client, admin_user, settings
):
    response = upload(admin_client, samples.jpeg((1500, 1000)), credit="Ana Lee")
    assert response.status_code == 200
    image = Image.objects.get()
    result = response.json()
    assert result == {
        "id": image.pk,
        "title": "Quay",
        "credit": "Ana Lee",
        "caption": "",
        "thumbnail": result["thumbnail"],
    }
    assert "/renditions/" in result["thumbnail"]
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", image.file.name)
    assert image.picture is not None
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.user, entry.object_id) == (
        ADDITION,
        admin_user,
        str(image.pk),
    )


def test_a_file_that_is_not_an_image_is_refused_with_the_forms_message(admin_client, settings):
    response = upload(admin_client, b"%PDF-1.4 not a picture", "report.jpg")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            "Image: Upload a JPEG, PNG or WebP image. This file is not one (or it is damaged)."
        ]
    }
    assert not Image.objects.exists()
    assert samples.stored_files(settings) == set()


def test_an_image_below_the_librarys_minimum_is_refused(admin_client):
    response = upload(admin_client, samples.jpeg((150, 300)))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "Image: This image is 150 × 300 pixels; it must be at least 200 × 200."
    ]
    assert not Image.objects.exists()


def test_a_file_over_the_byte_limit_is_refused(admin_client, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000
    response = upload(admin_client, samples.jpeg((1500, 1000)))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert re.fullmatch(
        r"Image: This file is [\d.]+\xa0KB; an image may be at most 9.8\xa0KB\.", error
    )
    assert not Image.objects.exists()


def test_refusals_name_the_field_in_the_editors_language(admin_client):
    response = admin_client.post(
        URL,
        {"file": samples.upload(samples.png_bomb(), "bomb.png"), "title": ""},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "Image : Cette image a trop de pixels : 40 millions au maximum.",
        "Titre : Ce champ est obligatoire.",
    ]


@pytest.fixture
def editor_without_uploads(db):
    """A staff member who edits and publishes articles and sees the library, but may not
    add to it."""
    user = User.objects.create_user("reader", password="a long test password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_article", "change_article", "publish_article", "view_image"]
        )
    )
    return user


def test_only_those_who_may_add_images_upload_and_are_offered_the_upload(
    client, admin_client, editor_without_uploads, settings
):
    article = ArticleFactory()
    change_form = reverse("admin:articles_article_change", args=[article.pk])
    assert f'data-upload-url="{URL}"' in admin_client.get(change_form).content.decode()

    client.force_login(editor_without_uploads)
    html = client.get(change_form).content.decode()
    assert 'id="figure-library"' in html and "data-upload-url" not in html
    response = upload(client, samples.jpeg())
    assert response.status_code == 403
    assert not Image.objects.exists()
    assert samples.stored_files(settings) == set()


def test_the_upload_is_a_post_with_the_csrf_token(admin_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    assert browser.get(URL).status_code == 405
    assert upload(browser, samples.jpeg()).status_code == 403
    assert not Image.objects.exists()
