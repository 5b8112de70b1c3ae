from django.conf import settings

from articles.models import Section
from newsroom.languages import same_path_links


def site(request):
    """What `base.html` needs on every page. Views may override `language_links`."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "social_links": settings.NEWSROOM_SOCIAL_LINKS,
        # Callables: a template calls them only where it shows them.
        "nav_sections": Section.objects.remembered,
        "language_links": lambda: same_path_links(request),
    }
