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

from articles.embeds import provider_for
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
# Blocks that hold no paragraph of their own (an embed is a div), and a rule (empty).
OTHER_BLOCKS = {"table", "pre", "dl", "div", "figure"}
RULE = "<hr>"
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
    "preformatted", "code", "verse", "footnotes", "embed", "missing", "table",
}  # fmt: skip
# Blocks whose content bodies cannot hold (media); galleries too when images are not looked
# for (`Conversion.images`).
DROPPED_BLOCKS = {"gallery", "audio", "video", "file", "cover", "media-text"}
# Images: a gallery block, a [gallery] or [caption] shortcode, an image block's figure, an
# image alone (in a link or not).
GALLERY_BLOCK = re.compile(r"<!--\s*wp:gallery\b.*?-->(.*?)<!--\s*/wp:gallery\s*-->", re.DOTALL)
GALLERY_CAPTION = re.compile(
    r"<figcaption\b[^>]*blocks-gallery-caption[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE
)
GALLERY_SHORTCODE = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
GALLERY_IDS = re.compile(r"""\bids=["']?([\d,\s]+)""")
CAPTIONED = re.compile(r"\[(caption|wp_caption)\b[^\]]*\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
LINKED_IMAGE = r"(?:<a\b(?P<link>[^>]*)>\s*)?(?P<image><img\b[^>]*>)(?(link)\s*</a>)"
IMAGE_FIGURE = re.compile(
    rf"<figure\b[^>]*>\s*{LINKED_IMAGE}\s*"
    r"(?:<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>\s*)?</figure>",
    re.DOTALL | re.IGNORECASE,
)
LONE_IMAGE = re.compile(LINKED_IMAGE, re.IGNORECASE)
IMAGE_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
ATTACHMENT_CLASS = re.compile(r"\bwp-image-(\d+)\b")
# A figure's image file while the body is cleaned: `data-image` holds its number here.
FIGURE_NUMBER = re.compile(r' data-image="(\d+)"')
BLOCK_COMMENT = re.compile(r"<!--\s*wp:([a-z0-9/-]+)(\s+\{.*?\})?\s*/?-->", re.DOTALL)
DROPPED_BLOCK = re.compile(
    rf"<!--\s*wp:({'|'.join(DROPPED_BLOCKS)})\b(.*?)-->(.*?)<!--\s*/wp:\1\s*-->", re.DOTALL
)
# A table block's figure, with the table and its caption.
TABLE_FIGURE = re.compile(
    r"<figure\b[^>]*>\s*(<table\b[^>]*>)(.*?</table>)\s*"
    r"(?:<figcaption\b[^>]*>(.*?)</figcaption>\s*)?</figure>",
    re.DOTALL | re.IGNORECASE,
)
# Preformatted text keeps its line breaks: no paragraph is made in it.
PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
# What is set aside while paragraphs are made, then put back.
SET_ASIDE = re.compile(r"(?:<p>)?\s*\x00(\d+)\x00\s*(?:</p>)?")
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
    r"<sup\b[^>]*\bdata-fn=[\"']([^\"']*)[\"'][^>]*>.*?</sup>", re.DOTALL | re.IGNORECASE
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
# White space between the rows and cells of a table or the items of a definition list.
STRUCTURE = r"(?:table|caption|thead|tbody|tr|th|td|dl|dt|dd)\b[^>]*>"
SPACE_IN_STRUCTURE = re.compile(rf"(</?{STRUCTURE})\s+(?=<)|\s+(?=</?{STRUCTURE})")


def link_paragraph(url):
    url = escape(unescape(url.strip()), quote=True)
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def embed(url):
    """An embed when `url` is an allowlisted provider's (articles/embeds.py), else None."""
    url = unescape(url.strip())
    return f'<div data-embed="{escape(url, quote=True)}"></div>' if provider_for(url) else None


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
        if token == RULE and depth == 0:
            flush()
            out.append(token)
        elif name and name.group(1) in KEPT_BLOCKS | OTHER_BLOCKS:
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
        html = SPACE_IN_STRUCTURE.sub(lambda m: m.group(1) or "", html)
    # Blank lines go, but in preformatted text (its own, in odd parts of the split).
    parts = re.split(r"(<pre>.*?</pre>)", html, flags=re.DOTALL)
    return "".join(
        part if n % 2 else re.sub(r"\n{2,}", "\n", part) for n, part in enumerate(parts)
    ).strip()


def footnote_texts(meta_value):
    """Gutenberg's footnotes (post meta `footnotes`, JSON): {id: the note's HTML}."""
    try:
        notes = json.loads(meta_value) if meta_value else []
    except ValueError:
        return {}
    if not isinstance(notes, list):
        return {}
    return {
        str(note.get("id")): note["content"]
        for note in notes
        if isinstance(note, dict) and isinstance(note.get("content"), str) and note["content"]
    }


def tag_attributes(tag):
    return {
        name.lower(): unescape(double if double is not None else single or "")
        for name, double, single in IMAGE_ATTRIBUTE.findall(tag)
    }


def figure_markup(number, alt, caption="", href=""):
    texts = {"data-image": str(number), "data-alt": alt, "data-caption": caption}
    if href.startswith(("http://", "https://")):
        texts["data-href"] = href
    markup = "".join(f' {name}="{escape(v, quote=True)}"' for name, v in texts.items() if v)
    return f"<figure{markup}></figure>"


def has_reading_text(html):
    """Whether a converted body holds text beyond its headings."""
    return bool(strip_tags(HEADING_ELEMENT.sub("", html)).strip())


class Conversion:
    """One body's conversion, noting what could not be kept as it was."""

    def __init__(self, images=None):
        self.images = images
        self.figure_files = []
        self.notes = []
        self.set_aside = []
        self.links_for_embeds = 0

    def aside(self, html):
        """`html` out of the way of the paragraphs: a token to put it back with."""
        self.set_aside.append(html)
        return f"\n\n\x00{len(self.set_aside) - 1}\x00\n\n"

    def embed_or_link(self, url):
        stored = embed(url)
        if stored:
            return self.aside(stored)
        self.links_for_embeds += 1
        return link_paragraph(url)

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

    @staticmethod
    def table_figure(match):
        opening, rest, caption = match.group(1), match.group(2), match.group(3)
        if caption and not re.match(r"\s*<caption", rest, re.IGNORECASE):
            rest = f"<caption>{caption}</caption>{rest}"
        return f"\n\n{opening}{rest}\n\n"

    def embed_block(self, match):
        try:
            url = json.loads(match.group(1)).get("url", "")
        except (ValueError, AttributeError):
            url = ""
        return self.embed_or_link(url) if isinstance(url, str) and url else "\n\n"

    def bare_url(self, match):
        return embed(match.group(1)) or link_paragraph(match.group(1)).strip()

    def footnotes(self, html, meta_value):
        """Gutenberg's footnote markers as notes holding their text, where they were."""
        texts = footnote_texts(meta_value)
        used = set()

        def note(match):
            text = texts.get(match.group(1))
            if text is None:
                return ""
            used.add(match.group(1))
            return f'<span class="note">{text}</span>'

        html = FOOTNOTE_MARK.sub(note, html)
        if unused := len(texts.keys() - used):
            self.notes.append(f"{unused} footnote(s) not marked in the text left out")
        return html

    def figure(self, image_tag, caption="", link=""):
        """The figure of an image found in the media folder (numbered until the body is
        clean), or "" with a note saying why it is left out."""
        found = tag_attributes(image_tag)
        attachment = ATTACHMENT_CLASS.search(found.get("class", ""))
        return self.attachment_figure(
            attachment.group(1) if attachment else "",
            found.get("src", ""),
            caption=caption,
            alt=found.get("alt", ""),
            title=found.get("title", ""),
            link=tag_attributes(link).get("href", "") if link else "",
        )

    def attachment_figure(self, attachment_id, url="", caption="", alt="", title="", link=""):
        image = self.images.find(attachment_id, url)
        if image.path is None:
            self.notes.append(f"image left out: {image.error}")
            return ""
        caption = unescape(strip_tags(caption or image.caption)).strip()
        if not alt.strip():
            alt = image.alt or caption or title or image.title
            self.notes.append(f"image {image.path!r} has no alt text: {alt!r} used")
        if link and self.images.is_upload(link):
            link = ""  # the image's own file: readers get the picture itself
        self.figure_files.append(image.path)
        return figure_markup(len(self.figure_files), alt.strip(), caption, link)

    def gallery(self, figures, caption=""):
        figures = "".join(figures)
        if not figures:
            return "\n\n"
        caption = escape(unescape(strip_tags(caption)).strip(), quote=True)
        caption = f' data-caption="{caption}"' if caption else ""
        return self.aside(f'<figure data-gallery="grid"{caption}>{figures}</figure>')

    def gallery_block(self, match):
        inner = match.group(1)
        caption = GALLERY_CAPTION.search(inner)
        inner = GALLERY_CAPTION.sub("", inner)
        return self.gallery(
            (
                self.figure(found["image"], found["caption"] or "")
                for found in re.finditer(
                    rf"{LINKED_IMAGE}\s*(?:<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>)?",
                    inner,
                    re.DOTALL | re.IGNORECASE,
                )
            ),
            caption.group(1) if caption else "",
        )

    def gallery_shortcode(self, match):
        """Its `ids` in their order, or without them the post's attached images."""
        ids = GALLERY_IDS.search(match.group(1))
        chosen = re.findall(r"\d+", ids.group(1)) if ids else self.images.attached
        return self.gallery(self.attachment_figure(pk) for pk in chosen)

    def captioned(self, match):
        inner = match.group(2)
        image = LONE_IMAGE.search(inner)
        if image is None:
            return inner
        return self.captioned_figure(image, inner[image.end() :])

    def image_figure(self, match):
        return self.captioned_figure(match, match["caption"] or "")

    def captioned_figure(self, match, caption):
        """The figure, or its caption's text alone when the image is left out."""
        figure = self.figure(match["image"], caption, match["link"] or "")
        return self.aside(figure) if figure else f"\n\n{caption}\n\n"

    def lone_image(self, match):
        return self.aside(self.figure(match["image"], link=match["link"] or ""))

    def with_figures(self, html):
        """Images found in the media folder as figures and galleries (set aside); see
        `shows_images()` for what it looks at."""
        if "wp:gallery" in html:
            html = GALLERY_BLOCK.sub(self.gallery_block, html)
        if "[" in html:
            html = GALLERY_SHORTCODE.sub(self.gallery_shortcode, html)
            html = CAPTIONED.sub(self.captioned, html)
        if "<img" in html.lower():
            html = IMAGE_FIGURE.sub(self.image_figure, html)
            html = LONE_IMAGE.sub(self.lone_image, html)
        return html

    def with_figure_files(self, html):
        """The clean body's figures naming their files, for the import to make them library
        images."""
        if not self.figure_files:
            return html
        return FIGURE_NUMBER.sub(
            lambda m: f' data-image="{escape(self.figure_files[int(m[1]) - 1], quote=True)}"',
            html,
        )

    def convert(self, html, footnotes=""):
        html = html or ""
        if self.images is not None:
            html = self.with_figures(html)
        # Each pattern runs only where its markup occurs: an archive has thousands of posts.
        lower = html.lower()
        if "embed" in lower:
            html = EMBED_BLOCK.sub(self.embed_block, html)
            html = EMBED_SHORTCODE.sub(lambda m: self.embed_or_link(m.group(1)), html)
            if self.links_for_embeds:
                self.notes.append(
                    f"{self.links_for_embeds} embed(s) of sites off the embeds' list turned "
                    "into links"
                )
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
            html = TABLE_FIGURE.sub(self.table_figure, html)
        if "<pre" in lower:
            html = PRE.sub(lambda m: self.aside(m.group(0)), html)
        if "<!--" in html:
            html = COMMENT.sub("", html)
        if "<img" in lower:
            html, images = IMAGE.subn("", html)
            if images:
                self.notes.append(f"{images} inline image(s) left out (bodies hold text only)")
        if "data-fn" in html or footnotes:
            html = self.footnotes(html, footnotes)
        if "<figcaption" in lower:
            html = FIGCAPTION.sub(r"\n\n<p>\1</p>\n\n", html)
        html = CONTAINER.sub("\n\n", html)
        html = HEADING.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) in '12' else '3'}", html)
        html = wpautop(html)
        html = BARE_URL_PARAGRAPH.sub(self.bare_url, html)
        if self.set_aside:
            html = SET_ASIDE.sub(lambda m: self.set_aside[int(m.group(1))], html)
        return self.with_figure_files(tidy(wrap_loose_text(clean_html(html))))


def shows_images(html):
    """Whether `html` holds what `Conversion.with_figures()` turns into figures: a body
    without converts the same with and without its images looked for."""
    html = html or ""
    return (
        "wp:gallery" in html
        or "<img" in html.lower()
        or ("[" in html and bool(GALLERY_SHORTCODE.search(html) or CAPTIONED.search(html)))
    )


def convert_body(html, footnotes="", images=None):
    """(clean HTML, notes): notes say what could not be kept as it was. With `images` (the
    post's images: see wordpress.PostImages), images become figures naming their files."""
    conversion = Conversion(images)
    body = conversion.convert(html, footnotes)
    return body, conversion.notes
