"""Tables in an article body, for readers: each in a box of its own that scrolls sideways
when the table is wider than the page, so that the page itself never does. The box can
take the keyboard's focus (a box that scrolls must), and is named by the table's caption."""

import re
from html import unescape

from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
CAPTION = re.compile(r"<caption>(.*?)</caption>", re.DOTALL)


def scrollable_tables(html):
    if "<table>" not in html:
        return html

    def boxed(match):
        caption = CAPTION.search(match[1])
        name = unescape(strip_tags(caption[1])).strip() if caption else ""
        return format_html(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
            name or _("Table"),
            mark_safe(match[0]),  # sanitized markup of the stored body
        )

    return TABLE.sub(boxed, html)
