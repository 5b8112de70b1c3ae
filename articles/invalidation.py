"""Which cached pages go stale when content changes (see `newsroom.pagecache.tags`).

Signal receivers, connected in `articles.changes`, because every write path (admin,
services, commands, imports) saves through the models; they only mark pages stale and
never change content. Bulk `QuerySet.update()` sends no signal: see `articles.changes`.
"""

from functools import cache

from modeltranslation.translator import translator

from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic
from authors.models import Author
from newsroom.pagecache.tags import mark_changed, tag, tag_pk


def with_ancestors(topic_ids):
    """The topics and every topic above them: a topic page lists its nested topics too."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    found = set()
    for pk in topic_ids:
        while pk is not None and pk not in found:
            found.add(pk)
            pk = parents.get(pk)
    return found


# A section's or topic's "articles" tag names its list page (which articles, in which order,
# and what their teasers show); its "order" tag only which live articles it holds, in which
# order: what article pages read for previous / next and "More on this topic", each of whose
# entries they also tag by itself.
LISTINGS = ("articles", "order")


def topic_listing_tags(topic_ids, listings=LISTINGS):
    return [tag_pk(Topic, pk, listing) for pk in with_ancestors(topic_ids) for listing in listings]


# What only an article's own page (and the site-wide feeds and sitemaps) shows: no list,
# teaser, "previous / next" or "More on this topic" reads these.
PAGE_ONLY_FIELDS = {
    "body",
    "seo_title",
    "seo_description",
    "image_caption",
    "image_credit",
    "correction",
    "corrected_at",
    "translated_from",
    "original_version",
    "updated_at",
}


# What decides whether an article is in a list and where: its visibility and its section.
ORDER_FIELDS = {"status", "published_at", "ready", "release_at", "section"}


@cache
def listed_fields():
    """{column: field name} of every stored field of an article but those only its own page
    shows; of a translated field, each language's column."""
    translated = translator.get_options_for_model(Article).fields
    listed = {}
    for field in Article._meta.concrete_fields:
        name = getattr(field, "translated_field", field).name
        if field.name not in translated and name not in PAGE_ONLY_FIELDS:
            listed[field.attname] = name
    return listed


def mark_articles_changed(article_ids, section_ids=(), listed=True, reordered=True):
    """Every page that shows, lists or may list these articles goes stale.

    An article's own page is tagged `tag(article, "page")`; pages that show it as an entry
    of a list or link to it, `tag(article)`. With `listed=False` (nothing a list shows
    changed) only their own pages and the site-wide pages (feeds carry the full text) go
    stale. With `reordered=False` (a new title, no change to what is live where) the list
    pages go stale too, but of the other article pages only those showing these articles.
    """
    article_ids = list(article_ids)
    own_pages = [tag(Article), *[tag_pk(Article, pk, "page") for pk in article_ids]]
    if not listed:
        mark_changed(*own_pages)
        return
    listings = LISTINGS if reordered else ("articles",)
    # Articles whose curated "More on this topic" links to these, live or not yet.
    linking_ids = RelatedArticle.objects.filter(target_id__in=article_ids).values_list(
        "source_id", flat=True
    )
    section_ids = set(section_ids) | set(
        Article.objects.filter(pk__in=article_ids).values_list("section_id", flat=True)
    )
    topic_ids = Article.topics.through.objects.filter(article_id__in=article_ids).values_list(
        "topic_id", flat=True
    )
    author_ids = ArticleAuthor.objects.filter(article_id__in=article_ids).values_list(
        "author_id", flat=True
    )
    mark_changed(
        *own_pages,
        *[tag_pk(Article, pk) for pk in article_ids],
        *[tag_pk(Article, pk, "page") for pk in linking_ids],
        *[tag_pk(Section, pk, listing) for pk in section_ids for listing in listings],
        *topic_listing_tags(topic_ids, listings),
        *[tag_pk(Author, pk, "articles") for pk in set(author_ids)],
    )


def shown_alike(value, other):
    # A form saves an empty text where the database held NULL: pages show neither.
    return value == other or (value in (None, "") and other in (None, ""))


def remember_listed_values(sender, instance, raw=False, **kwargs):
    """What lists showed of the article before this save: an article moved to another
    section leaves its old section's pages too, and an edit of what no list shows (a
    correction to the body) leaves them all cached."""
    if instance.pk and not raw:
        instance._listed_before = (
            Article.objects.filter(pk=instance.pk).values(*listed_fields()).first()
        )


def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_listed_before", None)
    if before is None:
        mark_articles_changed([instance.pk])
        return
    saved = set(before) - instance.get_deferred_fields()
    if update_fields is not None:
        saved &= {Article._meta.get_field(name).attname for name in update_fields}
    changed = {
        listed_fields()[name]
        for name in saved
        if not shown_alike(getattr(instance, name), before[name])
    }
    mark_articles_changed(
        [instance.pk],
        [before["section_id"]],
        listed=bool(changed),
        reordered=bool(changed & ORDER_FIELDS),
    )


def article_deleted(sender, instance, **kwargs):
    # Before the deletion, while its topics, bylines and links can still be read.
    mark_articles_changed([instance.pk])


def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        related = instance.articles if reverse else instance.topics
        pk_set = set(related.values_list("pk", flat=True))
    article_ids, topic_ids = (pk_set, [instance.pk]) if reverse else ([instance.pk], pk_set)
    mark_changed(
        tag(Article),
        *[tag_pk(Article, pk, "page") for pk in article_ids],
        *topic_listing_tags(topic_ids),
    )


def byline_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        # The author may have just left the byline: their list changes too.
        mark_articles_changed([instance.article_id])
        mark_changed(tag_pk(Author, instance.author_id, "articles"))


def related_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag_pk(Article, instance.source_id, "page"))


def author_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag(Author), tag(instance))


def section_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag(Section))


def topic_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag(Topic))
