"""Error pages that reveal nothing about the code, and a 503 while the database is away."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

from newsroom.languages import home_links

logger = logging.getLogger(__name__)

# Seconds a client or a load balancer should wait before asking again.
RETRY_AFTER = 30

# What a database that is down, restarting or unreachable raises; other database errors
# (an integrity error, a bad query) are bugs and stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def service_unavailable(request):
    """The translated 503 page, with Retry-After; renders without touching the database."""
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def page_not_found(request, exception):
    """Django's `handler404`, with a switcher that leads to each language's front page
    (the missing page has no version in another language); while the database is
    unreachable, the same page without what comes from it (the sections' navigation, the
    notice): a missing page is still a 404 then, not a 503."""
    links = {"language_links": home_links()}
    try:
        return render(request, "404.html", links, status=404)
    except DATABASE_UNAVAILABLE:
        return render(request, "404.html", {**links, "database_unavailable": True}, status=404)


def server_error(request):
    """Django's `handler500`: a 503 when the database is unreachable, else the 500 page.

    Django calls it while handling the exception, wherever it was raised (a view, a
    template, a middleware), so `sys.exc_info()` tells which page to give.
    """
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        logger.warning("Database unavailable: answered %s with a 503", request.path)
        return service_unavailable(request)
    return render(request, "500.html", {"language_links": home_links()}, status=500)
