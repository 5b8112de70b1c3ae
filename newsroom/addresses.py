"""Addresses of pages named by a slug, found without resolving the URL pattern each time.

A list page links dozens of articles, sections and authors; Django's `reverse()` matches
the pattern again for every link. The address around the slug depends only on the route,
the language, the script prefix and the URLconf: it is found once for each.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

# What Django's `slug` path converter accepts: nothing in it needs quoting.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
PLACEHOLDER = "slug-placeholder"


def slug_address(viewname, slug, language=None):
    """`reverse(viewname, kwargs={"slug": slug})` in `language` (the active one by
    default)."""
    language = language or translation.get_language()
    if not isinstance(slug, str) or not SLUG.match(slug):
        # Whatever `reverse()` says of it, a NoReverseMatch included.
        with translation.override(language):
            return reverse(viewname, kwargs={"slug": slug})
    head, tail = around_slug(
        viewname, language, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    return f"{head}{slug}{tail}"


@lru_cache(maxsize=512)
def around_slug(viewname, language, script_prefix, urlconf):
    """The address of `viewname` before and after its slug, for the given state (the
    arguments are the cache's key; `reverse()` reads the same state)."""
    with translation.override(language):
        head, tail = reverse(viewname, kwargs={"slug": PLACEHOLDER}).split(PLACEHOLDER)
    return head, tail


@receiver(setting_changed)
def forget_addresses(**kwargs):
    # Tests change the URLconf, the languages or the prefixes they read.
    around_slug.cache_clear()
