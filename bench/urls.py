from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns

PARAGRAPH = (
    "<p>This paragraph stands in for an article: the constant page has the size of a real "
    "one, about thirty kilobytes, and costs nothing to build, so it measures what the "
    "server, the middleware and the network cost on their own.</p>\n"
)
CEILING_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Ceiling</title>"
    "</head><body><main>" + PARAGRAPH * (30_000 // len(PARAGRAPH)) + "</main></body></html>"
)


def ceiling(request):
    """The constant 30 KB page: the fastest any page of this site could be served."""
    return HttpResponse(CEILING_PAGE)


urlpatterns = [path("ceiling/", ceiling, name="ceiling"), *site_urlpatterns]
