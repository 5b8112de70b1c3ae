"""Figures in Chromium: inserted from the library with the body editor, shown to readers,
and a gallery that never makes a phone's page scroll sideways."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.test_figures import figure
from tests.factories import ArticleFactory
from tests.images import samples

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_inserts_a_figure_from_the_library_and_readers_see_it(
    signed_in, live_server, browser
):
    page = signed_in
    image = samples.library_image(samples.jpeg((1500, 1000)), title="Harbour cranes")
    article = ArticleFactory(title_en="Ports and power", body_en="<p>Start.</p>")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.locator(".ProseMirror:visible").click()
    page.keyboard.press("End")
    page.locator(".figure-insert input[type=search]:visible").fill("harbour")
    page.locator(".figure-insert button:visible", has_text="Harbour cranes").click()
    insert = page.locator(".figure-insert__details button:visible")
    insert.click()
    assert (
        page.locator(".figure-insert__error:visible")
        .inner_text()
        .startswith("Write the alt text first")
    )
    page.locator("[data-figure=alt]:visible").fill("Cranes over the quay at dusk")
    page.locator("[data-figure=caption]:visible").fill("The port at night")
    page.locator("[data-figure=size]:visible").select_option("wide")
    insert.click()
    assert page.locator(".ProseMirror:visible figure[data-image]").count() == 1
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    body = Article.objects.get(pk=article.pk).body_en
    assert f'data-image="{image.pk}"' in body and "/media/" not in body
    reader = browser.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    shown = reader.locator("figure.figure--wide")
    assert shown.locator("img").get_attribute("alt") == "Cranes over the quay at dusk"
    assert shown.locator("figcaption").inner_text() == "The port at night"
    assert shown.locator("source[type='image/webp']").count() == 1


def test_figures_and_galleries_survive_a_save_in_the_editor(signed_in, live_server):
    page = signed_in
    images = [samples.library_image(samples.jpeg((800, 600))) for _ in range(2)]
    body = (
        f"<p>Start.</p>{figure(images[0], size='full', caption='One', href='https://example.org/')}"
        f'<figure data-gallery="grid" data-caption="Both">'
        f"{figure(images[0])}{figure(images[1], alt='Two')}</figure>"
    )
    article = ArticleFactory(body_en=body)
    stored = Article.objects.get(pk=article.pk).body_en
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    # An edit: the editor writes the whole body back from its own document.
    page.locator(".ProseMirror:visible p", has_text="Start.").click()
    page.keyboard.press("End")
    page.keyboard.type(" Then")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    edited = stored.replace("<p>Start.</p>", "<p>Start. Then</p>")
    assert Article.objects.get(pk=article.pk).body_en == edited


def test_a_gallery_never_makes_a_phone_scroll_sideways(live_server, browser):
    images = [samples.library_image(samples.jpeg((1600, 900))) for _ in range(5)]
    items = "".join(figure(image) for image in images)
    article = ArticleFactory(
        body_en=(
            f'<p>Text.</p><figure data-gallery="row" data-caption="Five ports">{items}</figure>'
            f'<figure data-gallery="grid">{items}</figure>{figure(images[0], size="full")}'
        )
    )
    phone = browser.new_page(viewport={"width": 320, "height": 640})
    phone.goto(live_server.url + article.get_absolute_url())
    assert phone.locator("figure.gallery").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
