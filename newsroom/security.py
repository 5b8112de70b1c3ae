"""Login throttling (django-axes): who is asking, and what a locked-out login sees."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render


def client_ip(request):
    """The address a login attempt comes from (django-axes' `AXES_CLIENT_IP_CALLABLE`).

    Each of the `DJANGO_TRUSTED_PROXY_COUNT` proxies in front of the site appends the address
    it saw to X-Forwarded-For, so the client is that many entries from the right; anything
    further left was written by the client itself and proves nothing.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        addresses = [address.strip() for address in forwarded if address.strip()]
        if len(addresses) >= count:
            return addresses[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (django-axes' `AXES_LOCKOUT_CALLABLE`).

    The same for every username, existing or not, so it tells an attacker nothing.
    """
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": seconds // 60},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


class RejectNulInQueryMiddleware:
    """A NUL byte in a query parameter of an admin page is a 400 Bad Request.

    PostgreSQL refuses NUL in text, so a NUL pasted into an admin filter, search box or
    autocomplete would otherwise fail deep in a query, as a 500, wherever a parameter
    reaches the database. (Public pages treat such input as their own, e.g. search ignores it.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "admin" in request.resolver_match.namespaces and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the query string")
        return None
