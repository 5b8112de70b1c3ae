"""Figures: library images inside an article's body.

A figure is stored by the image's id, never by a file's address, so that renditions and
storage can change under it:

    <figure data-image="12" data-size="wide"><img alt="..."><figcaption>...</figcaption></figure>
"""

import re
from functools import reduce
from operator import or_

from django.db.models import Q

from articles.models import language_codes

STORED_IMAGE = re.compile(r'<figure\b[^>]*\sdata-image="(\d+)"')


def stored_reference(image_id):
    return f'data-image="{image_id}"'


def referenced_image_ids(html):
    """Ids of the library images a (sanitized) body's figures show."""
    return {int(pk) for pk in STORED_IMAGE.findall(html or "")}


def referencing(image_id):
    """A filter on articles: some language's body has a figure of this image."""
    reference = stored_reference(image_id)
    return reduce(or_, (Q(**{f"body_{code}__contains": reference}) for code in language_codes()))
