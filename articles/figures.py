"""Figures: library images inside an article's body, alone or in galleries.

A figure is stored by the image's id, never by a file's address, so that renditions and
storage can change under it; each language's body holds its own alt text, caption and
credit (an empty caption or credit shows the library image's own):

    <figure data-image="12" data-size="wide" data-alt="Cranes at dusk"
        data-caption="The port at night" data-credit="Ana Lee"
        data-href="https://example.org/"></figure>

A gallery is several figures in a row or a grid, with one caption:

    <figure data-gallery="grid" data-caption="Three ports"><figure data-image="12" ...>
    </figure><figure data-image="13" ...></figure></figure>

`articles/sanitize.py` allows exactly these attributes and values. Readers get `<figure>`
with `<picture>` (`show_figures`), feeds a plain `<img>` with an absolute address; a figure
whose image is gone shows nothing. All the images of a body are read in one query.
"""

import re
from functools import reduce
from html import unescape
from operator import or_

from django.db.models import Q
from django.template.loader import render_to_string

from articles.models import language_codes
from articles.sanitize import FIGURE_SIZES, GALLERY_LAYOUTS

# The `sizes` of a figure's <picture>, by the figure's size (see static/css/site.css).
PICTURE_SIZES = {
    "text": "(min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)",
    "wide": "(min-width: 62.5rem) 60rem, calc(100vw - 2.5rem)",
    "full": "calc(100vw - 2.5rem)",
    "gallery": "(min-width: 42.5rem) 20rem, calc(50vw - 1.5rem)",
}
STORED_IMAGE = re.compile(r'<figure\b[^>]*?\sdata-image="(\d+)"')
IMAGE_FIGURE = re.compile(r"<figure\b(?P<attributes>[^>]*?\sdata-image=[^>]*)></figure>")
GALLERY = re.compile(
    r"<figure\b(?P<attributes>[^>]*?\sdata-gallery=[^>]*)>"
    r"(?P<items>(?:\s*<figure\b[^>]*></figure>)*)\s*</figure>"
)
ATTRIBUTE = re.compile(r'\s([\w-]+)="([^"]*)"')


FIGURE_TAG = re.compile(r"<figure\b[^>]*>|</figure>")


def checked_figures(html):
    """Sanitized `html` with figures only as library images and galleries: any other figure
    is unwrapped, its content kept."""
    if "<figure" not in html:
        return html
    out, position, open_figures = [], 0, []
    for tag in FIGURE_TAG.finditer(html):
        out.append(html[position : tag.start()])
        position = tag.end()
        if tag[0] == "</figure>":
            if open_figures and open_figures.pop():
                out.append(tag[0])
        else:
            kept = " data-image=" in tag[0] or " data-gallery=" in tag[0]
            open_figures.append(kept)
            if kept:
                out.append(tag[0])
    out.append(html[position:])
    return "".join(out)


def stored_reference(image_id):
    return f'data-image="{image_id}"'


def referenced_image_ids(html):
    """Ids of the library images a (sanitized) body's figures show, in order."""
    return list(dict.fromkeys(int(pk) for pk in STORED_IMAGE.findall(html or "")))


def referencing(image_id, field="body"):
    """A filter on rows with a rich text `field` (articles' and pages' bodies, authors'
    long bios): some language's text has a figure of this image."""
    reference = stored_reference(image_id)
    return reduce(
        or_, (Q(**{f"{field}_{code}__contains": reference}) for code in language_codes())
    )


def attributes(markup):
    return {name: unescape(value) for name, value in ATTRIBUTE.findall(markup)}


def figures_without_alt(html):
    """How many figures of a (sanitized) body have no alt text."""
    figures = IMAGE_FIGURE.finditer(html or "")
    return sum(1 for figure in figures if not attributes(figure["attributes"]).get("data-alt"))


def images_for(html):
    """{id: library image} of the images a body shows: one query, none without figures."""
    from newsroom.images.models import Image

    ids = referenced_image_ids(html)
    return Image.objects.in_bulk(ids) if ids else {}


def read_body_images(articles, language):
    """The images of the bodies in `language` of all `articles`, in one query, kept on each
    article for `Article.body_images()`: a feed's items cost one query, not one each."""
    from newsroom.images.models import Image

    wanted = {
        article.pk: referenced_image_ids(getattr(article, f"body_{language}"))
        for article in articles
    }
    every_id = {pk for ids in wanted.values() for pk in ids}
    found = Image.objects.in_bulk(every_id) if every_id else {}
    for article in articles:
        images = {pk: found[pk] for pk in wanted[article.pk] if pk in found}
        article.__dict__.setdefault("_body_images", {})[language] = images


def show_figures(html, images, *, feed=False, base_url=""):
    """`html` with each stored figure drawn for readers, or with `feed` for feed readers
    (addresses made absolute with `base_url`); `images` as `images_for()` gives them."""
    if "<figure" not in html:
        return html

    def draw(data, size):
        image = images.get(int(data.get("data-image") or 0))
        picture = image.picture if image is not None else None
        if picture is None:
            return ""  # the image is gone, or its file could not be read
        context = {
            "picture": picture,
            "alt": data.get("data-alt", ""),
            "caption": data.get("data-caption") or image.caption,
            "credit": data.get("data-credit") or image.credit,
            "href": data.get("data-href", ""),
            "size": size,
            "sizes": PICTURE_SIZES[size],
            "src": base_url + picture.src if feed and picture.src.startswith("/") else picture.src,
        }
        return render_to_string(
            "includes/feed_figure.html" if feed else "includes/figure.html", context
        )

    def figure(match):
        data = attributes(match["attributes"])
        size = data.get("data-size")
        return draw(data, size if size in FIGURE_SIZES else "text")

    def gallery(match):
        items = "".join(
            draw(attributes(item["attributes"]), "gallery")
            for item in IMAGE_FIGURE.finditer(match["items"])
        )
        if not items:
            return ""
        data = attributes(match["attributes"])
        layout = data.get("data-gallery")
        return render_to_string(
            "includes/gallery.html",
            {
                "items": items,
                "layout": layout if layout in GALLERY_LAYOUTS else "row",
                "caption": data.get("data-caption", ""),
                "feed": feed,
            },
        )

    return IMAGE_FIGURE.sub(figure, GALLERY.sub(gallery, html))


def figure_pictures(html, images):
    """The pictures of a body's figures, in order, for its JSON-LD."""
    found = (images.get(pk) for pk in referenced_image_ids(html))
    return [image.picture for image in found if image is not None and image.picture]
