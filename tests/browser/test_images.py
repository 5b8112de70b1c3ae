import pytest

from newsroom.images.models import Image
from tests.factories import ArticleFactory
from tests.images import samples

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_phone_photo_uploaded_in_the_admin_reaches_a_phone_upright_and_right_sized(
    live_server, page, browser, admin_user
):
    """The editor uploads a sideways-stored portrait to the library and clicks its focal
    point; a reader on a 390-pixel phone at 2x gets the upright WebP nearest 700 pixels
    wide."""
    page.goto(f"{live_server.url}/admin/images/image/add/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.fill("#id_title", "Cranes at dusk")
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": samples.phone_photo()}
        ],
    )
    page.click("input[name=_continue]")
    preview = page.locator("[data-focal-point] img")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert page.input_value("#id_file_focus_x") == "25"
    assert page.input_value("#id_file_focus_y") == "75"
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    image = Image.objects.get()
    assert image.file.original_size == (1200, 1600)
    assert image.file_renditions["renditions"][-1]["key"] == "social-1200x630-f25-75"
    article = ArticleFactory(title_en="Cranes at dusk", lead_image=image)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    reader = phone.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    image = reader.locator(".article__image img")
    image.evaluate("img => img.decode()")
    chosen = image.evaluate("img => img.currentSrc")
    assert chosen.endswith("/960w.webp")
    # The file's own size (an <img> with srcset reports its density-corrected size).
    size = reader.evaluate(
        """src => new Promise(done => {
            const file = new Image();
            file.onload = () => done([file.naturalWidth, file.naturalHeight]);
            file.src = src;
        })""",
        chosen,
    )
    assert size == [960, 1280]
    phone.close()
