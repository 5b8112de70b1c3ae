import logging

from django.http import HttpResponsePermanentRedirect

from newsroom.errors import DATABASE_UNAVAILABLE
from newsroom.permalinks.models import Redirect

logger = logging.getLogger(__name__)


class RedirectFallbackMiddleware:
    """Turn a 404 at a remembered old address into a 301 to the page that replaced it.

    Consulted only for 404s, in two queries at most. Place it last in MIDDLEWARE so that it
    sees the 404 before the language and trailing-slash redirects do. While the database is
    unreachable, old addresses cannot be looked up: a 404 stays a 404, and the language
    redirect of `/` still happens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        full_path, path = request.get_full_path(), request.path
        # No stored address holds a NUL byte, and PostgreSQL refuses to compare with one.
        candidates = {candidate for candidate in (full_path, path) if "\x00" not in candidate}
        if not candidates:
            return response
        try:
            found = {r.old_path: r for r in Redirect.objects.filter(old_path__in=candidates)}
            redirect = found.get(full_path) or found.get(path)
            destination = redirect.destination() if redirect else None
        except DATABASE_UNAVAILABLE:
            logger.warning("Database unavailable: no old address looked up for %s", path)
            return response
        if destination is None or destination == path:
            return response
        return HttpResponsePermanentRedirect(destination)
