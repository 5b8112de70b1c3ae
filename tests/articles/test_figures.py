"""Figures and galleries: library images in a body, stored by id with each language's alt
text, caption and credit, drawn for readers as <picture>, for feeds as plain <img>."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.sanitize import clean_html
from newsroom.images.models import Image
from tests.factories import ArticleFactory, AuthorFactory, PageFactory
from tests.html_forms import form_values
from tests.images import samples
from tests.images.test_markup import attribute, pictures
from tests.reading.test_metadata import head

pytestmark = pytest.mark.django_db


def figure(image, **texts):
    """A figure as the editor stores it."""
    values = {"data-image": image.pk, "data-size": "text", "data-alt": "Cranes at dusk"}
    values |= {f"data-{name}": value for name, value in texts.items()}
    return "<figure " + " ".join(f'{k}="{v}"' for k, v in values.items()) + "></figure>"


@pytest.fixture
def harbour():
    return samples.library_image(
        samples.jpeg((1500, 1000)), title="Harbour", caption="The harbour", credit="Ana Lee"
    )


def test_the_sanitizer_keeps_a_figure_exactly_as_the_editor_stores_it(harbour):
    stored = (
        f'<figure data-image="{harbour.pk}" data-size="wide" data-alt="Cranes &amp; ships" '
        'data-caption="At night" data-credit="Bo" data-href="https://example.org/port">'
        "</figure>"
    )
    assert clean_html(stored) == stored
    gallery = f'<figure data-gallery="grid" data-caption="Ports">{stored}{stored}</figure>'
    assert clean_html(gallery) == gallery


@pytest.mark.parametrize(
    "attributes",
    [
        'data-image="12" data-href="javascript:alert(1)"',
        'data-image="12" data-href=" https://example.org"',
        'data-image="12" data-size="huge"',
        'data-image="12" src="/media/x.jpg"',
        'data-image="12" style="width:9999px"',
        'data-image="12" onclick="alert(1)"',
        'data-image="12" data-gallery="carousel"',
        'data-image="12" data-image-src="/media/x.jpg"',
    ],
)
def test_the_sanitizer_refuses_anything_else_on_a_figure(attributes):
    assert clean_html(f"<figure {attributes}></figure>") == '<figure data-image="12"></figure>'


@pytest.mark.parametrize("value", ["x", "0", "-1", "12 ", "1e3"])
def test_an_image_reference_is_an_id(value):
    assert clean_html(f'<figure data-image="{value}"></figure>') == ""


def test_a_figure_neither_image_nor_gallery_keeps_only_its_text():
    assert clean_html("<figure><p>Chart</p><img src=x></figure>") == "<p>Chart</p>"


def test_file_addresses_never_reach_a_body():
    html = '<figure data-image="3"><img src="/a.jpg" alt="A"><figcaption>C</figcaption></figure>'
    assert clean_html(html) == '<figure data-image="3">C</figure>'


def test_a_figure_without_alt_text_is_refused_with_a_clear_message(admin_client, harbour):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    values = form_values(admin_client.get(url).content.decode())
    values["body_fr"] = "<p>Texte.</p>" + figure(harbour, alt="")
    response = admin_client.post(url, values)
    assert response.status_code == 200
    assert "A figure has no alt text: say in a few words what its image shows." in (
        response.content.decode()
    )
    values["body_fr"] = "<p>Texte.</p>" + figure(harbour, alt="Des grues au crépuscule")
    assert admin_client.post(url, values).status_code == 302
    assert f'data-image="{harbour.pk}"' in Article.objects.get(pk=article.pk).body_fr


def test_a_direct_save_keeps_the_figure_and_strips_what_is_not_allowed(harbour):
    article = ArticleFactory(body_en=f"<p>Text.</p>{figure(harbour)}<img src=x onerror=alert(1)>")
    article.refresh_from_db()
    assert article.body_en == f"<p>Text.</p>{figure(harbour)}"


def test_readers_get_a_picture_with_caption_and_credit(client, harbour):
    article = ArticleFactory(
        body_en=f"<p>Before.</p>{figure(harbour, size='wide', credit='Photo: Bo')}<p>After.</p>"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    found = re.search(r'<figure class="figure figure--wide">.*?</figure>', html, re.S)
    assert found, html
    shown = found[0]
    (picture,) = pictures(shown)
    assert attribute(picture, "source", "type") == "image/webp"
    assert attribute(picture, "img", "sizes") == (
        "(min-width: 62.5rem) 60rem, calc(100vw - 2.5rem)"
    )
    assert (attribute(picture, "img", "width"), attribute(picture, "img", "height")) == (
        "1500",
        "1000",
    )
    assert attribute(picture, "img", "alt") == "Cranes at dusk"
    assert attribute(picture, "img", "loading") == "lazy"
    assert "/media/renditions/" in attribute(picture, "img", "srcset")
    assert '<figcaption>The harbour <span class="credit">Photo: Bo</span></figcaption>' in shown


def test_a_figure_with_a_link_and_a_gallery(client, harbour):
    other = samples.library_image(samples.jpeg((800, 600)), title="Quay")
    gallery = (
        f'<figure data-gallery="grid" data-caption="Two ports">'
        f"{figure(harbour)}{figure(other, alt='A quay')}</figure>"
    )
    article = ArticleFactory(body_en=figure(harbour, href="https://example.org/port") + gallery)
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<a href="https://example.org/port"><picture>', html)
    found = re.search(r'<figure class="gallery gallery--grid">.*</figure>', html, re.S)
    assert len(pictures(found[0])) == 2
    assert "<figcaption>Two ports</figcaption>" in found[0]


def test_a_figure_whose_image_is_gone_shows_nothing(client, harbour):
    article = ArticleFactory(body_en=f"<p>Text.</p>{figure(harbour)}", status="draft")
    Image.objects.filter(pk=harbour.pk).delete()
    Article.objects.filter(pk=article.pk).update(status="published")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Text.</p>" in html and 'class="figure' not in html


def test_one_query_for_all_of_a_bodys_images_whatever_their_number(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    images = [samples.library_image(samples.jpeg((400, 300))) for _ in range(20)]
    articles = {
        0: ArticleFactory(body_en="<p>No figure.</p>"),
        1: ArticleFactory(body_en=figure(images[0])),
        20: ArticleFactory(body_en="".join(figure(image) for image in images)),
    }
    queries = {}
    for count, article in articles.items():
        client.get(article.get_absolute_url())  # what a page remembers across requests
        with CaptureQueriesContext(connection) as captured:
            html = client.get(article.get_absolute_url()).content.decode()
        assert html.count('class="figure ') == count
        queries[count] = len(captured)
    assert queries[1] == queries[20] == queries[0] + 1


def test_feeds_give_plain_images_with_absolute_addresses(client, harbour):
    ArticleFactory(body_en=f"<p>Text.</p>{figure(harbour)}")
    xml = client.get(reverse("articles:rss")).content.decode()
    assert '&lt;img src="http://testserver/media/renditions/' in xml
    assert "&lt;picture" not in xml


def test_a_feed_reads_the_images_of_all_its_items_in_one_query(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    images = [samples.library_image(samples.jpeg((400, 300))) for _ in range(5)]
    ArticleFactory(body_en=figure(images[0]))
    queries = []
    for count in (1, 5):
        if count == 5:
            for image in images[1:]:
                ArticleFactory(body_en=figure(image) + figure(images[0]))
        client.get(reverse("articles:rss"))  # what a feed remembers across requests
        with CaptureQueriesContext(connection) as captured:
            xml = client.get(reverse("articles:rss")).content.decode()
        assert xml.count("&lt;img src=") == 2 * count - 1
        queries.append(len(captured))
    assert queries[0] == queries[1]


def test_search_excerpts_and_descriptions_leave_figures_out(client, harbour):
    article = ArticleFactory(
        standfirst_en="",
        body_en=f"{figure(harbour, caption='Caption words')}<p>First sentence here.</p>",
    )
    page = head(client, article.get_absolute_url())
    assert page.meta["description"] == ["First sentence here."]
    results = client.get(reverse("articles:search") + "?q=sentence").content.decode()
    assert "Caption words" not in results and "Cranes at dusk" not in results


def test_the_json_ld_lists_the_lead_image_and_the_figures(client, harbour):
    lead = samples.library_image(samples.jpeg((1300, 700)))
    article = ArticleFactory(lead_image=lead, body_en=figure(harbour))
    (json_ld,) = head(client, article.get_absolute_url()).json_ld
    assert json_ld["image"] == [
        f"http://testserver{lead.picture.src}",
        f"http://testserver{harbour.picture.src}",
    ]


def test_changing_a_figures_image_refreshes_the_article_page(client, harbour):
    article = ArticleFactory(body_en=figure(harbour))
    url = article.get_absolute_url()
    assert "Ana Lee" in client.get(url).content.decode()
    harbour.credit = "Ana Lee-Park"
    harbour.save()
    assert "Ana Lee-Park" in client.get(url).content.decode()


def test_the_library_says_which_bodies_use_an_image(admin_client, harbour):
    article = ArticleFactory(title_en="Ports", body_en=figure(harbour))
    html = admin_client.get(reverse("admin:images_image_change", args=[harbour.pk])).content
    assert reverse("admin:articles_article_change", args=[article.pk]) in html.decode()


def test_the_translators_page_refuses_a_figure_without_alt_and_keeps_one_with_it(
    admin_client, harbour
):
    from tests.test_translation_desk import translation_data, translation_url

    article = ArticleFactory(translated=True)
    url = translation_url(article, "fr")
    data = translation_data(article, body_fr=f"<p>Corps.</p>{figure(harbour, alt='')}", _save="1")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A figure has no alt text" in response.content.decode()
    with_alt = f"<p>Corps.</p>{figure(harbour, alt='Des grues')}"
    response = admin_client.post(url, translation_data(article, body_fr=with_alt, _save="1"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body_fr == with_alt


RICH_TEXT = '<p>Ports<span class="note">Counted in 2025.</span></p><div data-embed="https://vimeo.com/1234"></div>'


def test_a_site_page_and_an_author_bio_hold_what_a_body_holds(client, harbour):
    page = PageFactory(body_en=RICH_TEXT + figure(harbour))
    author = AuthorFactory(long_bio_en=RICH_TEXT + figure(harbour))
    ArticleFactory(authors=[author])
    for url in [page.get_absolute_url(), author.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert 'class="notes"' in html and "Counted in 2025." in html, url
        assert "Load content from Vimeo" in html and "js/embeds" in html, url
        assert "<picture" in html and "Ana Lee" in html, url


def test_changing_an_image_refreshes_the_site_pages_and_author_pages_showing_it(client, harbour):
    page = PageFactory(body_en=figure(harbour))
    author = AuthorFactory(long_bio_en=figure(harbour))
    ArticleFactory(authors=[author])
    urls = [page.get_absolute_url(), author.get_absolute_url()]
    for url in urls:
        assert "Ana Lee" in client.get(url).content.decode()
    harbour.credit = "Ana Lee-Park"
    harbour.save()
    for url in urls:
        assert "Ana Lee-Park" in client.get(url).content.decode(), url
