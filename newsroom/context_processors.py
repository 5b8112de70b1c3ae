from django.conf import settings

from articles.models import Section
from newsroom.languages import same_path_links


def site(request):
    """What `base.html` needs on every page. Views may override `language_links`."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "nav_sections": Section.objects.all(),
        "social_links": settings.NEWSROOM_SOCIAL_LINKS,
        # A callable: templates call it only when the view did not supply its own links.
        "language_links": lambda: same_path_links(request),
    }
