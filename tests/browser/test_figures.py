"""Figures in Chromium: inserted from the library with the body editor (or uploaded to it
there and then), gathered into galleries, shown to readers, and a gallery that never makes a
phone's page scroll sideways."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from newsroom.images.models import Image
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


GALLERY_BUTTON = "Gallery: the selected figures in a row or a grid, with one caption"


def upload_and_insert(page, data, name, title, alt):
    """Upload an image in the figure box, then insert it with `alt`."""
    box = page.locator(".figure-insert:visible")
    if not box.locator(".figure-insert__upload").is_visible():
        box.get_by_role("button", name="Upload a new image").click()
    box.locator("[data-figure=file]").set_input_files(
        {"name": name, "mimeType": "image/jpeg", "buffer": data}
    )
    box.locator("[data-figure=title]").fill(title)
    box.get_by_role("button", name="Upload to the library").click()
    details = box.locator(".figure-insert__details")
    assert details.locator("legend").inner_text() == title
    details.locator("[data-figure=alt]").fill(alt)
    details.get_by_role("button", name="Insert the figure").click()


def test_an_editor_uploads_two_images_in_the_figure_box_and_makes_a_gallery_of_them(
    signed_in, live_server, browser
):
    page = signed_in
    article = ArticleFactory(title_en="Two quays", body_en="<p>Start.</p>")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.locator(".ProseMirror:visible").click()
    page.keyboard.press("End")

    box = page.locator(".figure-insert:visible")
    box.get_by_role("button", name="Upload a new image").click()
    box.locator("[data-figure=file]").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture"}
    )
    box.locator("[data-figure=title]").fill("Notes")
    box.get_by_role("button", name="Upload to the library").click()
    expect(box.get_by_role("alert")).to_have_text(
        "Image: Upload a JPEG, PNG or WebP image. This file is not one (or it is damaged)."
    )
    upload_and_insert(page, samples.jpeg((1500, 1000)), "east.jpg", "East quay", "The east quay")
    upload_and_insert(page, samples.jpeg((1200, 900)), "west.jpg", "West quay", "The west quay")
    editor = page.locator(".ProseMirror:visible")
    assert editor.locator("figure[data-image]").count() == 2

    editor.locator("figure[data-image]").first.click()
    page.locator(f".prose-menubar:visible button[title='{GALLERY_BUTTON}']").click()
    page.locator("dialog[open] select").select_option("In a grid")
    page.locator("dialog[open] input").fill("Both quays at dawn")
    page.locator("dialog[open] button[type=submit]").click()
    expect(editor.locator("figure[data-gallery=grid] > figure[data-image]")).to_have_count(2)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    east, west = Image.objects.order_by("pk")
    assert (east.title, west.title) == ("East quay", "West quay")
    body = Article.objects.get(pk=article.pk).body_en
    assert body.startswith(
        '<p>Start.</p><figure data-gallery="grid" data-caption="Both quays at dawn">'
    )
    assert body.index(f'data-image="{east.pk}"') < body.index(f'data-image="{west.pk}"')
    reader = browser.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    gallery = reader.locator("figure.gallery--grid")
    assert [gallery.locator("img").nth(n).get_attribute("alt") for n in range(2)] == [
        "The east quay",
        "The west quay",
    ]
    assert gallery.locator("> figcaption").inner_text() == "Both quays at dawn"


def test_an_editor_adds_to_a_gallery_changes_its_layout_and_caption_and_undoes_it(
    signed_in, live_server
):
    page = signed_in
    images = [samples.library_image(samples.jpeg((800, 600)), title=f"Pier {n}") for n in "ABC"]
    article = ArticleFactory(
        body_en=(
            f'<p>Start.</p><figure data-gallery="row" data-caption="Two piers">'
            f"{figure(images[0], alt='A')}{figure(images[1], alt='B')}</figure><p>End.</p>"
        )
    )
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    editor = page.locator(".ProseMirror:visible")
    gallery_button = page.locator(f".prose-menubar:visible button[title='{GALLERY_BUTTON}']")
    editor.locator("p", has_text="End.").click()
    expect(gallery_button).to_have_class(re.compile(r"\bdisabled\b"))

    editor.locator("figure[data-image]").nth(1).click()
    page.locator(".figure-insert input[type=search]:visible").fill("pier c")
    page.locator(".figure-insert button:visible", has_text="Pier C").click()
    page.locator("[data-figure=alt]:visible").fill("C")
    page.locator(".figure-insert__details button:visible").click()
    items = editor.locator("figure[data-gallery] > figure[data-image]")
    expect(items).to_have_count(3)
    assert [items.nth(n).get_attribute("data-alt") for n in range(3)] == ["A", "B", "C"]

    items.first.click()
    gallery_button.click()
    assert page.locator("dialog[open] select").input_value() == "In a row"
    assert page.locator("dialog[open] input").input_value() == "Two piers"
    page.locator("dialog[open] select").select_option("In a grid")
    page.locator("dialog[open] input").fill("Three piers")
    page.get_by_role("button", name="Change the gallery").click()
    expect(editor.locator("figure[data-gallery=grid][data-caption='Three piers']")).to_have_count(
        1
    )
    expect(editor).to_be_focused()  # back from the dialog

    items.first.click()
    gallery_button.click()
    page.get_by_role("button", name="Undo the gallery: separate figures again").click()
    expect(editor.locator("figure[data-gallery]")).to_have_count(0)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    body = Article.objects.get(pk=article.pk).body_en
    assert "data-gallery" not in body
    assert body.count("<figure data-image=") == 3


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
