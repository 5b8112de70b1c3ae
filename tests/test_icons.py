"""The favicon and app icons, drawn from the site name's initial."""

import io
import json

import pytest
from PIL import Image

from newsroom.icons import THEME_COLOR, initial

pytestmark = pytest.mark.django_db


def test_every_browser_finds_a_favicon_at_the_conventional_address(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]


@pytest.mark.parametrize(("url", "size"), [("/apple-touch-icon.png", 180), ("/icon-512.png", 512)])
def test_app_icons_are_pngs_of_their_size_on_the_theme_colour(client, url, size):
    response = client.get(url)
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (size, size))
    red, green, blue = image.convert("RGB").getpixel((size // 2, size // 12))
    assert f"#{red:02x}{green:02x}{blue:02x}" == THEME_COLOR


def test_an_icon_size_not_drawn_is_a_404(client):
    assert client.get("/icon-7.png").status_code == 404


def test_pages_name_their_icons_manifest_and_theme_colour(client):
    html = client.get("/en/").content.decode()
    for link in [
        '<link rel="icon" href="/favicon.ico"',
        '<link rel="apple-touch-icon" href="/apple-touch-icon.png">',
        '<link rel="manifest" href="/manifest.webmanifest">',
        f'<meta name="theme-color" content="{THEME_COLOR}">',
    ]:
        assert link in html
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


@pytest.mark.parametrize(
    ("name", "letter"),
    [
        ("The Meridian Review", "M"),
        ("Le Monde diplomatique", "M"),
        ("новая газета", "Н"),
        ("", "N"),
    ],
)
def test_the_initial_skips_a_leading_article(name, letter):
    assert initial(name) == letter
