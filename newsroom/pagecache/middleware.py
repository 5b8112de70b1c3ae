"""Whole-page cache for readers, with exact invalidation and conditional GET.

A page is stored only when its view tagged it (`newsroom.pagecache.tags.tag_page`), for a request
without a session cookie, and when the response sets no cookie and uses no CSRF token. A
stored page is served while none of its tags changed since it was rendered, and never past
the moment its view said it may change on its own (a scheduled publication).
"""

import gzip
import hashlib
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe
from django.utils.text import compress_string
from django.utils.translation import get_language_from_path

from newsroom.frontcache import purges
from newsroom.pagecache import marks
from newsroom.pagecache.recent import recent_pages


@dataclass
class CachedPage:
    content: bytes  # gzip-compressed when `compressed`
    headers: list
    tags: frozenset
    rendered_at: int  # nanoseconds since the epoch: when the oldest data it shows was read
    expires_at: float  # seconds since the epoch, checked here too: not every cache's clock
    # is ours.
    compressed: bool = False

    @classmethod
    def of(cls, response, tags, rendered_at, expires_at):
        """The page of `response`, compressed once here rather than on every reader's
        request: the cache holds several times more pages, and a proxy in front need not
        compress what it serves. A stored page holds no secret (no cookie, no CSRF token),
        so compression reveals nothing (BREACH)."""
        content = compressed = response.content
        if not response.has_header("Content-Encoding"):
            compressed = compress_string(content)
        is_compressed = len(compressed) < len(content)
        if is_compressed:
            patch_vary_headers(response, ["Accept-Encoding"])
            # Two encodings of one page: a weak validator, as RFC 9110 asks.
            etag = response.get("ETag", "")
            if etag.startswith('"'):
                response["ETag"] = "W/" + etag
        headers = [item for item in response.items() if item[0] != "Content-Length"]
        return cls(
            compressed if is_compressed else content,
            headers,
            tags,
            rendered_at,
            expires_at,
            is_compressed,
        )

    def is_current(self):
        return time.time() < self.expires_at and marks.unchanged_since(self.rendered_at, self.tags)

    def response(self, request):
        content = self.content
        response = HttpResponse()
        for header, value in self.headers:
            response[header] = value
        if self.compressed:
            if accepts_gzip(request):
                response["Content-Encoding"] = "gzip"
            else:
                content = gzip.decompress(content)
        response.content = content
        response["Content-Length"] = str(len(content))
        return response


def accepts_gzip(request):
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def page_key(request):
    url = f"{request.get_host()}{request.get_full_path()}"
    language = get_language_from_path(request.path_info) or ""
    return f"page:{language}:{hashlib.sha256(url.encode()).hexdigest()}"


def drop_unread_query_parameters(request):
    """Keeps only the query parameters the page reads (`CachedPageMixin`), in a fixed
    order: a link shared with `?utm_source=` or a per-click `?fbclid=` is the same page, so
    it is served from the cache, and the view renders it as for everyone else (its
    pagination and language links never carry someone else's tracking parameters)."""
    if not request.META.get("QUERY_STRING"):
        return
    read = query_parameters_read_by(get_urlconf(settings.ROOT_URLCONF), request.path_info)
    if read is None:
        return
    names = list(request.GET)
    if names == sorted(read.intersection(names)):
        return  # `?page=2`: nothing to drop, already in order
    kept = QueryDict(mutable=True)
    for name in sorted(read.intersection(names)):
        kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)


@lru_cache(maxsize=4096)
def query_parameters_read_by(urlconf, path):
    """The query parameters (a frozenset) the page at `path` reads; None when its view says
    nothing (it is not a cached page, or there is no page there), so that all are kept.
    Remembered: the addresses of an URLconf do not change while the process runs."""
    with translation.override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path, urlconf)
        except Resolver404:
            return None
    view = getattr(match.func, "view_class", match.func)
    read = getattr(view, "page_query_parameters", None)
    return None if read is None else frozenset(read)


def is_reader_request(request):
    """Anonymous reading: staff, previews and admin always carry a session cookie."""
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def can_store(request, response):
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Set-Cookie")
        # A CSP nonce must be new in every response: a page that used one is never replayed.
        and not getattr(request, "csp_nonce", None)
    )


def lifetime(request):
    """Seconds the page may be kept: the configured lifetime, cut at its next change."""
    seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
    expires_at = request.page_cache_expires_at and request.page_cache_expires_at()
    if expires_at is not None:
        seconds = min(seconds, math.floor((expires_at - timezone.now()).total_seconds()))
    return seconds


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        use_cache = settings.NEWSROOM_PAGE_CACHE_SECONDS > 0 and is_reader_request(request)
        key = None
        if use_cache:
            drop_unread_query_parameters(request)
            key = page_key(request)
            page = current_page(key)
            if page is not None:
                response = page.response(request)
                purges.shared_lifetime_left(response, page.expires_at)
                return conditional_response(request, response)

        rendered_at = time.time_ns()
        with marks.rendering():
            response = self.get_response(request)
            # Data read from the cache earlier (the site notice) makes the page older.
            read_at = min(rendered_at, getattr(request, "page_data_read_at", rendered_at))
            marks.keep_rendered(read_at)
        if not hasattr(request, "page_cache_tags"):
            return response
        if not is_reader_request(request):
            add_never_cache_headers(response)
            return response
        set_response_etag(response)
        response["Last-Modified"] = http_date(rendered_at / 1e9)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        if use_cache and can_store(request, response):
            seconds = lifetime(request)
            if seconds > 0:
                tags = request.page_cache_tags
                marks.keep(tags, read_at)
                if purges.enabled() and marks.unchanged_since(read_at, tags):
                    # Not if a change was marked while it rendered: its purge may already
                    # have reached the frontend caches, which would then keep the old page.
                    purges.share(response, tags, seconds)
                page = CachedPage.of(response, tags, read_at, time.time() + seconds)
                cache.set(key, page, seconds)
                if recent_pages.enabled():
                    recent_pages.put(key, page)
                # The first reader gets what every later one will.
                response = page.response(request)
        return conditional_response(request, response)


def current_page(key):
    """The cached page under `key` if it is still current, else None; a popular page is
    read from this process's recent pages (`newsroom.pagecache.recent`) instead of the cache."""
    keep_recent = recent_pages.enabled()
    if keep_recent:
        page = recent_pages.get(key)
        if page is not None:
            if page.is_current():
                return page
            recent_pages.forget(key)
    page = cache.get(key)
    if page is None or not page.is_current():
        return None
    if keep_recent:
        recent_pages.put(key, page)
    return page


def conditional_response(request, response):
    """A 304 Not Modified when the reader's copy is current (ETag or Last-Modified)."""
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
