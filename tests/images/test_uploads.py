"""Uploads: only real JPEG, PNG and WebP images within the limits are accepted, and what is
stored is a clean upright sRGB copy under a generated name."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from PIL import Image as PillowImage

from articles.models import Article
from authors.models import Author
from newsroom.images.fields import VerifiedImageFormField
from newsroom.images.models import Image
from tests.factories import ArticleFactory, AuthorFactory
from tests.html_forms import form_values
from tests.images import samples

LEAD_MIN = (1200, 630)


def clean(data, name="photo.jpg", min_size=LEAD_MIN):
    return VerifiedImageFormField(min_size=min_size).clean(samples.upload(data, name))


def refusal(data, name="photo.jpg", min_size=LEAD_MIN):
    with pytest.raises(ValidationError) as error:
        clean(data, name, min_size)
    return error.value


def reopened(content):
    content.seek(0)
    image = PillowImage.open(io.BytesIO(content.read()))
    image.load()
    return image


@pytest.mark.parametrize(
    ("data", "format_name", "extension"),
    [
        (samples.jpeg(), "JPEG", ".jpg"),
        (samples.png(), "PNG", ".png"),
        (samples.webp(), "WEBP", ".webp"),
    ],
    ids=["jpeg", "png", "webp"],
)
def test_each_accepted_format_is_stored_re_encoded_in_its_own_format(data, format_name, extension):
    content = clean(data, name="anything.bin")
    assert content.name == f"image{extension}"
    image = reopened(content)
    assert image.format == format_name
    assert image.size == (1500, 1000)
    assert image.getpixel((10, 10))[:3] == pytest.approx(samples.RED, abs=8)


def test_transparency_of_a_png_is_kept():
    image = reopened(clean(samples.png(mode="RGBA")))
    assert image.mode == "RGBA"


@pytest.mark.parametrize("disguise", list(samples.DISGUISES))
def test_other_formats_renamed_to_jpg_are_refused(disguise):
    error = refusal(samples.DISGUISES[disguise], name="holiday.jpg")
    assert error.code == "invalid_image_format"
    assert "Upload a JPEG, PNG or WebP image" in error.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        clean(b"")


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = samples.jpeg()
    error = refusal(data[: len(data) // 2])
    assert error.code == "damaged_image"


def test_a_decompression_bomb_is_refused_from_its_header():
    """14,000 x 14,000 pixels (196 MB decoded) in a file of 190 KB."""
    error = refusal(samples.png_bomb(), name="bomb.png")
    assert error.code == "too_many_pixels"
    assert "at most 40 million" in error.messages[0]


def test_the_pixel_limit_is_checked_before_any_decoding(settings):
    """The file has a header and no pixel data: decoding it would fail as damaged."""
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 2_000_000
    error = refusal(samples.png_header_only(2000, 1001), name="big.png")
    assert error.code == "too_many_pixels"
    assert "at most 2 million" in error.messages[0]


def test_a_file_over_the_byte_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000
    error = refusal(samples.jpeg())
    assert error.code == "file_too_large"
    assert "at most 9.8\xa0KB" in error.messages[0]


def test_an_image_smaller_than_the_minimum_is_refused():
    error = refusal(samples.jpeg((1000, 700)))
    assert error.messages == ["This image is 1000 × 700 pixels; it must be at least 1200 × 630."]


def test_the_minimum_size_applies_to_the_image_turned_upright():
    """1600 x 1200 pixels stored sideways: a 1200-wide portrait once upright."""
    assert reopened(clean(samples.phone_photo())).size == (1200, 1600)
    error = refusal(samples.phone_photo((1300, 700)))
    assert "This image is 700 × 1300 pixels" in error.messages[0]


def test_a_phone_photo_is_turned_upright_and_loses_its_exif():
    content = clean(samples.phone_photo())
    raw = content.read()
    image = reopened(content)
    assert image.size == (1200, 1600)
    # The red corner was top left in the sideways pixels: upright, it is top right.
    assert image.getpixel((1190, 10)) == pytest.approx(samples.RED, abs=12)
    assert image.getpixel((10, 10)) == pytest.approx(samples.BLUE, abs=12)
    assert not image.getexif()
    assert "exif" not in image.info
    for trace in [b"Exif", b"Phonemaker", b"Pocket 12 Pro"]:
        assert trace not in raw


def test_colour_profiles_are_applied_then_dropped():
    image = reopened(clean(samples.with_srgb_profile()))
    assert "icc_profile" not in image.info
    assert image.getpixel((700, 700)) == pytest.approx(samples.BLUE, abs=8)


def test_a_cmyk_jpeg_is_stored_as_rgb():
    assert reopened(clean(samples.cmyk_jpeg())).mode == "RGB"


def test_anything_after_the_image_data_is_dropped():
    polyglot = samples.jpeg() + b"<script>alert(1)</script>"
    assert b"<script>" not in clean(polyglot).read()


def test_refusals_are_in_the_editors_language():
    with translation.override("fr"):
        messages = refusal(samples.DISGUISES["html"]).messages
    assert messages == [
        "Envoyez une image JPEG, PNG ou WebP. Ce fichier n’en est pas une (ou il est abîmé)."
    ]


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def post_with_image(client, url, field, data, name="photo.jpg", title=None, **headers):
    values = form_values(client.get(url).content.decode())
    values[field] = samples.upload(data, name)
    if title is not None:
        values["title"] = title
    return client.post(url, values, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["../../x.jpg", "evil\x00.php.jpg", "ж" * 300 + ".jpg", "<img onerror=alert(1)>.jpg"],
    ids=["traversal", "nul", "long-cyrillic", "markup"],
)
def test_stored_names_are_generated_whatever_the_uploaded_name(editor_client, settings, name):
    url = reverse("admin:images_image_add")
    response = post_with_image(editor_client, url, "file", samples.jpeg(), name, title="Port")
    assert response.status_code == 302
    image = Image.objects.get()
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", image.file.name)
    assert all(re.fullmatch(r"[a-z0-9/_.-]+", path) for path in samples.stored_files(settings))


@pytest.mark.django_db
def test_a_refused_upload_is_a_form_error_in_the_editors_language_and_saves_nothing(
    editor_client, settings
):
    url = reverse("admin:images_image_add")
    response = post_with_image(
        editor_client,
        url,
        "file",
        samples.png_bomb(),
        "bomb.png",
        "Bomb",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "Cette image a trop de pixels : 40 millions au maximum." in response.content.decode()
    assert not Image.objects.exists()
    assert samples.stored_files(settings) == set()


@pytest.mark.django_db
def test_an_author_photo_needs_only_the_smaller_minimum(editor_client):
    """The library takes images of 200 × 200 pixels and more; a lead image must be at
    least 1200 × 630 (the social networks' size)."""
    response = post_with_image(
        editor_client,
        reverse("admin:images_image_add"),
        "file",
        samples.jpeg((150, 300)),
        title="Too small",
    )
    assert "it must be at least 200 × 200" in response.content.decode()
    image = samples.library_image(samples.jpeg((300, 300)))
    author = AuthorFactory()
    url = reverse("admin:authors_author_change", args=[author.pk])
    values = form_values(editor_client.get(url).content.decode()) | {"photo": image.pk}
    response = editor_client.post(url, values)
    assert response.status_code == 302, response.context["adminform"].form.errors
    author.refresh_from_db()
    assert author.photo == image
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    values = form_values(editor_client.get(url).content.decode()) | {"lead_image": image.pk}
    response = editor_client.post(url, values)
    assert "This image is 300 × 300 pixels; it must be at least 1200 × 630." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_file_input_says_what_it_accepts(editor_client):
    html = editor_client.get(reverse("admin:images_image_add")).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    assert "JPEG, PNG or WebP, at least 200 × 200 pixels." in html
    assert Article.objects.count() == 0 and Author.objects.count() == 0
