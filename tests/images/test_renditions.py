"""Renditions of library images: made once on save, at the widths and crops the layout
needs, never upscaled, steered by the focal point, and removed with the image."""

import io

import pytest
from PIL import Image as PillowImage

from newsroom.images.models import Image
from newsroom.images.renditions import files_of
from tests.factories import AuthorFactory
from tests.images import samples

pytestmark = pytest.mark.django_db


def opened(storage, name):
    with storage.open(name) as stored:
        image = PillowImage.open(io.BytesIO(stored.read()))
        image.load()
    return image


def test_lead_image_widths_in_webp_and_jpeg_never_upscaled():
    image = samples.library_image(samples.jpeg((1500, 1000)))
    picture = image.picture
    assert [(s.width, s.height) for s in picture.sources] == [
        (320, 213),
        (640, 427),
        (960, 640),
        (1280, 853),
        (1500, 1000),
    ]
    storage = image.file.storage
    for entry in image.file_renditions["renditions"]:
        webp, jpeg = opened(storage, entry["webp"]), opened(storage, entry["jpeg"])
        assert (webp.format, jpeg.format) == ("WEBP", "JPEG")
        assert webp.size == jpeg.size == (entry["width"], entry["height"])


def test_a_large_original_stops_at_1920_pixels():
    image = samples.library_image(samples.jpeg((2400, 1600)))
    assert [s.width for s in image.picture.sources] == [320, 640, 960, 1280, 1920]
    assert image.picture.src.endswith("/1920w.jpg")


def test_the_social_image_is_a_1200_by_630_jpeg():
    image = samples.library_image(samples.jpeg((1500, 1000)))
    social = image.crops["social"]
    assert (social.width, social.height) == (1200, 630)
    image = opened(image.file.storage, social.sources[0].jpeg_url.split("/media/")[1])
    assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_author_photos_get_square_crops_without_repeating_a_small_original():
    author = AuthorFactory(photo=samples.library_image(samples.jpeg((300, 450))))
    square = author.photo.crops["square"]
    assert [(s.width, s.height) for s in square.sources] == [(160, 160), (300, 300)]


def red_share_of_left_edge(image):
    """How much of the social crop's left-most column is the red block."""
    name = image.file_renditions["renditions"][-1]["jpeg"]
    image = opened(image.file.storage, name).convert("RGB")
    column = [image.getpixel((0, y)) for y in range(image.height)]
    return sum(1 for r, _g, b in column if r > 150 and b < 100) / len(column)


def test_the_focal_point_steers_the_crops():
    """3000 x 1000 with the red block in the top-left fifth: the 1200 x 630 crop is a
    1905-pixel-wide window that slides with the focal point."""
    image = samples.library_image(samples.jpeg((3000, 1000)), file_focus_x=0)
    assert red_share_of_left_edge(image) == pytest.approx(0.2, abs=0.02)
    image.file_focus_x = 100
    image.save()
    assert red_share_of_left_edge(image) == 0


def smallest_square(image):
    square = next(e for e in image.file_renditions["renditions"] if e["group"] == "square")
    return opened(image.file.storage, square["jpeg"])


def test_the_focal_point_keeps_the_red_corner_in_a_square_crop():
    image = samples.library_image(samples.jpeg((1000, 400)), file_focus_x=0, file_focus_y=0)
    assert smallest_square(image).getpixel((5, 5)) == pytest.approx(samples.RED, abs=20)
    image.file_focus_x = 100
    image.save()
    assert smallest_square(image).getpixel((5, 5)) == pytest.approx(samples.BLUE, abs=20)


def test_saving_again_reuses_the_renditions(settings):
    image = samples.library_image(samples.jpeg())
    manifest, files = image.file_renditions, samples.stored_files(settings)
    mtimes = {name: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for name in files}
    image.title = "A new title"
    image.save()
    reloaded = Image.objects.get(pk=image.pk)
    reloaded.save()
    assert reloaded.file_renditions == manifest
    assert samples.stored_files(settings) == files
    assert {n: (settings.MEDIA_ROOT / n).stat().st_mtime_ns for n in files} == mtimes


def test_moving_the_focal_point_remakes_only_the_crops(
    settings, django_capture_on_commit_callbacks
):
    image = samples.library_image(samples.jpeg())
    before = image.file_renditions["renditions"]
    with django_capture_on_commit_callbacks(execute=True):
        image.file_focus_x = 20
        image.save()
    after = image.file_renditions["renditions"]
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
    image = samples.library_image(samples.jpeg())
    old = owned_files(image, "file")
    assert old <= samples.stored_files(settings) and len(old) == 23
    with django_capture_on_commit_callbacks(execute=True):
        image.file = samples.verified(samples.png())
        image.save()
    assert samples.stored_files(settings) == owned_files(image, "file")
    assert not old & samples.stored_files(settings)


def test_an_author_who_stops_using_a_photo_leaves_it_in_the_library(
    settings, django_capture_on_commit_callbacks
):
    image = samples.library_image(samples.jpeg((400, 400)))
    author = AuthorFactory(photo=image)
    files = samples.stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        author.photo = None
        author.save()
    assert Image.objects.filter(pk=image.pk).exists()
    assert samples.stored_files(settings) == files


def test_deleting_the_image_removes_every_file(settings, django_capture_on_commit_callbacks):
    image = samples.library_image(samples.jpeg())
    assert samples.stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.filter(pk=image.pk).delete()
    assert samples.stored_files(settings) == set()


def test_files_are_kept_until_the_transaction_commits(
    settings, django_capture_on_commit_callbacks
):
    """A rolled-back replacement must not leave the saved row pointing at deleted files."""
    image = samples.library_image(samples.jpeg())
    old = owned_files(image, "file")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image.file = samples.verified(samples.webp())
        image.save()
    assert callbacks and old <= samples.stored_files(settings)


def test_storage_goes_through_the_storages_setting(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    image = samples.library_image(samples.jpeg())
    storage = image.file.storage
    assert all(storage.exists(name) for name in owned_files(image, "file"))
    assert samples.stored_files(settings) == set()


def test_an_original_stored_before_renditions_is_served_as_it_is():
    image = samples.library_image(samples.jpeg())
    Image.objects.filter(pk=image.pk).update(file_renditions={})
    image.refresh_from_db()
    picture = image.picture
    assert picture.sources == []
    assert picture.src == image.file.url
    assert (picture.width, picture.height) == (1500, 1000)


def test_an_original_shared_by_two_rows_stays_until_the_last_one_goes(
    settings, django_capture_on_commit_callbacks
):
    """Imports name files by their content, so two images may point at one file."""
    first = samples.library_image(samples.jpeg())
    second = Image.objects.create(title="The same file", file=first.file.name)
    files = owned_files(first, "file")
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert files <= samples.stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert samples.stored_files(settings) == set()


def test_an_empty_focal_point_means_the_centre():
    image = samples.library_image(samples.jpeg(), file_focus_x=None, file_focus_y=None)
    assert image.file_renditions["renditions"][-1]["key"] == "social-1200x630-f50-50"
