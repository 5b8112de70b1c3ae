"""The one place that decides which HTML an article body or a bio may contain.

The rich text editor offers exactly what `clean_html()` keeps, and every write path (admin
forms, model saves, imports, commands) goes through `clean_html()`.
"""

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "strong", "em", "a", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# django-prose-editor's extensions for the same allowlist; History is undo/redo.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    "History": True,
}


def clean_html(html):
    """Strip every tag, attribute and URL scheme outside the allowlist; never raises."""
    if not html:
        return html
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
