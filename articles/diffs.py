"""What changed in an original text between two versions, word by word, for translators."""

import difflib
import re
from dataclasses import dataclass
from html import unescape

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {"title": _("Title"), "standfirst": _("Standfirst"), "body": _("Body")}
BLOCK_END = re.compile(r"</(?:p|h2|h3|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    segments: list

    @property
    def changed(self):
        return any(segment.kind != "equal" for segment in self.segments)


def plain_text(html):
    """Readable text of a body: one paragraph (or list item, subheading) per line."""
    lines = (unescape(strip_tags(line)).strip() for line in BLOCK_END.sub("\n", html).split("\n"))
    return "\n".join(line for line in lines if line)


def word_diff(old, new):
    """Segments that turn `old` into `new`, merged so that each run is one segment."""
    before, after = TOKEN.findall(old), TOKEN.findall(new)
    segments = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation in ("delete", "replace"):
            segments.append(Segment("delete", "".join(before[i1:i2])))
        if operation in ("insert", "replace"):
            segments.append(Segment("insert", "".join(after[j1:j2])))
        if operation == "equal":
            segments.append(Segment("equal", "".join(before[i1:i2])))
    return segments


def elide_unchanged(segments):
    """Unchanged runs cut down to the lines next to a change, with "…" for the rest: a
    translator reads the changed paragraphs, not the whole article again."""
    shown = []
    for index, segment in enumerate(segments):
        if segment.kind != "equal":
            shown.append(segment)
            continue
        lines = segment.text.split("\n")
        head = lines[:1] if index > 0 else []
        tail = lines[-1:] if index < len(segments) - 1 else []
        if len(lines) > len(head) + len(tail) + 1:
            segment = Segment("equal", "\n".join([*head, "…", *tail]))
        shown.append(segment)
    return shown


def text_changes(old, new):
    """One `FieldChange` per translated field, from two `Article.original_text()` dicts."""
    changes = []
    for field, label in FIELD_LABELS.items():
        before, after = old.get(field, ""), new.get(field, "")
        if field == "body":
            before, after = plain_text(before), plain_text(after)
        changes.append(FieldChange(field, label, elide_unchanged(word_diff(before, after))))
    return changes
