"""Pages draw images as <picture> with srcset, sizes, width and height, from the row alone."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Article
from authors.models import Author
from newsroom.context_processors import navigation
from newsroom.images.models import Image
from newsroom.notices.shown import shown_notice
from tests.articles.test_queries import MAX_QUERIES, build_archive
from tests.factories import ArticleFactory, AuthorFactory
from tests.images import samples
from tests.reading.test_metadata import head

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return AuthorFactory(
        name_en="Lena Ortiz", photo=samples.library_image(samples.jpeg((500, 400)))
    )


@pytest.fixture
def article(author):
    return ArticleFactory(
        authors=[author],
        image_alt_en="A harbour crane at dusk",
        lead_image=samples.library_image(samples.jpeg((1500, 1000))),
    )


def pictures(html):
    return re.findall(r"<picture>.*?</picture>", html, flags=re.S)


def pictures_of_class(html, css_class):
    return [p for p in pictures(html) if attribute(p, "img", "class") == css_class]


def attribute(tag_html, tag, name):
    found = re.search(rf'<{tag}\b[^>]*\s{name}="([^"]*)"', tag_html)
    return found and found.group(1)


def srcset_widths(srcset):
    return [int(item.rsplit(" ", 1)[1].rstrip("w")) for item in srcset.split(", ")]


def test_the_lead_image_is_a_picture_with_webp_and_jpeg_sizes_and_dimensions(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    lead, byline_photo = pictures(html)
    webp = attribute(lead, "source", "srcset")
    assert attribute(lead, "source", "type") == "image/webp"
    assert srcset_widths(webp) == [320, 640, 960, 1280, 1500]
    assert all(url.endswith(".webp") for url in re.findall(r"(\S+) \d+w", webp))
    assert srcset_widths(attribute(lead, "img", "srcset")) == [320, 640, 960, 1280, 1500]
    assert attribute(lead, "img", "sizes") == "(min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)"
    assert (attribute(lead, "img", "width"), attribute(lead, "img", "height")) == ("1500", "1000")
    assert attribute(lead, "img", "alt") == "A harbour crane at dusk"
    assert "loading=" not in lead, "the lead image is above the fold"
    assert attribute(byline_photo, "img", "loading") == "lazy"
    assert (attribute(byline_photo, "img", "width"), attribute(byline_photo, "img", "height")) == (
        "72",
        "72",
    )
    assert srcset_widths(attribute(byline_photo, "source", "srcset")) == [160, 320, 400]


def test_the_open_graph_image_is_the_1200_by_630_rendition(client, article):
    page = head(client, article.get_absolute_url())
    (image,) = page.meta["og:image"]
    assert re.fullmatch(
        r"http://testserver/media/renditions/.+/social-1200x630-f50-50\.jpg", image
    )
    assert page.meta["og:image:width"] == ["1200"]
    assert page.meta["og:image:height"] == ["630"]
    assert page.meta["twitter:image"] == [image]
    (json_ld,) = page.json_ld
    assert json_ld["image"] == [f"http://testserver{article.lead_image.picture.src}"]
    assert json_ld["image"][0].endswith("/1500w.jpg")


def test_the_home_lead_story_has_its_picture(client, article):
    (lead,) = pictures_of_class(
        client.get(reverse("articles:home")).content.decode(), "teaser__image"
    )
    assert attribute(lead, "img", "width") == "1500"


def test_author_pages_show_square_photos(client, article, author):
    html = client.get(author.get_absolute_url()).content.decode()
    (photo,) = pictures_of_class(html, "author-header__photo")
    assert (attribute(photo, "img", "width"), attribute(photo, "img", "sizes")) == ("120", "120px")
    assert "loading=" not in photo
    (photo,) = pictures(client.get(reverse("authors:list")).content.decode())
    assert (attribute(photo, "img", "width"), attribute(photo, "img", "loading")) == ("64", "lazy")
    assert "/square-320x320-f50-50.webp 320w" in attribute(photo, "source", "srcset")


def test_no_image_no_picture(client):
    article = ArticleFactory()
    assert pictures(client.get(article.get_absolute_url()).content.decode()) == []
    assert "og:image" not in head(client, article.get_absolute_url()).meta


def test_an_image_without_renditions_is_served_as_stored(client, article):
    Image.objects.update(file_renditions={})
    lead = pictures(client.get(article.get_absolute_url()).content.decode())[0]
    assert "<source" not in lead and "srcset" not in lead
    assert attribute(lead, "img", "src") == article.lead_image.file.url
    assert attribute(lead, "img", "width") == "1500"


def test_an_undecodable_file_written_outside_forms_saves_and_is_not_shown(client):
    """Its size cannot be read, so no browser could draw it either: no broken image."""
    image = Image.objects.create(
        title="Cut short", file=samples.upload(samples.jpeg()[:300], "cut.jpg")
    )
    article = ArticleFactory(lead_image=image)
    assert image.file_renditions == {"source": image.file.name, "renditions": []}
    assert image.file.original_size == (None, None)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert pictures(response.content.decode()) == []


@pytest.mark.parametrize("page", ["home", "article", "author", "contributors"])
def test_pictures_cost_no_query(client, django_assert_max_num_queries, article, author, page):
    urls = build_archive(4)
    Article.objects.update(lead_image=article.lead_image)
    Author.objects.update(photo=author.photo)
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(urls[page])
    assert response.status_code == 200
    assert "<picture>" in response.content.decode()


def test_teasers_in_lists_show_the_focal_point_crop_lazily_at_its_size(
    client, article, django_assert_max_num_queries
):
    """Section, topic, author and archive lists, search results, the home page's latest
    and section blocks and "More on this topic" all show the small crop, read from the
    row's manifest: no query of their own."""
    other = ArticleFactory(section=article.section, related=[article])
    for page, url in [("home", "/en/"), ("section", article.section.get_absolute_url())]:
        cache.clear()
        shown_notice()  # As by any earlier page view (see test_queries).
        navigation()
        with django_assert_max_num_queries(MAX_QUERIES[page]):
            assert client.get(url).status_code == 200
    urls = [
        article.section.get_absolute_url(),
        article.byline[0].get_absolute_url(),
        reverse("articles:archive-year", kwargs={"year": article.published_at.year}),
        reverse("articles:search") + "?q=story",
        reverse("articles:home"),
    ]
    for url in urls:
        (thumbnail,) = pictures_of_class(client.get(url).content.decode(), "teaser__thumbnail")
        assert (attribute(thumbnail, "img", "width"), attribute(thumbnail, "img", "height")) == (
            "240",
            "160",
        ), url
        assert attribute(thumbnail, "img", "loading") == "lazy", url
        assert "/teaser-480x320-f50-50.webp 480w" in attribute(thumbnail, "source", "srcset")
    html = client.get(other.get_absolute_url()).content.decode()
    (thumbnail,) = pictures_of_class(html, "more__thumbnail")
    assert attribute(thumbnail, "img", "width") == "96"
    assert "/teaser-240x160-f50-50.jpg" in attribute(thumbnail, "img", "src") or (
        "/teaser-480x320-f50-50.jpg" in attribute(thumbnail, "img", "src")
    )


def test_the_focal_point_moves_the_teaser_crop(client, article):
    article.lead_image.file_focus_x, article.lead_image.file_focus_y = 10, 90
    article.lead_image.save()
    html = client.get(article.section.get_absolute_url()).content.decode()
    (thumbnail,) = pictures_of_class(html, "teaser__thumbnail")
    assert "/teaser-480x320-f10-90.webp 480w" in attribute(thumbnail, "source", "srcset")
