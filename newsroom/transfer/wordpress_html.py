"""WordPress post bodies (classic editor or Gutenberg blocks) to Newsroom's allowed HTML.

Paragraphs are made as WordPress's own `wpautop()` makes them for its readers: blank
lines separate paragraphs, a single line break inside one is a <br>, and block elements
are never wrapped in a paragraph nor broken by one. What cannot be kept is reported, and
any address it held is kept as a link.
"""

import json
import re
from html import escape, unescape

from django.utils.html import strip_tags

from articles.sanitize import clean_html

# The elements WordPress treats as blocks when it adds paragraphs.
BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
BLOCK_OPEN = re.compile(rf"(<(?:{BLOCKS})[\s/>])", re.IGNORECASE)
BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCKS})>)", re.IGNORECASE)
BLOCK_TAG = rf"</?(?:{BLOCKS})\b[^>]*>"
LONE_BLOCK_PARAGRAPH = re.compile(rf"<p>\s*({BLOCK_TAG})\s*</p>", re.IGNORECASE)
PARAGRAPH_BEFORE_BLOCK = re.compile(rf"<p>\s*({BLOCK_TAG})", re.IGNORECASE)
PARAGRAPH_AFTER_BLOCK = re.compile(rf"({BLOCK_TAG})\s*</p>", re.IGNORECASE)
BREAK_AFTER_BLOCK = re.compile(rf"({BLOCK_TAG})\s*<br>", re.IGNORECASE)
BREAK_BEFORE_BLOCK = re.compile(rf"<br>(\s*{BLOCK_TAG})", re.IGNORECASE)
DOUBLE_BREAK = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
ANY_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Containers a body cannot hold: their contents become paragraphs of their own.
CONTAINER = re.compile(
    r"</?(?:div|section|article|aside|header|footer|main|nav|figure|details|summary|address|"
    r"hgroup|fieldset|form|center)\b[^>]*>",
    re.IGNORECASE,
)
# Blocks the body keeps (see articles.sanitize): text outside them goes into a paragraph.
KEPT_BLOCKS = {"p", "h2", "h3", "ul", "ol", "li", "blockquote"}
TOKEN = re.compile(r"(<[^>]+>)")

EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed\S*\s+(\{.*?\})\s*-->.*?<!--\s*/wp:(?:core-)?embed\S*\s*-->",
    re.DOTALL,
)
EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL)
# Blocks whose text is kept as it is; any other block is reported (its text is kept too).
KNOWN_BLOCKS = {
    "paragraph", "heading", "list", "list-item", "quote", "pullquote", "image", "group",
    "columns", "column", "separator", "spacer", "html", "freeform", "more", "nextpage",
    "preformatted", "code", "verse", "footnotes", "embed", "missing",
}  # fmt: skip
# Blocks whose content needs what bodies cannot hold yet (tables, galleries, media).
DROPPED_BLOCKS = {"table", "gallery", "audio", "video", "file", "cover", "media-text"}
BLOCK_COMMENT = re.compile(r"<!--\s*wp:([a-z0-9/-]+)(\s+\{.*?\})?\s*/?-->", re.DOTALL)
DROPPED_BLOCK = re.compile(
    rf"<!--\s*wp:({'|'.join(DROPPED_BLOCKS)})\b(.*?)-->(.*?)<!--\s*/wp:\1\s*-->", re.DOTALL
)
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
# WordPress's own shortcodes; other bracketed text ("[sic]", "[1]") is the author's.
MEDIA_SHORTCODE = re.compile(
    r"\[(audio|video|playlist|gallery)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.DOTALL | re.IGNORECASE
)
CAPTION_SHORTCODE = re.compile(r"\[/?(?:caption|wp_caption)\b[^\]]*\]", re.IGNORECASE)
SHORTCODE_URL = re.compile(r"""(?:src|mp3|m4a|ogg|wav|mp4|webm|url)=["']([^"']+)["']""")
MEDIA_URL = re.compile(r"""(?:src|href)=["'](https?://[^"']+)["']""")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)
FOOTNOTE_MARK = re.compile(
    r"<sup\b[^>]*\bdata-fn=[^>]*>\s*<a\b[^>]*>(.*?)</a>\s*</sup>", re.DOTALL | re.IGNORECASE
)
BARE_URL_PARAGRAPH = re.compile(r"<p>\s*(https?://[^\s<]+)\s*</p>")
EMPTY_LINK = re.compile(r"<a\b[^>]*>(?:\s|<br>)*</a>")
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>|&nbsp;|\xa0)*</p>")
KEPT_BLOCK_NAMES = "|".join(sorted(KEPT_BLOCKS))
EDGE_BREAKS = re.compile(
    rf"(<(?:{KEPT_BLOCK_NAMES})>)(?:\s*<br>)+|(?:<br>\s*)+(</?(?:{KEPT_BLOCK_NAMES})>)"
)
EMPTY_BLOCK = re.compile(rf"<({KEPT_BLOCK_NAMES})>(?:\s|<br>|&nbsp;|\xa0)*</\1>")
BREAK_RUN = re.compile(r"(?:<br>\s*){2,}")
HEADING_ELEMENT = re.compile(r"<h([23])>.*?</h\1>", re.DOTALL)


def link_paragraph(url):
    url = escape(unescape(url.strip()), quote=True)
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def wpautop(html):
    """Paragraphs as WordPress makes them for its readers."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    if not html.strip():
        return ""
    html = TAG.sub(lambda m: m.group(0).replace("\n", " "), html)
    html = DOUBLE_BREAK.sub("\n\n", html + "\n")
    html = BLOCK_OPEN.sub(r"\n\n\1", html)
    html = BLOCK_CLOSE.sub(r"\1\n\n", html)
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n\s*\n", html) if chunk.strip()]
    html = "".join(f"<p>{chunk}</p>\n" for chunk in chunks)
    html = EMPTY_PARAGRAPH.sub("", html)
    html = LONE_BLOCK_PARAGRAPH.sub(r"\1", html)
    html = re.sub(r"<p>(<li.+?)</p>", r"\1", html)
    html = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", html, flags=re.IGNORECASE)
    html = re.sub(r"</blockquote></p>", "</p></blockquote>", html, flags=re.IGNORECASE)
    html = PARAGRAPH_BEFORE_BLOCK.sub(r"\1", html)
    html = PARAGRAPH_AFTER_BLOCK.sub(r"\1", html)
    html = ANY_BREAK.sub("<br>", html)
    html = re.sub(r"(?<!<br>)\s*\n(?!$)", "<br>\n", html.rstrip("\n"))
    html = BREAK_AFTER_BLOCK.sub(r"\1", html)
    html = BREAK_BEFORE_BLOCK.sub(r"\1", html)
    return html


def wrap_loose_text(html):
    """Text and inline elements found outside any block (clean HTML) go into paragraphs."""
    out, loose, depth = [], [], 0

    def flush():
        text = "".join(loose).strip()
        if strip_tags(text).strip():
            out.append(f"<p>{text}</p>")
        loose.clear()

    for token in TOKEN.split(html):
        name = re.match(r"</?([a-z0-9]+)", token)
        if name and name.group(1) in KEPT_BLOCKS:
            if depth == 0:
                flush()
            depth += -1 if token.startswith("</") else 1
            out.append(token)
        elif depth == 0:
            loose.append(token)
        else:
            out.append(token)
    flush()
    return "".join(out)


def tidy(html):
    """No empty link, paragraph or list item, no <br> at a paragraph's edge, no run of them."""
    previous = None
    while previous != html:
        previous = html
        html = EMPTY_LINK.sub("", html)
        html = EDGE_BREAKS.sub(lambda m: m.group(1) or m.group(2), html)
        html = BREAK_RUN.sub("<br>", html)
        html = EMPTY_BLOCK.sub("", html)
        html = re.sub(r"(<(?:ul|ol|/li)>)\s+", r"\1", html)
        html = re.sub(r"\s+(<li>|</li>|</ul>|</ol>)", r"\1", html)
    return re.sub(r"\n{2,}", "\n", html).strip()


def footnote_list(meta_value):
    """Gutenberg's footnotes (post meta `footnotes`, JSON) as a numbered list."""
    try:
        notes = json.loads(meta_value) if meta_value else []
    except ValueError:
        return ""
    items = [
        f"<li>{note.get('content', '')}</li>"
        for note in notes
        if isinstance(note, dict) and note.get("content")
    ]
    return f"\n\n<ol>{''.join(items)}</ol>\n\n" if items else ""


def has_reading_text(html):
    """Whether a converted body holds text beyond its headings."""
    return bool(strip_tags(HEADING_ELEMENT.sub("", html)).strip())


class Conversion:
    """One body's conversion, noting what could not be kept as it was."""

    def __init__(self):
        self.notes = []

    def note_left_out(self, what, urls):
        kept = f" (kept as a link: {', '.join(urls)})" if urls else ""
        self.notes.append(f"{what} left out{kept}")

    def dropped_block(self, match):
        name, inner = match.group(1), match.group(2) + match.group(3)
        urls = list(dict.fromkeys(MEDIA_URL.findall(inner)))
        self.note_left_out(f"{name} block", urls)
        return "".join(link_paragraph(url) for url in urls)

    def media_shortcode(self, match):
        name, attributes, inner = match.group(1).lower(), match.group(2), match.group(3) or ""
        urls = list(dict.fromkeys(SHORTCODE_URL.findall(attributes) + MEDIA_URL.findall(inner)))
        self.note_left_out(f"[{name}] shortcode", urls)
        return "".join(link_paragraph(url) for url in urls)

    def table(self, match):
        urls = list(dict.fromkeys(MEDIA_URL.findall(match.group(0))))
        self.note_left_out("table", urls)
        return "".join(link_paragraph(url) for url in urls)

    @staticmethod
    def embed_block(match):
        try:
            url = json.loads(match.group(1)).get("url", "")
        except ValueError:
            url = ""
        return link_paragraph(url) if url else "\n\n"

    def convert(self, html, footnotes=""):
        html = html or ""
        # Each pattern runs only where its markup occurs: an archive has thousands of posts.
        lower = html.lower()
        if "embed" in lower:
            embeds = len(EMBED_BLOCK.findall(html)) + len(EMBED_SHORTCODE.findall(html))
            html = EMBED_BLOCK.sub(self.embed_block, html)
            html = EMBED_SHORTCODE.sub(lambda m: link_paragraph(m.group(1)), html)
            if embeds:
                self.notes.append(f"{embeds} embed(s) turned into links")
        if "<!--" in html:
            if any(f"wp:{name}" in html for name in DROPPED_BLOCKS):
                html = DROPPED_BLOCK.sub(self.dropped_block, html)
            unknown = sorted(
                {name for name, _attributes in BLOCK_COMMENT.findall(html)}
                - {f"core/{name}" for name in KNOWN_BLOCKS}
                - KNOWN_BLOCKS
            )
            if unknown:
                self.notes.append(f"unknown blocks converted as plain HTML: {', '.join(unknown)}")
        if "[" in html:
            html = MEDIA_SHORTCODE.sub(self.media_shortcode, html)
            if CAPTION_SHORTCODE.search(html):
                self.notes.append("shortcodes removed: caption")
                html = CAPTION_SHORTCODE.sub("", html)
        if "<table" in lower:
            html = TABLE.sub(self.table, html)
        if "<!--" in html:
            html = COMMENT.sub("", html)
        if "<img" in lower:
            html, images = IMAGE.subn("", html)
            if images:
                self.notes.append(f"{images} inline image(s) left out (bodies hold text only)")
        if "data-fn" in html:
            html = FOOTNOTE_MARK.sub(r"[\1]", html)
        if "<figcaption" in lower:
            html = FIGCAPTION.sub(r"\n\n<p>\1</p>\n\n", html)
        html = CONTAINER.sub("\n\n", html)
        html = HEADING.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) in '12' else '3'}", html)
        html = wpautop(html + footnote_list(footnotes))
        html = BARE_URL_PARAGRAPH.sub(lambda m: link_paragraph(m.group(1)).strip(), html)
        return tidy(wrap_loose_text(clean_html(html)))


def convert_body(html, footnotes=""):
    """(clean HTML, notes): notes say what could not be kept as it was."""
    conversion = Conversion()
    body = conversion.convert(html, footnotes)
    return body, conversion.notes
