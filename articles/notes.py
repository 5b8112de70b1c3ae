"""Notes in an article body.

A note is stored where its marker goes, as its own text: `<span class="note">…</span>`
(the editor's "Note" mark). Numbering and links are the reader's form only, made by
`numbered_notes()`: a numbered marker in the text and the notes listed at the end of the
body, each linked to the other, so that nothing stored can point to a note that is gone.
"""

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

NOTE_START = '<span class="note">'
SPAN_TAG = re.compile(r"<span\b[^>]*>|</span>")
NOTE = re.compile(r'<span class="note">(.*?)</span>', re.DOTALL)


def checked_notes(html):
    """Sanitized `html` with only notes as spans, none inside another: any other span (or
    a note in a note) is unwrapped, its text kept."""
    if "<span" not in html:
        return html
    out, position, open_spans = [], 0, []
    for tag in SPAN_TAG.finditer(html):
        out.append(html[position : tag.start()])
        position = tag.end()
        if tag[0] == "</span>":
            if open_spans and open_spans.pop():
                out.append("</span>")
        else:
            is_note = tag[0] == NOTE_START and not any(open_spans)
            open_spans.append(is_note)
            if is_note:
                out.append(NOTE_START)
    out.append(html[position:])
    return "".join(out)


def without_notes(html):
    """`html` without its notes' text: for summaries and search, which read the text."""
    return NOTE.sub("", html) if NOTE_START in html else html


def numbered_notes(html):
    """Each note as a numbered marker linked to the same number in a list of notes at the
    end of the body, which links back to the marker."""
    if NOTE_START not in html:
        return html
    notes = []
    # Translated once: a long read has hundreds of notes.
    marker_label = _("Note %(number)s")
    back_label = _("Back to the text of note %(number)s")

    def marker(match):
        notes.append(mark_safe(match[1]))  # sanitized markup of the stored body
        number = len(notes)
        return format_html(
            '<sup class="note-ref"><a href="#note-{0}" id="note-ref-{0}" '
            'aria-label="{1}">{0}</a></sup>',
            number,
            marker_label % {"number": number},
        )

    html = NOTE.sub(marker, html)
    items = format_html_join(
        "",
        '<li id="note-{0}">{1} '
        '<a href="#note-ref-{0}" class="note-back" aria-label="{2}">↩</a></li>',
        (
            (number, text, back_label % {"number": number})
            for number, text in enumerate(notes, start=1)
        ),
    )
    notes_list = format_html(
        '<section class="notes" aria-labelledby="notes-title"><h2 id="notes-title">{}</h2>'
        "<ol>{}</ol></section>",
        _("Notes"),
        items,
    )
    return html + notes_list
