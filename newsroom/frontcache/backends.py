"""Frontend caches that purge by tag: Varnish with the xkey vmod, or any HTTP purge endpoint.

`NEWSROOM_FRONTEND_CACHES` lists them, comma-separated, each as `KIND:URL`:

- `varnish:http://10.0.0.5:6081` sends `PURGE /` with the tags, space-separated, in an
  `xkey-purge` header; deploy/varnish/newsroom.vcl answers 200 once purged.
- `http:https://purger.internal/newsroom` is the interface another CDN's adapter implements:
  a `POST` of `{"tags": ["articles.article:12:page", ...]}` (JSON), answered with any 2xx
  once every cached response whose `xkey` header names one of the tags is gone.

A purge that fails raises `PurgeFailed`; `newsroom.frontcache.purges` keeps it and retries.
"""

import json
import urllib.error
import urllib.request

from django.core.exceptions import ImproperlyConfigured

# Seconds to wait for a frontend cache to accept a connection or answer a purge.
TIMEOUT = 2
# Longest tags header of one purge request (Varnish refuses request headers over 8 KB).
MAX_TAGS_BYTES = 6000


class PurgeFailed(Exception):
    pass


class FrontendCache:
    def __init__(self, url):
        self.url = url

    def __str__(self):
        return f"{self.kind}:{self.url}"

    def purge(self, tags):
        for batch in batches(sorted(tags)):
            self.send(batch)

    def request(self, request):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
        except (OSError, urllib.error.HTTPError) as error:
            raise PurgeFailed(f"{self}: {error}") from error


class VarnishXkey(FrontendCache):
    kind = "varnish"

    def send(self, tags):
        self.request(
            urllib.request.Request(
                self.url, method="PURGE", headers={"xkey-purge": " ".join(tags)}
            )
        )


class HttpPurge(FrontendCache):
    kind = "http"

    def send(self, tags):
        self.request(
            urllib.request.Request(
                self.url,
                method="POST",
                data=json.dumps({"tags": tags}).encode(),
                headers={"Content-Type": "application/json"},
            )
        )


KINDS = {backend.kind: backend for backend in (VarnishXkey, HttpPurge)}


def parse(setting):
    """The frontend caches of a `NEWSROOM_FRONTEND_CACHES` value."""
    caches = []
    for item in filter(None, (part.strip() for part in setting.split(","))):
        kind, separator, url = item.partition(":")
        if not separator or kind not in KINDS or not url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                f"NEWSROOM_FRONTEND_CACHES: {item!r} is not varnish:http://... or http:http://..."
            )
        caches.append(KINDS[kind](url))
    return caches


def batches(tags):
    """`tags` in lists whose space-separated length stays under MAX_TAGS_BYTES."""
    batch, size = [], 0
    for tag in tags:
        if batch and size + len(tag) + 1 > MAX_TAGS_BYTES:
            yield batch
            batch, size = [], 0
        batch.append(tag)
        size += len(tag) + 1
    if batch:
        yield batch
