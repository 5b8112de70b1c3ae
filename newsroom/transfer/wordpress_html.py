"""WordPress post bodies (classic editor or Gutenberg blocks) to Newsroom's allowed HTML."""

import json
import re
from html import escape

from articles.sanitize import clean_html

EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed\S*\s+(\{.*?\})\s*-->.*?<!--\s*/wp:(?:core-)?embed\S*\s*-->",
    re.DOTALL,
)
EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL)
# WordPress's own shortcodes; other bracketed text ("[sic]", "[1]") is the author's.
CORE_SHORTCODE = re.compile(
    r"\[/?(?:caption|wp_caption|gallery|audio|video|playlist)\b[^\]]*\]", re.IGNORECASE
)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
IMAGE = re.compile(r"<img\b", re.IGNORECASE)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)
BLOCK_START = re.compile(
    r"^<(?:p|h[1-6]|ul|ol|li|blockquote|figure|div|table|pre|hr|section)\b", re.IGNORECASE
)
BARE_URL = re.compile(r"^https?://\S+$")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def link_paragraph(url):
    url = escape(url.strip(), quote=True)
    return f'<p><a href="{url}">{url}</a></p>'


def embed_block(match):
    try:
        url = json.loads(match.group(1)).get("url", "")
    except ValueError:
        url = ""
    return "\n\n" + (link_paragraph(url) if url else "") + "\n\n"


def paragraphs(html):
    """WordPress's automatic paragraphs: blank lines separate paragraphs, a single line
    break is a <br>; chunks that already are blocks are left alone."""
    chunks = []
    for chunk in PARAGRAPH_BREAK.split(html.replace("\r\n", "\n")):
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_START.match(chunk):
            chunks.append(chunk)
        elif BARE_URL.match(chunk):
            chunks.append(link_paragraph(chunk))
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(chunks)


def convert_body(html):
    """(clean HTML, notes): notes say what could not be kept as it was."""
    notes = []
    html = html or ""
    embeds = len(EMBED_BLOCK.findall(html)) + len(EMBED_SHORTCODE.findall(html))
    html = EMBED_BLOCK.sub(embed_block, html)
    html = EMBED_SHORTCODE.sub(lambda m: "\n\n" + link_paragraph(m.group(1)) + "\n\n", html)
    if embeds:
        notes.append(f"{embeds} embed(s) turned into links")
    shortcodes = CORE_SHORTCODE.findall(html)
    if shortcodes:
        names = sorted({re.match(r"\[/?(\w+)", code).group(1).lower() for code in shortcodes})
        notes.append(f"shortcodes removed: {', '.join(names)}")
        html = CORE_SHORTCODE.sub("", html)
    html = COMMENT.sub("", html)
    images = len(IMAGE.findall(html))
    if images:
        notes.append(f"{images} inline image(s) left out (bodies hold text only)")
    html = FIGCAPTION.sub(r"<p>\1</p>", html)
    html = HEADING.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) in '12' else '3'}", html)
    return clean_html(paragraphs(html)), notes
