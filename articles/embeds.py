"""Embeds: a post, a video or a sound from an allowlisted provider, in an article body.

An embed is stored as its address alone, `<div data-embed="URL"></div>`, with the title
and thumbnail that the provider's oEmbed gave when the body was saved (`data-title`, and
`data-thumbnail`: the thumbnail's copy in this site's storage, so that readers never fetch
it from the provider). An address from any other provider stays a link.

Readers get a facade (`embed_facades()`): the title, the provider, the thumbnail and a
"Load content from <provider>" button; the provider's frame is made only when the reader
presses it (static/js/embeds.js), and the CSP's `frame-src` allows exactly the frames of
`PROVIDERS` (see `frame_origins()`).
"""

import hashlib
import io
import json
import re
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.translation import gettext as _
from PIL import Image

DIV_TAG = re.compile(r"<div\b([^>]*)>|</div>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
EMBED = re.compile(r"<div data-embed=\"[^\"]*\"[^>]*></div>")
THUMBNAIL_NAME = re.compile(r"embeds/[0-9a-f]{40}\.jpg")
MAX_TITLE = 300
THUMBNAIL_SIZE = (640, 640)
MAX_DOWNLOAD = 2 * 1024 * 1024


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    pattern: re.Pattern
    frame: str  # the frame's address, formatted with the pattern's groups
    shape: str  # "video", "post" or "audio": the frame's proportions

    def match(self, url):
        return self.pattern.fullmatch(url)

    def frame_url(self, url):
        match = self.match(url)
        return self.frame.format(**match.groupdict(), url=quote(url, safe=""))

    def oembed_endpoint(self, url):
        endpoint = settings.EMBED_OEMBED_ENDPOINTS.get(self.key)
        return endpoint and endpoint.format(**self.match(url).groupdict())


def mastodon_hosts():
    return "|".join(re.escape(host) for host in settings.EMBED_MASTODON_HOSTS) or "(?!)"


def providers():
    return [
        Provider(
            "youtube",
            "YouTube",
            re.compile(
                r"https://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#]*&)?v=|shorts/|embed/)"
                r"|youtu\.be/)(?P<id>[\w-]{6,20})(?:[?&#][^\s\"]*)?"
            ),
            "https://www.youtube-nocookie.com/embed/{id}",
            "video",
        ),
        Provider(
            "vimeo",
            "Vimeo",
            re.compile(r"https://(?:www\.)?vimeo\.com/(?P<id>\d{1,12})/?"),
            "https://player.vimeo.com/video/{id}?dnt=1",
            "video",
        ),
        Provider(
            "x",
            "X",
            re.compile(r"https://(?:www\.)?(?:x|twitter)\.com/\w{1,30}/status/(?P<id>\d{1,25})/?"),
            "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
            "post",
        ),
        Provider(
            "bluesky",
            "Bluesky",
            re.compile(
                r"https://bsky\.app/profile/(?P<actor>[\w.:-]{1,100})/post/(?P<post>[a-z0-9]{1,20})"
            ),
            "https://embed.bsky.app/embed/{actor}/app.bsky.feed.post/{post}",
            "post",
        ),
        Provider(
            "mastodon",
            "Mastodon",
            re.compile(
                rf"https://(?P<host>{mastodon_hosts()})/@(?P<user>\w{{1,30}})/(?P<id>\d{{1,25}})"
            ),
            "https://{host}/@{user}/{id}/embed",
            "post",
        ),
        Provider(
            "telegram",
            "Telegram",
            re.compile(r"https://t\.me/(?P<channel>\w{3,40})/(?P<id>\d{1,12})/?"),
            "https://t.me/{channel}/{id}?embed=1",
            "post",
        ),
        Provider(
            "soundcloud",
            "SoundCloud",
            re.compile(r"https://soundcloud\.com/[\w-]{1,100}/[\w-]{1,200}/?"),
            "https://w.soundcloud.com/player/?url={url}",
            "audio",
        ),
    ]


def provider_for(url):
    """The allowlisted provider of `url`, or None."""
    return next((provider for provider in providers() if provider.match(url)), None)


def frame_origins():
    """Where the providers' frames come from: what the CSP's `frame-src` must allow."""
    origins = {}
    for provider in providers():
        host = provider.frame.split("/")[2]
        hosts = settings.EMBED_MASTODON_HOSTS if host == "{host}" else [host]
        origins.update((f"https://{host}", None) for host in hosts)
    return list(origins)


def stored_embed(url, title="", thumbnail=""):
    attributes = [("data-embed", url), ("data-title", title[:MAX_TITLE].strip())]
    if THUMBNAIL_NAME.fullmatch(thumbnail or ""):
        attributes.append(("data-thumbnail", thumbnail))
    written = " ".join(f'{name}="{escape(value)}"' for name, value in attributes if value)
    return f"<div {written}></div>"


def link_paragraph(url, text=None):
    return format_html('<p><a href="{}">{}</a></p>', url, text or url)


def checked_embeds(html):
    """Sanitized `html` with each embed in its stored form, an embed whose address is not
    an allowlisted provider's as a link, and any other div unwrapped (its content kept)."""
    if "<div" not in html:
        return html
    out, position, inside_embed = [], 0, 0
    for tag in DIV_TAG.finditer(html):
        if not inside_embed:
            out.append(html[position : tag.start()])
        position = tag.end()
        if tag[0] == "</div>":
            inside_embed = max(inside_embed - 1, 0) if inside_embed else 0
            continue
        if inside_embed:
            inside_embed += 1  # a div inside an embed goes with it
            continue
        attributes = {name: unescape(value) for name, value in ATTRIBUTE.findall(tag[1])}
        url = attributes.get("data-embed", "").strip()
        if not url:
            continue
        inside_embed = 1
        if provider_for(url):
            out.append(
                stored_embed(
                    url, attributes.get("data-title", ""), attributes.get("data-thumbnail", "")
                )
            )
        elif url.startswith(("http://", "https://")):
            out.append(link_paragraph(url))
    if not inside_embed:
        out.append(html[position:])
    return "".join(out)


def thumbnails(html):
    """The stored names of the embeds' thumbnails in a body."""
    return re.findall(r'<div data-embed="[^"]*"[^>]*? data-thumbnail="([^"]+)"', html or "")


def without_thumbnail(html, name):
    return html.replace(f' data-thumbnail="{name}"', "")


def with_embed_details(html):
    """Each embed without a title gets the title and thumbnail of its provider's oEmbed,
    fetched now within EMBED_FETCH_TIMEOUT seconds a request; an answer that does not come,
    or is not understood, leaves the embed as it is."""
    if "data-embed" not in (html or ""):
        return html

    def detailed(match):
        attributes = {name: unescape(value) for name, value in ATTRIBUTE.findall(match[0])}
        if attributes.get("data-title"):
            return match[0]
        url = attributes["data-embed"]
        title, thumbnail = oembed_details(url)
        return stored_embed(url, title, thumbnail) if title or thumbnail else match[0]

    return EMBED.sub(detailed, html)


def fetched(url):
    request = Request(url, headers={"User-Agent": "Newsroom oEmbed"})
    with urlopen(request, timeout=settings.EMBED_FETCH_TIMEOUT) as response:  # noqa: S310
        return response.read(MAX_DOWNLOAD + 1)


def oembed_details(url):
    """(title, thumbnail's stored name) from the provider's oEmbed, blank when unknown."""
    provider = provider_for(url)
    endpoint = provider and provider.oembed_endpoint(url)
    if not endpoint:
        return "", ""
    try:
        answer = json.loads(fetched(f"{endpoint}?{urlencode({'url': url, 'format': 'json'})}"))
    except (OSError, ValueError):
        return "", ""
    if not isinstance(answer, dict):
        return "", ""
    title = answer.get("title") or answer.get("author_name") or ""
    thumbnail_url = answer.get("thumbnail_url") or ""
    thumbnail = ""
    if isinstance(thumbnail_url, str) and thumbnail_url.startswith(("http://", "https://")):
        thumbnail = stored_thumbnail(thumbnail_url)
    return (title if isinstance(title, str) else ""), thumbnail


def stored_thumbnail(url):
    """The thumbnail at `url`, re-encoded as a JPEG in this site's storage: its name, or
    "" when it cannot be fetched or is no image."""
    name = f"embeds/{hashlib.sha1(url.encode()).hexdigest()}.jpg"  # noqa: S324 (a name)
    if default_storage.exists(name):
        return name
    try:
        data = fetched(url)
        if len(data) > MAX_DOWNLOAD:
            return ""
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail(THUMBNAIL_SIZE)
            encoded = io.BytesIO()
            image.convert("RGB").save(encoded, "JPEG", quality=80)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return default_storage.save(name, ContentFile(encoded.getvalue()))


def embed_facades(html, feed=False):
    """Each embed as its facade for readers, or as a link to it in feeds."""
    if "data-embed" not in html:
        return html

    def facade(match):
        attributes = {name: unescape(value) for name, value in ATTRIBUTE.findall(match[0])}
        url = attributes["data-embed"]
        title = attributes.get("data-title", "")
        provider = provider_for(url)
        if feed or provider is None:
            return link_paragraph(url, title)
        thumbnail = attributes.get("data-thumbnail", "")
        picture = (
            format_html(
                '<img src="{}" alt="" loading="lazy" decoding="async">',
                default_storage.url(thumbnail),
            )
            if thumbnail
            else ""
        )
        return format_html(
            '<div class="embed embed-{}" data-frame="{}" data-frame-title="{}">{}'
            '<p class="embed-title"><a href="{}">{}</a></p>'
            '<p class="embed-provider">{}</p>'
            '<button type="button" class="embed-load">{}</button></div>',
            provider.shape,
            provider.frame_url(url),
            title or provider.name,
            picture,
            url,
            title or url,
            provider.name,
            _("Load content from %(provider)s") % {"provider": provider.name},
        )

    return EMBED.sub(facade, html)
