"""Teasers kept rendered across requests.

Each article's teaser is rendered once per language and kind (with a picture, with its
section, a heading level...) and kept until what it shows changes: its listed fields, the
sections' names, the names of its byline's authors (`page_contract.teaser()`). Rendering
them took more than half of a list page; they change far less often than they are read,
and a change to one article leaves the other teasers of its pages kept. A page whose
teasers are all kept reads no article row at all.
"""

import time

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template

from articles import page_contract
from articles.models import Article, active_language, byline_prefetch
from articles.templatetags.articles_tags import byline
from newsroom.pagecache import marks
from newsroom.pagecache.remembered import REMEMBER_SECONDS

TEMPLATE = "includes/article_teaser.html"


def kind(**options):
    """A kind of teaser: the options of its template (`is_lead`, `with_image`,
    `show_section`, `heading`, `dense`), as a key."""
    return tuple(sorted((name, value) for name, value in options.items() if value))


class Teaser:
    """What is kept of one article's teaser: its rendered kinds, its byline (which every
    kind shows), and when what it was rendered from was read."""

    def __init__(self, article, computed_at):
        self.author_ids = [author.pk for author in article.byline]
        self.byline = byline(article)
        self.kinds = {}
        self.computed_at = computed_at

    def tags(self, pk):
        return page_contract.teaser(pk, self.author_ids)


class Teasers:
    """The teasers one page shows, in the active language.

    Created before any article is read (a teaser is as old as the read it was rendered
    from); `load()` then finds those kept with one cache read and one read of their change
    marks, and renders the others from their rows, read in one query with their bylines
    in another.
    """

    def __init__(self):
        self.read_at = time.time_ns()
        self.code = active_language()
        self.kept = {}

    def key(self, pk):
        return f"teaser:{pk}:{self.code}"

    def load(self, wanted, articles=()):
        """Makes ready the teasers `wanted` as (article id, kind); `articles` are those
        already read (the others are read by id if their teaser is not kept)."""
        keys = {self.key(pk): pk for pk, _kind in wanted if pk not in self.kept}
        found = {keys[key]: teaser for key, teaser in cache.get_many(list(keys)).items()}
        changes = marks.last_changes(
            {name for pk, teaser in found.items() for name in teaser.tags(pk)}
        )
        for pk, teaser in found.items():
            if changes is not None and marks.unchanged_in(
                changes, teaser.computed_at, teaser.tags(pk)
            ):
                self.kept[pk] = teaser
        to_render = [
            (pk, kind)
            for pk, kind in wanted
            if pk not in self.kept or kind not in self.kept[pk].kinds
        ]
        if not to_render:
            return self
        rows = {article.pk: article for article in articles}
        unread = {pk for pk, _kind in to_render} - set(rows)
        if unread:
            rows |= Article.objects.for_teasers().in_bulk(unread)
        new = [
            rows[pk] for pk in dict.fromkeys(pk for pk, _kind in to_render) if pk not in self.kept
        ]
        prefetch_related_objects(new, byline_prefetch())
        for article in new:
            self.kept[article.pk] = Teaser(article, self.read_at)
        for pk, kind in to_render:
            self.render(rows[pk], kind)
        return self

    def render(self, article, kind):
        # From the article as read now: it has not changed since the teaser's moment, or
        # the teaser would not have been kept.
        teaser = self.kept[article.pk]
        if kind in teaser.kinds:
            return
        teaser.kinds[kind] = get_template(TEMPLATE).render(
            {"article": article, "byline": teaser.byline, **dict(kind)}
        )
        marks.keep(teaser.tags(article.pk), teaser.computed_at)
        cache.set(self.key(article.pk), teaser, REMEMBER_SECONDS)

    def html(self, pk, kind):
        """The teaser of the article `pk` of this `kind`, loaded."""
        return self.kept[pk].kinds[kind]

    def author_tags(self):
        """The tags of the authors named in these teasers' bylines."""
        return {
            page_contract.author(pk) for teaser in self.kept.values() for pk in teaser.author_ids
        }
