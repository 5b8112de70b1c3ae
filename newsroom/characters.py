"""The characters no stored text may hold, and the one function that removes them.

- Control characters other than tab, line feed and carriage return: XML 1.0 cannot carry
  them (a feed meeting one cannot be written), PostgreSQL refuses NUL, and word processors
  paste them (a vertical tab for a line break).
- Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): one left
  open in a title reverses the text after it, such as the byline. The right-to-left and
  left-to-right marks (U+200E, U+200F), which cannot reorder their neighbours, are kept.
- Lone surrogates and the non-characters U+FFFE and U+FFFF, which no encoding stores.
"""

import re

from django.db import models

UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def remove_unsafe_characters(text):
    """`text` without the characters listed above; anything that is not a string as it is."""
    if not isinstance(text, str):
        return text
    return UNSAFE_CHARACTERS.sub("", text)


def text_field_names(model):
    """The database columns of `model` that hold text, every language's included."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


class SafeTextModel(models.Model):
    """A model whose text fields never store an unsafe character, whatever the write path:
    forms and the admin (on validation, before lengths are checked) and every save."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.remove_unsafe_characters()
        super().save(*args, **kwargs)

    def remove_unsafe_characters(self):
        for name in text_field_names(type(self)):
            # The instance's own value: a translated field's descriptor would read another
            # language's text as a fallback and write it into this one.
            if name in self.__dict__:
                self.__dict__[name] = remove_unsafe_characters(self.__dict__[name])

    def clean_fields(self, exclude=None):
        self.remove_unsafe_characters()
        super().clean_fields(exclude=exclude)
