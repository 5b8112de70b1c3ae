"""Pages never touch image files: sizes are stored when images are written (the demo, the
import and rebuild_renditions here; the admin in test_uploads), and a file gone from
storage costs its image, never the page."""

import json
import shutil
from collections import Counter
from io import StringIO

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Section, Topic
from authors.models import Author
from newsroom.images.models import Image
from newsroom.images.renditions import files_of
from tests.factories import ArticleFactory, AuthorFactory
from tests.images import samples
from tests.reading.pages import LANGUAGES, load_demo, reading_pages

pytestmark = pytest.mark.django_db

STORAGE_READS = ("_open", "exists", "size", "listdir", "get_modified_time", "get_accessed_time")


@pytest.fixture
def storage_reads(monkeypatch):
    """Every read of the file storage from now on, as (method, name)."""
    reads = []
    for method in STORAGE_READS:
        real = getattr(FileSystemStorage, method)

        def recording(storage, name, *args, _method=method, _real=real, **kwargs):
            reads.append((_method, name))
            return _real(storage, name, *args, **kwargs)

        monkeypatch.setattr(FileSystemStorage, method, recording)
    return reads


def public_pages():
    """One page of every public kind, in every language, of the demo publication."""
    paths = ["/sitemap.xml"] + [
        reverse("sitemap", kwargs={"section": name})
        for name in ["home", "articles", "sections", "topics", "authors"]
    ]
    for language in LANGUAGES:
        pages = reading_pages(language)
        paths += pages.values()
        with translation.override(language):
            section = Section.objects.first().get_absolute_url()
            topic = Topic.objects.filter(children__isnull=False).first().get_absolute_url()
            paths += [
                reverse("articles:rss"),
                reverse("articles:atom"),
                reverse("articles:news-sitemap"),
                f"{section}rss/",
                f"{topic}atom/",
                f"{pages['author']}rss/",
            ]
    return paths


def image_sizes():
    return list(Image.objects.values_list("file_width", "file_height"))


def test_the_demo_stores_the_size_of_every_image():
    load_demo()
    sizes = image_sizes()
    assert sizes and all(width and height for width, height in sizes)
    assert not Article.objects.filter(lead_image=None).exists()
    assert not Author.objects.filter(photo=None).exists()


@pytest.mark.parametrize("sizes", ["stored", "never stored"])
def test_no_page_opens_an_image_file_even_when_every_file_is_gone(
    client, settings, storage_reads, sizes
):
    """The demo's images, then the media folder emptied: every public page of every kind
    still answers 200, without a single read of the storage; also on a database from
    before sizes were stored, until `rebuild_renditions` fills them."""
    load_demo()
    if sizes == "never stored":
        Image.objects.update(file_width=None, file_height=None)
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    paths = public_pages()
    storage_reads.clear()
    shutil.rmtree(settings.MEDIA_ROOT)
    statuses = {path: client.get(path).status_code for path in paths}
    assert {path: status for path, status in statuses.items() if status != 200} == {}
    assert Counter(method for method, _name in storage_reads) == Counter()


@pytest.fixture
def author(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    author = AuthorFactory(photo=samples.library_image(samples.jpeg((400, 400))))
    ArticleFactory(authors=[author])
    return author


def photos(html):
    return html.count("<picture")


def rebuild_missing():
    call_command("rebuild_renditions", "--missing-only", stdout=StringIO(), stderr=StringIO())


def test_an_author_page_whose_photo_file_is_gone_renders_without_it(client, author, settings):
    url = author.get_absolute_url()
    assert photos(client.get(url).content.decode()) == 1
    for name in files_of(author.photo.file_renditions):
        (settings.MEDIA_ROOT / name).unlink()
    assert client.get(url).status_code == 200
    with pytest.raises(CommandError, match=f"images.image {author.photo.pk}: "):
        rebuild_missing()
    response = client.get(url)
    assert response.status_code == 200
    assert photos(response.content.decode()) == 0
    assert photos(client.get(reverse("authors:list")).content.decode()) == 0


def test_renditions_still_in_storage_are_shown_when_only_the_original_is_gone(
    client, author, settings
):
    (settings.MEDIA_ROOT / author.photo.file.name).unlink()
    first_crop = next(
        entry for entry in author.photo.file_renditions["renditions"] if entry["group"] == "square"
    )
    (settings.MEDIA_ROOT / first_crop["webp"]).unlink()
    with pytest.raises(CommandError):
        rebuild_missing()
    author.photo.refresh_from_db()
    kept = [entry["key"] for entry in author.photo.file_renditions["renditions"]]
    assert first_crop["key"] not in kept and kept
    html = client.get(author.get_absolute_url()).content.decode()
    assert photos(html) == 1 and first_crop["jpeg"] not in html


def test_an_image_restored_to_storage_is_shown_again(client, author, settings, tmp_path):
    saved = tmp_path / "photo"
    shutil.copy(settings.MEDIA_ROOT / author.photo.file.name, saved)
    for name in files_of(author.photo.file_renditions):
        (settings.MEDIA_ROOT / name).unlink()
    with pytest.raises(CommandError):
        rebuild_missing()
    shutil.copy(saved, settings.MEDIA_ROOT / author.photo.file.name)
    rebuild_missing()
    assert photos(client.get(author.get_absolute_url()).content.decode()) == 1


def test_rebuilding_fills_the_size_of_images_stored_without_it(author):
    Image.objects.update(file_width=None, file_height=None)
    rebuild_missing()
    assert image_sizes() == [(400, 400)]


def test_an_imported_image_has_its_size_stored(tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "lea.jpg").write_bytes(samples.jpeg((300, 250)))
    source = tmp_path / "authors.json"
    source.write_text(
        json.dumps(
            {
                "format": "newsroom-articles",
                "version": 1,
                "authors": [
                    {"key": "author/lea", "name": {"en": "Léa"}, "photo": "people/lea.jpg"}
                ],
            }
        )
    )
    call_command("import_articles", source, "--media-dir", tmp_path, stdout=StringIO())
    assert image_sizes() == [(300, 250)]
    assert Author.objects.get().photo.file_width == 300


def test_the_desk_asks_for_an_image_whose_file_is_gone(admin_client, author, settings):
    for name in files_of(author.photo.file_renditions):
        (settings.MEDIA_ROOT / name).unlink()
    with pytest.raises(CommandError):
        rebuild_missing()
    response = admin_client.get(reverse("admin:images_image_change", args=[author.photo.pk]))
    assert response.status_code == 200
    assert "The image file cannot be read: upload the image again." in response.content.decode()


def test_rebuilding_fills_the_length_feeds_give_for_images_stored_without_it(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    image = samples.library_image(samples.jpeg((1300, 700)))
    ArticleFactory(lead_image=image)
    length = (settings.MEDIA_ROOT / image.file.name).stat().st_size
    assert image.file_renditions["bytes"] == length
    manifest = dict(image.file_renditions)
    del manifest["bytes"]
    Image.objects.update(file_renditions=manifest)
    assert "<enclosure" not in client.get(reverse("articles:rss")).content.decode()
    rebuild_missing()
    assert f'length="{length}"' in client.get(reverse("articles:rss")).content.decode()
