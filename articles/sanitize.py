"""The one place that decides which HTML an article body or a bio may contain.

The rich text editor offers exactly what `clean_html()` keeps, and every write path (admin
forms, model saves, imports, commands) goes through `clean_html()`.

An HTML5 tree builder (nh3's included) does work in proportion to the depth of the tree for
every tag it reads, so `"<div>" * 40000` costs seconds and a 2 MB body minutes. Before nh3
sees a body, `allowlisted_markup()` reads it once, from left to right, and writes it again
with nothing but the allowed tags and attributes (every other tag, comment and `<`
escaped or dropped), counting how deep those tags nest. A body nested deeper than
MAX_DEPTH, holding more than MAX_TAGS tags, or with more than MAX_ESCAPED_IN_TEXT escaped
characters in a run of text or an attribute value is refused with a `ValidationError`,
before any tree is built; any other body reaches nh3 as at most MAX_TAGS tags of known
depth, so cleaning it costs time in proportion to its length. nh3 stays the sanitizer of
record: what the first pass lets through is parsed and cleaned by it as before. Last, the
two elements whose attributes say what they are are checked: a span is a note or nothing
(articles/notes.py), a div an embed from an allowlisted provider or a link
(articles/embeds.py).
"""

import re
from html import escape

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Figures and galleries of library images (articles/figures.py): an image by its id, never a
# file's address, with this language's texts; each attribute's values are checked below.
FIGURE_SIZES = {"text", "wide", "full"}
GALLERY_LAYOUTS = {"row", "grid"}
FIGURE_VALUES = {
    "data-image": re.compile(r"[1-9][0-9]{0,18}"),
    "data-size": re.compile("|".join(FIGURE_SIZES)),
    "data-gallery": re.compile("|".join(GALLERY_LAYOUTS)),
    "data-href": re.compile(r"https?://[^\s]+", re.IGNORECASE),
    "data-alt": re.compile(r".+", re.DOTALL),
    "data-caption": re.compile(r".+", re.DOTALL),
    "data-credit": re.compile(r".+", re.DOTALL),
}
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    # Tables: a caption, a header row, cells.
    "table", "caption", "thead", "tbody", "tr", "th", "td",
    "pre", "code", "sup", "sub", "del", "ins", "hr", "dl", "dt", "dd", "cite",
    # A note (`<span class="note">`) and an embed (`<div data-embed="URL">`): see
    # articles/notes.py and articles/embeds.py; any other span or div is unwrapped.
    "span", "div",
    # A figure or a gallery of library images (articles/figures.py).
    "figure",
}  # fmt: skip
# "*": on every tag (nh3's own default, kept explicit).
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href", "title", "hreflang"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "div": {"data-embed", "data-title", "data-thumbnail"},
    "figure": set(FIGURE_VALUES),
}
# Class values allowed, and no other (nh3 keeps only these out of a `class` attribute).
ALLOWED_CLASSES = {"span": {"note"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Far beyond what the editor makes (a list nested ten deep in a quote is about 25 levels).
MAX_DEPTH = 64
# Tags of any kind, comments included: a long read of 2 MB has about 20,000.
MAX_TAGS = 50_000

# django-prose-editor's extensions for the same allowlist; History is undo/redo. Tiptap makes
# the link mark inclusive (text typed at a link's end joins it) exactly when it autolinks
# typed URLs, so URLs become links when pasted, not when typed.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Table": {
        "resizable": False,
        "captionLabel": _("Caption"),
        "captionTitle": _("Table caption"),
    },
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "CodeBlock": True,
    "Code": True,
    "Superscript": True,
    "Subscript": True,
    "HorizontalRule": True,
    # Ours (static/js/body-extensions.js, settings.DJANGO_PROSE_EDITOR_EXTENSIONS), with
    # their labels: a table's caption (above), del, ins, cite, definition lists, notes and
    # embeds.
    "Deleted": {"label": _("Del"), "title": _("Deleted text")},
    "Inserted": {"label": _("Ins"), "title": _("Inserted text")},
    "Cite": {"label": _("Cite"), "title": _("Title of a work")},
    "DescriptionList": {
        "label": _("Terms"),
        "title": _("Definition list"),
        "term": _("Term"),
        "definition": _("Definition"),
    },
    "DescriptionTerm": True,
    "DescriptionDetails": True,
    "Note": {"label": _("Note"), "title": _("Note: the selected text becomes a numbered note")},
    "Embed": {
        "label": _("Embed"),
        "title": _("Embed a post, a video or a sound"),
        "address": _("Its address (YouTube, Vimeo, X, Bluesky, Mastodon, Telegram, SoundCloud)"),
        "submit": _("Insert"),
    },
    "Link": {
        "enableTarget": False,
        "autolink": False,
        "protocols": sorted(ALLOWED_URL_SCHEMES),
    },
    "History": True,
    # static/js/figure-extension.js; inserted from the library by static/js/figures.js.
    "LibraryFigure": True,
    "LibraryGallery": {
        "label": _("Gallery"),
        "title": _("Gallery: the selected figures in a row or a grid, with one caption"),
        "layout": _("Layout"),
        "row": _("In a row"),
        "grid": _("In a grid"),
        "caption": _("Caption of the gallery"),
        "make": _("Make the gallery"),
        "change": _("Change the gallery"),
        "undo": _("Undo the gallery: separate figures again"),
    },
}

# The HTML tokenizer's grammar, with possessive quantifiers so that no match backtracks and
# each one ends at the first place it can (or at the end of the text): one pass, in order.
NAME = r"[^\t\n\f\r />][^\t\n\f\r />=]*+"
VALUE = r"\"[^\"]*+(?:\"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]*+"
EQUALS = r"[\t\n\f\r ]*+=[\t\n\f\r ]*+"
ATTRIBUTE = re.compile(rf"(?P<name>{NAME})(?:{EQUALS}(?P<value>{VALUE}))?+")
TOKEN = re.compile(
    r"(?P<text>(?:[^<]++|<(?![A-Za-z!?/]))++)"
    r"|(?P<comment><!--(?:>|->|.*?(?:-->|--!>)|.*+))"
    r"|(?P<tag><(?P<end>/?+)(?P<name>[A-Za-z][^\t\n\f\r />]*+)"
    rf"(?P<attributes>(?:[\t\n\f\r /]++|{NAME}(?:{EQUALS}(?:{VALUE}))?+)*+)(?:>|\Z))"
    r"|(?P<bogus><(?:[!?]|/[^>])[^>]*+(?:>|\Z))"
    r"|(?P<other></>|<)",
    re.DOTALL,
)
# Elements whose content is text, up to their own end tag; for these two it is dropped.
RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"}
CONTENT_DROPPED = {"script", "style"}
VOID = {"br", "hr"}
# The tree builder drops a newline right after these start tags.
LEADING_NEWLINE_DROPPED = {"pre", "listing", "textarea"}
LEADING_NEWLINE = re.compile(r"\r\n?|\n")
# A start tag of these closes the same element when it is the innermost one open.
CLOSED_BY_SIBLING = {"p", "li", "tr", "td", "th", "dt", "dd"}
# Characters that nh3 writes as references (&amp; &lt; &gt; &nbsp; &quot;): its cost grows
# with the square of their number inside one run of text or one attribute value, so each
# may hold this many.
ESCAPED_IN_TEXT = ("&", "<", ">", "\xa0", '"')
TAG_LIKE = re.compile(r"<[^>]*+>")
MAX_ESCAPED_IN_TEXT = 500


def escaped_characters(text):
    return sum(map(text.count, ESCAPED_IN_TEXT))


def clean_html(html):
    """Strip every tag, attribute and URL scheme outside the allowlist, or raise a
    `ValidationError` that tells the editor why the text is refused."""
    if not html:
        return html
    return checked_elements(nh3_cleaned(allowlisted_markup(html)))


def checked_elements(html):
    """Notes, embeds and figures as they may be stored (nh3 allows their tags; these
    check what the tags hold)."""
    # Their modules need this module's allowlist.
    from articles.embeds import checked_embeds
    from articles.figures import checked_figures
    from articles.notes import checked_notes

    return checked_figures(checked_embeds(checked_notes(html)))


def nh3_cleaned(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=allowed_value,
    )


def clean_stored_html(html):
    """`clean_html()` for what is read back from the database to be shown: never raises. A
    row written around the models (`QuerySet.update()`, SQL) that the sanitizer would
    refuse comes out as its text alone, escaped."""
    try:
        return clean_html(html)
    except ValidationError:
        return escape(TAG_LIKE.sub(" ", html))


def allowlisted_markup(html):
    """`html` with only the allowlisted tags and attributes left as markup, everything else
    text (or dropped with its content: comments, scripts, styles); refused when deeper than
    MAX_DEPTH, longer than MAX_TAGS tags, or with a run of text too costly to clean."""
    out = []
    open_tags = []
    tags = escaped_in_run = 0
    position, length = 0, len(html)
    while position < length:
        token = TOKEN.match(html, position)
        position = token.end()
        kind = token.lastgroup
        if kind == "text":
            text = token["text"]
            escaped_in_run += escaped_characters(text)
            if escaped_in_run > MAX_ESCAPED_IN_TEXT:
                raise too_many_escaped()
            out.append(text.replace("<", "&lt;"))
            continue
        if kind == "other":
            if token["other"] == "<":
                out.append("&lt;")  # the tokenizer found no tag here; `</>` is nothing
            continue
        tags += 1
        if tags > MAX_TAGS:
            raise too_many_tags()
        if kind != "tag":
            continue  # a comment, or what the tokenizer ignores as one
        name = token["name"].lower()
        if name in ALLOWED_TAGS:
            escaped_in_run = 0
            if token["end"]:
                out.append(f"</{name}>")
                if open_tags and open_tags[-1] == name:
                    open_tags.pop()
                continue
            out.append(start_tag(name, token["attributes"]))
            if name in VOID:
                continue
            if name in CLOSED_BY_SIBLING and open_tags and open_tags[-1] == name:
                open_tags.pop()
            open_tags.append(name)
            if len(open_tags) > MAX_DEPTH:
                raise too_deep()
        if name in LEADING_NEWLINE_DROPPED and not token["end"]:
            newline = LEADING_NEWLINE.match(html, position)
            position = newline.end() if newline else position
        if name in RAW_TEXT and not token["end"]:
            end = re.compile(rf"</{name}(?=[\t\n\f\r />]|\Z)", re.IGNORECASE).search(
                html, position
            )
            content_end = end.start() if end else length
            if name not in CONTENT_DROPPED:
                # Text to the end tag: read again as a run of text.
                text = html[position:content_end]
                escaped_in_run += escaped_characters(text)
                if escaped_in_run > MAX_ESCAPED_IN_TEXT:
                    raise too_many_escaped()
                out.append(text.replace("<", "&lt;"))
            position = content_end
        elif name == "plaintext" and not token["end"]:
            text = html[position:]
            if escaped_in_run + escaped_characters(text) > MAX_ESCAPED_IN_TEXT:
                raise too_many_escaped()
            out.append(text.replace("<", "&lt;"))
            position = length
    return "".join(out)


def start_tag(name, attributes):
    """The start tag with its allowed attributes only, the first of each name, quoted."""
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(name, set())
    if name in ALLOWED_CLASSES:
        allowed = allowed | {"class"}
    kept = {}
    if allowed and attributes:
        for attribute in ATTRIBUTE.finditer(attributes):
            attribute_name = attribute["name"].lower()
            if attribute_name in allowed and attribute_name not in kept:
                value = unquoted(attribute["value"] or "")
                if escaped_characters(value) > MAX_ESCAPED_IN_TEXT:
                    raise too_many_escaped()
                kept[attribute_name] = value.replace('"', "&quot;")
    return "<" + " ".join([name, *(f'{key}="{value}"' for key, value in kept.items())]) + ">"


def unquoted(value):
    if value[:1] in ("'", '"'):
        return value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
    return value


def too_deep():
    return ValidationError(
        _(
            "This text nests elements (lists, quotes, emphasis…) more than %(limit)s levels "
            "deep. Paste it as plain text or simplify it."
        ),
        code="too_deep",
        params={"limit": MAX_DEPTH},
    )


def too_many_escaped():
    return ValidationError(
        _(
            "A paragraph or a link of this text has more than %(limit)s characters such as &, "
            "<, > or non-breaking spaces. Split the paragraph or shorten the link."
        ),
        code="too_many_escaped",
        params={"limit": f"{MAX_ESCAPED_IN_TEXT:,}"},
    )


def too_many_tags():
    return ValidationError(
        _("This text has more than %(limit)s tags. Split it or paste it as plain text."),
        code="too_many_tags",
        params={"limit": f"{MAX_TAGS:,}"},
    )


def figure_allowlist(extension_config, shared_config):
    """The editor's figure extensions' allowlist, for django-prose-editor's settings."""
    shared_config["tags"].add("figure")
    shared_config["attributes"].setdefault("figure", set()).update(FIGURE_VALUES)


def allowed_value(tag, attribute, value):
    """Drop an attribute left blank (the editor's link dialog sends `title=""`), and a
    figure's attribute whose value is not one it may hold."""
    if tag == "figure" and attribute in FIGURE_VALUES:
        return value if FIGURE_VALUES[attribute].fullmatch(value) else None
    return value or None
