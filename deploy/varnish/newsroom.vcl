# Varnish in front of Newsroom's app servers: readers' pages served from memory, purged
# exactly by the tags the app lists in each page's `xkey` header (the xkey vmod, Debian's
# varnish-modules package). Put it and backends.vcl in /etc/varnish (see
# docs/several-machines.md); backends.vcl names the app servers and who may purge.
vcl 4.1;

import std;
import xkey;

include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = app.backend();

    # PURGE with the tags in `xkey-purge`: sent by the app servers once a change commits
    # (newsroom/frontcache/backends.py), accepted from the `purgers` addresses only.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        return (synth(200, "Purged " + xkey.purge(req.http.xkey-purge)));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff (a session), the admin, and `/` (which picks a language, by cookie too) always
    # reach an app server.
    if (req.url ~ "^/admin/" || req.url ~ "^/(\?.*)?$" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers: no cookie reaches the app, so no reader's cookie can change a shared page.
    unset req.http.Cookie;

    # One cached copy per encoding the app makes: gzip, or none.
    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }

    # Grace: an expired page is served stale only while no app server is healthy. While one
    # is, a page past its lifetime (a scheduled publication) is fetched again at once.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_backend_fetch {
    # A retry (below) asks the director again: the next app server.
    if (bereq.retries > 0) {
        set bereq.backend = app.backend();
    }
}

sub vcl_backend_error {
    # An app server that went away since its last health probe: a reader's request goes to
    # the next one instead of failing. Only requests that change nothing are sent twice.
    if (bereq.retries < 2 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_backend_response {
    # Only what the app said may be shared: a page with its tags and a lifetime
    # (`s-maxage`, which Varnish takes as the TTL). Search, previews, staff pages, anything
    # with a cookie, CSRF token or CSP nonce says `private` or carries no tags.
    if (!beresp.http.xkey || beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "s-maxage" || beresp.http.Cache-Control ~ "private|no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # How long a page may be served stale while every app server is down.
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The tags are for this cache only.
    unset resp.http.xkey;
}
