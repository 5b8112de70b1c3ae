from functools import cache

from django.conf import settings

from articles import page_contract
from articles.models import Section
from newsroom.languages import same_path_links, site_languages
from newsroom.pagecache.remembered import remembered_until_changed
from pages.models import Page, live_footer_links


def navigation():
    """The sections (the header's navigation, in order, with when each first has a live
    article) and the footer's site pages, every page shows both: remembered together across
    requests until one changes, so that a page view checks their change marks once."""
    return remembered_until_changed(
        "navigation",
        [page_contract.navigation(), page_contract.footer()],
        lambda: (list(Section.objects.with_first_live()), Page.objects.footer_candidates()),
    )


def site(request):
    """What `base.html` needs on every page. Views may override `language_links`."""
    shown = cache(navigation)
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "social_links": settings.NEWSROOM_SOCIAL_LINKS,
        "site_languages": site_languages(),
        # Callables: a template calls them only where it shows them, and each at most once
        # (the header shows the sections twice: as a bar, and in the phones' menu).
        "nav_sections": cache(
            lambda: [section for section in shown()[0] if section.in_navigation_now()]
        ),
        "footer_pages": cache(lambda: live_footer_links(shown()[1])),
        "language_links": cache(lambda: same_path_links(request)),
    }
