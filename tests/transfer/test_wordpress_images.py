"""Featured images found in the copied uploads folder by their address alone."""

import pytest

from articles.models import Article
from tests.transfer.conftest import run_import, write_image
from tests.transfer.wxr import attachment, export, meta, post

pytestmark = pytest.mark.django_db


def featured(post_id, attachment_id, url):
    return attachment(attachment_id, url, alt="A harbour") + post(
        post_id, slug=f"post-{post_id}", extra=meta("_thumbnail_id", attachment_id)
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example.org/wp-content/uploads/2019/04/port.png",
        "https://oldblog.files.wordpress.com/2019/04/port.png",
        "https://cdn.example.net/site/wp-content/uploads/2019/04/port.png?w=1024",
    ],
    ids=["self-hosted", "wordpress.com", "cdn"],
)
def test_a_featured_image_given_only_by_its_address_is_found_in_the_media_folder(
    write_wxr, tmp_path, url
):
    write_image(tmp_path / "uploads" / "2019" / "04" / "port.png")
    run_import(write_wxr(export(featured(1, 90, url))), "--media-dir", tmp_path / "uploads")
    article = Article.objects.get(slug_en="post-1")
    assert article.lead_image.file.name.startswith("articles/imported/")
    assert article.image_alt_en == "A harbour"


def test_a_featured_image_missing_from_the_media_folder_is_a_warning_naming_the_post(
    write_wxr, tmp_path
):
    (tmp_path / "uploads").mkdir()
    url = "https://blog.example.org/wp-content/uploads/2019/04/gone.png"
    _output, warnings = run_import(
        write_wxr(export(featured(1, 90, url))), "--media-dir", tmp_path / "uploads"
    )
    assert "item 2 (post 1): featured image left out: '2019/04/gone.png' not found" in warnings
    assert not Article.objects.get(slug_en="post-1").lead_image


def test_a_featured_image_outside_any_uploads_folder_is_a_warning(write_wxr, tmp_path):
    url = "https://elsewhere.example.net/pictures/port.png"
    _output, warnings = run_import(
        write_wxr(export(featured(1, 90, url))), "--media-dir", tmp_path
    )
    assert "item 2 (post 1): featured image left out: its address" in warnings
