"""The one place that decides which HTML an article body or a bio may contain."""

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "strong", "em", "a", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


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
