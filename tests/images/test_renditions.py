"""Renditions: made once on save, at the widths and crops the layout needs, never upscaled,
steered by the focal point, and removed with the image they were made from."""

import io

import pytest
from PIL import Image

from articles.models import Article, TranslationMatrix
from authors.models import Author
from newsroom.images.renditions import files_of
from tests.factories import ArticleFactory, AuthorFactory
from tests.images import samples

pytestmark = pytest.mark.django_db


def with_lead_image(data, **fields):
    article = ArticleFactory(**fields)
    article.lead_image = samples.verified(data)
    article.save()
    return article


def opened(storage, name):
    with storage.open(name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def test_lead_image_widths_in_webp_and_jpeg_never_upscaled():
    article = with_lead_image(samples.jpeg((1500, 1000)))
    picture = article.lead_image.picture
    assert [(s.width, s.height) for s in picture.sources] == [
        (320, 213),
        (640, 427),
        (960, 640),
        (1280, 853),
        (1500, 1000),
    ]
    storage = article.lead_image.storage
    for entry in article.lead_image_renditions["renditions"]:
        webp, jpeg = opened(storage, entry["webp"]), opened(storage, entry["jpeg"])
        assert (webp.format, jpeg.format) == ("WEBP", "JPEG")
        assert webp.size == jpeg.size == (entry["width"], entry["height"])


def test_a_large_original_stops_at_1920_pixels():
    article = with_lead_image(samples.jpeg((2400, 1600)))
    assert [s.width for s in article.lead_image.picture.sources] == [320, 640, 960, 1280, 1920]
    assert article.lead_image.picture.src.endswith("/1920w.jpg")


def test_the_social_image_is_a_1200_by_630_jpeg():
    article = with_lead_image(samples.jpeg((1500, 1000)))
    social = article.lead_image.crops["social"]
    assert (social.width, social.height) == (1200, 630)
    image = opened(article.lead_image.storage, social.sources[0].jpeg_url.split("/media/")[1])
    assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_author_photos_get_square_crops_without_repeating_a_small_original():
    author = AuthorFactory()
    author.photo = samples.verified(samples.jpeg((300, 450)))
    author.save()
    square = author.photo.crops["square"]
    assert [(s.width, s.height) for s in square.sources] == [(160, 160), (300, 300)]
    assert author.photo.picture.sources == []


def red_share_of_left_edge(article):
    """How much of the social crop's left-most column is the red block."""
    name = article.lead_image_renditions["renditions"][-1]["jpeg"]
    image = opened(article.lead_image.storage, name).convert("RGB")
    column = [image.getpixel((0, y)) for y in range(image.height)]
    return sum(1 for r, _g, b in column if r > 150 and b < 100) / len(column)


def test_the_focal_point_steers_the_crops():
    """3000 x 1000 with the red block in the top-left fifth: the 1200 x 630 crop is a
    1905-pixel-wide window that slides with the focal point."""
    article = with_lead_image(samples.jpeg((3000, 1000)), lead_image_focus_x=0)
    assert red_share_of_left_edge(article) == pytest.approx(0.2, abs=0.02)
    article.lead_image_focus_x = 100
    article.save()
    assert red_share_of_left_edge(article) == 0


def test_the_focal_point_keeps_the_red_corner_in_a_square_crop():
    author = AuthorFactory(photo_focus_x=0, photo_focus_y=0)
    author.photo = samples.verified(samples.jpeg((1000, 400)))
    author.save()
    name = author.photo_renditions["renditions"][0]["jpeg"]
    assert opened(author.photo.storage, name).getpixel((5, 5)) == pytest.approx(
        samples.RED, abs=20
    )
    author.photo_focus_x = 100
    author.save()
    name = author.photo_renditions["renditions"][0]["jpeg"]
    assert opened(author.photo.storage, name).getpixel((5, 5)) == pytest.approx(
        samples.BLUE, abs=20
    )


def test_saving_again_reuses_the_renditions(settings):
    article = with_lead_image(samples.jpeg())
    manifest, files = article.lead_image_renditions, samples.stored_files(settings)
    mtimes = {name: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for name in files}
    article.title_en = "A new title"
    article.save()
    reloaded = Article.objects.get(pk=article.pk)
    reloaded.save()
    assert reloaded.lead_image_renditions == manifest
    assert samples.stored_files(settings) == files
    assert {n: (settings.MEDIA_ROOT / n).stat().st_mtime_ns for n in files} == mtimes


def test_moving_the_focal_point_remakes_only_the_crops(
    settings, django_capture_on_commit_callbacks
):
    article = with_lead_image(samples.jpeg())
    before = article.lead_image_renditions["renditions"]
    with django_capture_on_commit_callbacks(execute=True):
        article.lead_image_focus_x = 20
        article.save()
    after = article.lead_image_renditions["renditions"]
    assert [e for e in after if e["group"] == "scaled"] == [
        e for e in before if e["group"] == "scaled"
    ]
    old_crop, new_crop = before[-1], after[-1]
    assert new_crop["key"] == "social-1200x630-f20-50"
    files = samples.stored_files(settings)
    assert {new_crop["webp"], new_crop["jpeg"]} <= files
    assert not {old_crop["webp"], old_crop["jpeg"]} & files


def owned_files(instance, field):
    return files_of(getattr(instance, f"{field}_renditions"))


def test_replacing_an_image_removes_the_old_original_and_renditions(
    settings, django_capture_on_commit_callbacks
):
    article = with_lead_image(samples.jpeg())
    old = owned_files(article, "lead_image")
    assert old <= samples.stored_files(settings) and len(old) == 17
    with django_capture_on_commit_callbacks(execute=True):
        article.lead_image = samples.verified(samples.png())
        article.save()
    assert samples.stored_files(settings) == owned_files(article, "lead_image")
    assert not old & samples.stored_files(settings)


def test_clearing_an_image_removes_its_files(settings, django_capture_on_commit_callbacks):
    author = AuthorFactory()
    author.photo = samples.verified(samples.jpeg((400, 400)))
    author.save()
    assert samples.stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        author.photo = None
        author.save()
    assert author.photo_renditions == {}
    assert samples.stored_files(settings) == set()


@pytest.mark.parametrize("model", ["article", "author"])
def test_deleting_the_owner_removes_every_file(
    settings, django_capture_on_commit_callbacks, model
):
    if model == "article":
        owner = with_lead_image(samples.jpeg())
    else:
        owner = AuthorFactory()
        owner.photo = samples.verified(samples.jpeg((400, 400)))
        owner.save()
    assert samples.stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        type(owner).objects.filter(pk=owner.pk).delete()
    assert samples.stored_files(settings) == set()


def test_files_are_kept_until_the_transaction_commits(
    settings, django_capture_on_commit_callbacks
):
    """A rolled-back replacement must not leave the saved row pointing at deleted files."""
    article = with_lead_image(samples.jpeg())
    old = owned_files(article, "lead_image")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.lead_image = samples.verified(samples.webp())
        article.save()
    assert callbacks and old <= samples.stored_files(settings)


def test_storage_goes_through_the_storages_setting(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    article = with_lead_image(samples.jpeg())
    storage = article.lead_image.storage
    assert all(storage.exists(name) for name in owned_files(article, "lead_image"))
    assert samples.stored_files(settings) == set()


def test_an_original_stored_before_renditions_is_served_as_it_is():
    article = with_lead_image(samples.jpeg())
    Article.objects.filter(pk=article.pk).update(lead_image_renditions={})
    article.refresh_from_db()
    picture = article.lead_image.picture
    assert picture.sources == []
    assert picture.src == article.lead_image.url
    assert (picture.width, picture.height) == (1500, 1000)
    assert Author.objects.count() == 1


def test_an_original_shared_by_two_rows_stays_until_the_last_one_goes(
    settings, django_capture_on_commit_callbacks
):
    """Imports name files by their content, so two articles may point at one file."""
    first = with_lead_image(samples.jpeg())
    second = ArticleFactory(lead_image=first.lead_image.name)
    files = owned_files(first, "lead_image")
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert files <= samples.stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert samples.stored_files(settings) == set()


def test_an_empty_focal_point_means_the_centre():
    article = with_lead_image(samples.jpeg(), lead_image_focus_x=None, lead_image_focus_y=None)
    assert article.lead_image_renditions["renditions"][-1]["key"] == "social-1200x630-f50-50"


def test_saving_through_a_proxy_model_makes_renditions_too():
    article = ArticleFactory()
    proxy = TranslationMatrix.objects.get(pk=article.pk)
    proxy.lead_image = samples.verified(samples.jpeg())
    proxy.save()
    assert proxy.lead_image_renditions["renditions"]
