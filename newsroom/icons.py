"""The site's icons, drawn from the initial of its name: a favicon for browser tabs, PNGs
for phones' home screens, and the web app manifest that lists them.

Drawn once per process (they change only with `NEWSROOM_SITE_NAME`), and cached by
browsers for a day.
"""

import io
from functools import cache

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont

# The accent colour of static/css/site.css: the icon's ground and the browser's
# `theme-color`.
THEME_COLOR = "#9b1c1c"
ICON_SIZES = (180, 192, 512)
FAVICON_SIZES = (16, 32, 48)
ARTICLES = {"the", "a", "an", "le", "la", "les", "der", "die", "das", "el", "il"}
ONE_DAY = 24 * 60 * 60


def initial(name):
    """The first letter of the name, after a leading article ("The Meridian Review": M)."""
    words = name.split()
    significant = [word for word in words if word.lower() not in ARTICLES] or words or ["N"]
    letters = [char for char in significant[0] if char.isalnum()] or ["N"]
    return letters[0].upper()


@cache
def drawn(size, name):
    """The icon at `size` pixels: the initial, white, on a rounded square of the accent."""
    scale = 4  # Drawn large and reduced: smooth edges at every size.
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=side // 6, fill=THEME_COLOR)
    font = ImageFont.load_default(size=round(side * 0.68))
    draw.text((side / 2, side / 2), initial(name), fill="white", font=font, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


@cache
def encoded(format_name, size, name):
    buffer = io.BytesIO()
    if format_name == "ICO":
        drawn(max(FAVICON_SIZES), name).save(buffer, "ICO", sizes=[(s, s) for s in FAVICON_SIZES])
    else:
        drawn(size, name).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def favicon(request):
    return HttpResponse(
        encoded("ICO", None, settings.NEWSROOM_SITE_NAME), content_type="image/x-icon"
    )


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def icon(request, size):
    if size not in ICON_SIZES:
        raise Http404("No icon of this size.")
    return HttpResponse(
        encoded("PNG", size, settings.NEWSROOM_SITE_NAME), content_type="image/png"
    )


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def manifest(request):
    name = settings.NEWSROOM_SITE_NAME
    return JsonResponse(
        {
            "name": name,
            "short_name": initial(name) if len(name) > 12 else name,
            "start_url": "/",
            "display": "browser",
            "theme_color": THEME_COLOR,
            "background_color": "#fdfcf9",
            "icons": [
                {"src": f"/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
                for size in ICON_SIZES
                if size != 180
            ],
        },
        content_type="application/manifest+json",
    )
