"""`manage.py rebuild_renditions`: remakes every rendition, or only the missing ones."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from newsroom.images.models import Image
from newsroom.images.renditions import files_of
from tests.factories import ArticleFactory, AuthorFactory
from tests.images import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(lead_image=samples.library_image(samples.jpeg((1300, 700))))


@pytest.fixture
def author():
    return AuthorFactory(photo=samples.library_image(samples.jpeg((400, 400))))


def run(*args):
    out = StringIO()
    call_command("rebuild_renditions", *args, stdout=out)
    return out.getvalue()


def test_images_stored_before_renditions_get_them(article, author, settings):
    Image.objects.filter(pk=article.lead_image.pk).update(file_renditions={})
    output = run("--missing-only")
    assert "[2/2] images checked" in output
    assert "2 images checked, made 11 renditions for 1 of them." in output
    article.lead_image.refresh_from_db()
    assert [entry["key"] for entry in article.lead_image.file_renditions["renditions"]] == [
        "320w",
        "640w",
        "960w",
        "1280w",
        "1300w",
        "teaser-240x160-f50-50",
        "teaser-480x320-f50-50",
        "square-160x160-f50-50",
        "square-320x320-f50-50",
        "square-640x640-f50-50",
        "social-1200x630-f50-50",
    ]
    assert all(
        (settings.MEDIA_ROOT / name).exists()
        for name in files_of(article.lead_image.file_renditions)
    )


def test_missing_only_remakes_just_the_files_that_are_gone(article, author, settings):
    entry = article.lead_image.file_renditions["renditions"][1]
    (settings.MEDIA_ROOT / entry["webp"]).unlink()
    assert "made 1 renditions for 1 of them." in run("--missing-only")
    assert (settings.MEDIA_ROOT / entry["webp"]).exists()
    assert "made 0 renditions for 0 of them." in run("--missing-only")


def test_a_full_rebuild_rewrites_every_file_under_the_same_names(article, author, settings):
    before = files_of(article.lead_image.file_renditions) | files_of(author.photo.file_renditions)
    mtimes = {name: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for name in before}
    assert "2 images checked, made 19 renditions for 2 of them." in run()
    article.lead_image.refresh_from_db()
    author.photo.refresh_from_db()
    after = files_of(article.lead_image.file_renditions) | files_of(author.photo.file_renditions)
    assert after == before
    originals = {article.lead_image.file.name, author.photo.file.name}
    for name in before - originals:
        assert (settings.MEDIA_ROOT / name).stat().st_mtime_ns > mtimes[name]


def test_dry_run_changes_nothing(article, settings):
    Image.objects.update(file_renditions={})
    files = sorted(settings.MEDIA_ROOT.rglob("*"))
    assert "would make 11 renditions for 1 of them." in run("--missing-only", "--dry-run")
    assert sorted(settings.MEDIA_ROOT.rglob("*")) == files
    assert Image.objects.get().file_renditions == {}


def test_an_unreadable_original_fails_the_command_after_the_others(article, author, settings):
    Image.objects.update(file_renditions={})
    (settings.MEDIA_ROOT / author.photo.file.name).write_bytes(b"not an image")
    with pytest.raises(CommandError, match=f"images.image {author.photo.pk}: "):
        run("--missing-only")
    article.lead_image.refresh_from_db()
    assert article.lead_image.file_renditions["renditions"]


def test_the_page_cache_learns_of_rebuilt_renditions(client, article):
    Image.objects.update(file_renditions={})
    assert "srcset" not in client.get(article.get_absolute_url()).content.decode()
    run("--missing-only")
    assert "srcset" in client.get(article.get_absolute_url()).content.decode()
