from django import template

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(picture, *, alt="", sizes="100vw", width=None, lazy=False, css_class=""):
    """`<picture>` for a `newsroom.images.renditions.Picture`: WebP and JPEG `srcset`s, `sizes`,
    and `width`/`height` so that the page does not move when the image arrives.

    `width` is the displayed width in CSS pixels when the layout fixes it (author photos);
    `lazy` is for images below the fold.
    """
    if not picture:
        return {"picture": None}
    height = picture.height
    if width and picture.width and picture.height:
        height = round(picture.height * width / picture.width)
    return {
        "picture": picture,
        "alt": alt,
        "sizes": sizes,
        "width": width or picture.width,
        "height": height,
        "lazy": lazy,
        "css_class": css_class,
    }
