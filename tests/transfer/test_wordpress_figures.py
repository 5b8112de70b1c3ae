"""Images in WordPress bodies (classic, [caption], [gallery], image and gallery blocks)
become figures and galleries of library images, found in the media folder as featured
images are; one that is not found is a warning naming the post, never an empty link."""

import re
from html import unescape

import pytest

from articles.models import Article
from newsroom.images.models import Image
from tests.transfer.conftest import run_import, write_image
from tests.transfer.wxr import attachment, export, post

pytestmark = pytest.mark.django_db

UPLOADS = "https://blog.example.org/wp-content/uploads"


def figures(body):
    """(image title, alt, caption) of each figure of a stored body, galleries marked."""
    found = []
    for tag in re.findall(r"<figure\b[^>]*>", body):
        data = {name: unescape(value) for name, value in re.findall(r'\s([\w-]+)="([^"]*)"', tag)}
        if "data-gallery" in data:
            found.append(("gallery", data.get("data-caption", "")))
        else:
            image = Image.objects.get(pk=data["data-image"])
            found.append((image.title, data.get("data-alt", ""), data.get("data-caption", "")))
    return found


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    for name, colour in [
        ("port", "navy"),
        ("quay", "teal"),
        ("dock", "olive"),
        ("crane", "maroon"),
    ]:
        write_image(folder / "2019" / "04" / f"{name}.png", colour)
    return folder


@pytest.fixture
def imported(write_wxr, uploads):
    """A post with each kind of image WordPress writes, and one whose file is missing."""
    body = "\n\n".join(
        [
            "Classic.",
            f'<a href="{UPLOADS}/2019/04/port.png"><img class="alignnone size-medium '
            f'wp-image-91" src="{UPLOADS}/2019/04/port-300x200.png" alt="The port" /></a>',
            f'[caption id="attachment_92" align="alignnone" width="300"]<img class="wp-image-92"'
            f' src="{UPLOADS}/2019/04/quay.png" alt="" /> The quay &amp; noon[/caption]',
            '[gallery ids="93,91"]',
            "[gallery]",
            '<!-- wp:image {"id":94} --><figure class="wp-block-image"><img '
            f'src="{UPLOADS}/2019/04/crane.png" alt="A crane" class="wp-image-94"/>'
            "<figcaption>Lifting</figcaption></figure><!-- /wp:image -->",
            '<!-- wp:gallery {"linkTo":"none"} --><figure class="wp-block-gallery">'
            '<!-- wp:image {"id":93} --><figure class="wp-block-image"><img '
            f'src="{UPLOADS}/2019/04/dock.png" alt="The dock" class="wp-image-93"/></figure>'
            '<!-- /wp:image --><!-- wp:image {"id":94} --><figure class="wp-block-image"><img '
            f'src="{UPLOADS}/2019/04/crane.png" alt="Crane again" class="wp-image-94"/>'
            '</figure><!-- /wp:image --><figcaption class="blocks-gallery-caption">Two '
            "views</figcaption></figure><!-- /wp:gallery -->",
            f'<a href="{UPLOADS}/2019/04/gone.jpg"><img src="{UPLOADS}/2019/04/gone.jpg" '
            'alt="Gone" /></a>',
            "The end.",
        ]
    )
    items = [
        attachment(91, f"{UPLOADS}/2019/04/port.png", alt="Port", parent=1),
        attachment(92, f"{UPLOADS}/2019/04/quay.png", parent=1),
        attachment(93, f"{UPLOADS}/2019/04/dock.png", alt="Dock", parent=7),
        attachment(94, f"{UPLOADS}/2019/04/crane.png", parent=1),
        post(1, "Pictures", body, slug="pictures"),
    ]
    output, warnings = run_import(write_wxr(export(*items)), "--media-dir", uploads)
    return Article.objects.get(slug_en="pictures").body_en, warnings


def test_inline_images_become_figures_of_library_images(imported):
    body, _warnings = imported
    assert figures(body)[0] == ("The port", "The port", "")
    assert ("The quay & noon", "The quay & noon", "The quay & noon") in figures(body)
    assert ("image-94", "A crane", "Lifting") in figures(body)
    assert body.startswith("<p>Classic.</p><figure data-image=")
    assert body.endswith("<p>The end.</p>")


def test_the_same_file_is_one_library_image(imported):
    assert Image.objects.count() == 4


def test_a_gallery_with_ids_shows_those_images_in_that_order(imported):
    body, _warnings = imported
    found = figures(body)
    start = found.index(("gallery", ""))
    assert [title for title, *_ in found[start + 1 : start + 3]] == ["Dock", "The port"]


def test_a_gallery_without_ids_shows_the_posts_attached_images(imported):
    body, _warnings = imported
    gallery = r'<figure data-gallery="grid"[^>]*>((?:<figure [^>]*></figure>)*)'
    galleries = re.findall(gallery, body)
    attached = re.findall(r'data-alt="([^"]*)"', galleries[1])
    assert attached == ["Port", "image-92", "image-94"]


def test_a_gallery_block_keeps_its_images_and_caption(imported):
    body, _warnings = imported
    assert ("gallery", "Two views") in figures(body)
    assert 'data-alt="The dock"' in body and 'data-alt="Crane again"' in body


def test_a_missing_file_is_a_warning_naming_the_post_and_leaves_no_empty_link(imported):
    body, warnings = imported
    assert "gone.jpg" not in body and "<a" not in body
    assert "(post 1): image left out: '2019/04/gone.jpg' not found" in warnings


def test_a_dry_run_names_a_missing_file_as_the_import_does(write_wxr, uploads):
    body = f'<img src="{UPLOADS}/2019/04/gone.jpg" alt="Gone" /> Text.'
    path = write_wxr(export(post(1, "Pictures", body, slug="pictures")))
    _output, warnings = run_import(path, "--media-dir", uploads, "--dry-run")
    assert "(post 1): image left out: '2019/04/gone.jpg' not found" in warnings
    assert not Article.objects.exists()


def test_an_image_without_alt_text_gets_its_caption_or_title_with_a_warning(imported):
    _body, warnings = imported
    assert "(post 1): image '2019/04/quay.png' has no alt text: 'The quay & noon' used" in (
        warnings
    )
    assert "(post 1): image '2019/04/crane.png' has no alt text: 'image-94' used" in warnings


def test_readers_see_the_imported_pictures(client, imported):
    article = Article.objects.get(slug_en="pictures")
    page = client.get(article.get_absolute_url("en")).content.decode()
    # Two alone, two and three in the [gallery] shortcodes, one block, two in a gallery block.
    assert page.count("<picture") == 1 + 1 + 2 + 3 + 1 + 2
    assert 'alt="The port"' in page and "Lifting" in page and "Two views" in page
    assert "gone.jpg" not in page
