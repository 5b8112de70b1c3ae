"""Slugs that read well in every alphabet: Cyrillic is transliterated to ASCII."""

from anyascii import anyascii
from django.utils.text import slugify


def slugify_text(text, max_length=200):
    """`"Щука ёж"` -> `"shchuka-ezh"`; `"Élections à Lyon"` -> `"elections-a-lyon"`."""
    return slugify(anyascii(text or ""))[:max_length].strip("-")


def unique_slug(queryset, field_name, text, max_length=200, fallback="item"):
    """A slug for `text` that no other row of `queryset` has in `field_name`."""
    base = slugify_text(text, max_length - 8) or fallback
    candidate, counter = base, 2
    while queryset.filter(**{field_name: candidate}).exists():
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate
