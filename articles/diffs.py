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
# difflib compares every token of one side's changed stretch with every equal token of the
# other's: beyond this product (about 1,000 x 1,000 words) the stretch is shown replaced.
MAX_COMPARISONS = 1_000_000


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
    for operation, i1, i2, j1, j2 in bounded_opcodes(before, after):
        if operation in ("delete", "replace"):
            segments.append(Segment("delete", "".join(before[i1:i2])))
        if operation in ("insert", "replace"):
            segments.append(Segment("insert", "".join(after[j1:j2])))
        if operation == "equal":
            segments.append(Segment("equal", "".join(before[i1:i2])))
    return segments


def bounded_opcodes(before, after):
    """difflib's opcodes turning the list `before` into `after`, in time that grows with
    their length: the common start and end are matched first, and a changed stretch too
    long to compare word by word is one replacement."""
    start = 0
    shortest = min(len(before), len(after))
    while start < shortest and before[start] == after[start]:
        start += 1
    end = 0
    while end < shortest - start and before[-1 - end] == after[-1 - end]:
        end += 1
    before_end, after_end = len(before) - end, len(after) - end
    opcodes = [("equal", 0, start, 0, start)] if start else []
    middle_before, middle_after = before[start:before_end], after[start:after_end]
    if len(middle_before) * len(middle_after) <= MAX_COMPARISONS:
        matcher = difflib.SequenceMatcher(None, middle_before, middle_after, autojunk=False)
        opcodes += [
            (operation, i1 + start, i2 + start, j1 + start, j2 + start)
            for operation, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    else:
        opcodes.append(("replace", start, before_end, start, after_end))
    if end:
        opcodes.append(("equal", before_end, len(before), after_end, len(after)))
    return opcodes


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
