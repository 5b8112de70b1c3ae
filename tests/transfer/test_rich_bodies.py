"""Tables, notes and embeds go through export and import unchanged, embed thumbnails with
their files."""

import io
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article
from newsroom.transfer.models import SourceKey
from tests.articles.test_rich_bodies import RICH, YOUTUBE
from tests.factories import ArticleFactory
from tests.transfer.conftest import run_import
from tests.transfer.test_export import export

pytestmark = pytest.mark.django_db

THUMBNAIL = "embeds/" + "a" * 40 + ".jpg"


def stored_thumbnail():
    picture = io.BytesIO()
    Image.new("RGB", (64, 36), "teal").save(picture, "JPEG")
    default_storage.save(THUMBNAIL, ContentFile(picture.getvalue()))


@pytest.fixture
def exported(tmp_path, settings):
    """An article with every kind of element, exported, then gone from the site with its
    thumbnail (the old site's media folder keeps a copy)."""
    stored_thumbnail()
    body = (
        RICH
        + f'<div data-embed="{YOUTUBE}&t=1" data-title="Clip" data-thumbnail="{THUMBNAIL}"></div>'
    )
    article = ArticleFactory(body_en=body, body_fr=body, translated=True)
    stored = {code: getattr(article, f"body_{code}") for code in ("en", "fr")}
    path = tmp_path / "export.json"
    path.write_text(export(), "utf-8")
    old_media = tmp_path / "old-media"
    shutil.copytree(settings.MEDIA_ROOT, old_media)
    SourceKey.objects.filter(content_type__model="article").delete()
    Article.objects.all().delete()
    default_storage.delete(THUMBNAIL)
    return path, old_media, stored


def test_export_then_import_keeps_tables_notes_and_embeds(exported):
    path, old_media, stored = exported
    run_import(path, "--media-dir", old_media)
    article = Article.objects.get()
    assert {"en": article.body_en, "fr": article.body_fr} == stored
    assert 'data-thumbnail="' + THUMBNAIL in article.body_en
    assert default_storage.exists(THUMBNAIL)


def test_an_embed_thumbnail_missing_from_the_media_folder_is_left_out_with_a_warning(
    exported, tmp_path
):
    path, _old_media, stored = exported
    empty = tmp_path / "empty"
    empty.mkdir()
    _output, warnings = run_import(path, "--media-dir", empty)
    assert "embed thumbnail left out" in warnings
    article = Article.objects.get()
    assert article.body_en == stored["en"].replace(f' data-thumbnail="{THUMBNAIL}"', "")


def test_a_dry_run_names_a_missing_embed_thumbnail_as_the_import_does(exported, tmp_path):
    path, _old_media, _stored = exported
    empty = tmp_path / "empty"
    empty.mkdir()
    _output, warnings = run_import(path, "--media-dir", empty, "--dry-run")
    assert "embed thumbnail left out" in warnings
    assert not Article.objects.exists()
