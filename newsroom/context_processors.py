from functools import cache

from django.conf import settings

from articles.models import Section
from newsroom.languages import same_path_links, site_languages


def site(request):
    """What `base.html` needs on every page. Views may override `language_links`."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "social_links": settings.NEWSROOM_SOCIAL_LINKS,
        "site_languages": site_languages(),
        # Callables: a template calls them only where it shows them, and each at most once
        # (the header shows the sections twice: as a bar, and in the phones' menu).
        "nav_sections": cache(Section.objects.remembered),
        "language_links": cache(lambda: same_path_links(request)),
    }
