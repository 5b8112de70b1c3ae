"""Which cached pages go stale when content changes: the marking side of
`articles.page_contract`, whose tags the views show.

Signal receivers, connected in `articles.changes`, because every write path (admin,
services, commands, imports) saves through the models; they only mark pages stale and
never change content. Bulk `QuerySet.update()` sends no signal: see `articles.changes`.
"""

from functools import cache

from django.db.models import Q

from articles import page_contract as shown
from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic, language_codes
from authors.models import Author
from newsroom.pagecache.tags import mark_changed


def with_ancestors(topic_ids):
    """The topics and every topic above them: a topic page lists its nested topics too."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    found = set()
    for pk in topic_ids:
        while pk is not None and pk not in found:
            found.add(pk)
            pk = parents.get(pk)
    return found


def topic_listings(topic_ids, reordered=True):
    return [
        tag
        for pk in with_ancestors(topic_ids)
        for tag in (
            [shown.topic_articles(pk), shown.topic_order(pk)]
            if reordered
            else [shown.topic_articles(pk)]
        )
    ]


@cache
def listed_columns():
    """{column: field name} of the article columns some list shows (listed and order
    fields): those compared before and after a save."""
    return {
        column: name
        for column, name in shown.article_columns().items()
        if shown.article_field_kind(name) != shown.PAGE_ONLY
    }


def mark_articles_changed(article_ids, section_ids=(), listed=True, reordered=True):
    """Every page that shows, lists or may list these articles goes stale.

    With `listed=False` (only page-only fields changed) only their own pages and the
    site-wide pages (feeds carry the full text) go stale. With `reordered=False` (a listed
    field changed, no order field) the list pages go stale too, but of the other article
    pages only those showing these articles as entries.
    """
    article_ids = list(article_ids)
    own_pages = [shown.every_article(), *[shown.article_page(pk) for pk in article_ids]]
    if not listed:
        mark_changed(*own_pages)
        return
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
        *[shown.article_entry(pk) for pk in article_ids],
        *[shown.article_page(pk) for pk in linking_ids],
        *[shown.section_articles(pk) for pk in section_ids],
        *([shown.section_order(pk) for pk in section_ids] if reordered else []),
        *topic_listings(topic_ids, reordered),
        *[shown.author_articles(pk) for pk in set(author_ids)],
    )


def shown_alike(value, other):
    # A form saves an empty text where the database held NULL: pages show neither.
    return value == other or (value in (None, "") and other in (None, ""))


def remember_listed_values(sender, instance, raw=False, **kwargs):
    """What lists showed of the article before this save: an article moved to another
    section leaves its old section's pages too, and an edit of what no list shows (a
    correction to the body) leaves them all cached. And, when its visibility or section
    changes, what the navigation showed of its sections."""
    if raw:
        return
    before = None
    if instance.pk:
        before = Article.objects.filter(pk=instance.pk).values(*listed_columns()).first()
        instance._listed_before = before
    if before is None:
        sections = {instance.section_id} if instance.status == Article.Status.PUBLISHED else set()
    elif any(
        not shown_alike(getattr(instance, column), before[column])
        for column, name in listed_columns().items()
        if shown.article_field_kind(name) == shown.ORDER
    ):
        sections = {before["section_id"], instance.section_id}
    else:
        sections = set()
    remember_navigation(instance, sections)


def navigation_moments(section_ids):
    """{section id: when its first article goes live in each language}: what decides
    whether the navigation lists it (see `Section.in_navigation_now()`)."""
    return {
        section.pk: tuple(getattr(section, f"first_live_{code}") for code in language_codes())
        for section in Section.objects.filter(pk__in=section_ids).with_first_live()
    }


def remember_navigation(instance, section_ids):
    if section_ids:
        instance._navigation_before = (section_ids, navigation_moments(section_ids))


def mark_navigation_if_changed(instance):
    section_ids, before = instance.__dict__.pop("_navigation_before", (None, None))
    if section_ids and navigation_moments(section_ids) != before:
        mark_changed(shown.navigation())


def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    mark_navigation_if_changed(instance)
    before = instance.__dict__.pop("_listed_before", None)
    if before is None:
        mark_articles_changed([instance.pk])
        return
    saved = set(before) - instance.get_deferred_fields()
    if update_fields is not None:
        saved &= {Article._meta.get_field(name).attname for name in update_fields}
    kinds = {
        shown.article_field_kind(listed_columns()[column])
        for column in saved
        if not shown_alike(getattr(instance, column), before[column])
    }
    mark_articles_changed(
        [instance.pk],
        [before["section_id"]],
        listed=bool(kinds),
        reordered=shown.ORDER in kinds,
    )


def article_deleted(sender, instance, **kwargs):
    # Before the deletion, while its topics, bylines and links can still be read.
    mark_articles_changed([instance.pk])
    if instance.status == Article.Status.PUBLISHED:
        remember_navigation(instance, {instance.section_id})


def article_gone(sender, instance, **kwargs):
    mark_navigation_if_changed(instance)


def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        related = instance.articles if reverse else instance.topics
        pk_set = set(related.values_list("pk", flat=True))
    article_ids, topic_ids = (pk_set, [instance.pk]) if reverse else ([instance.pk], pk_set)
    mark_changed(
        shown.every_article(),
        *[shown.article_page(pk) for pk in article_ids],
        *topic_listings(topic_ids),
    )


def remember_stored_row(sender, instance, raw=False, **kwargs):
    """The byline or link as stored before this save: moved to another article or author,
    it leaves the pages of the one it left too."""
    if instance.pk and not raw:
        instance._stored_before = sender.objects.filter(pk=instance.pk).values().first()


def stored_and_new(instance, attname):
    before = instance.__dict__.get("_stored_before") or {}
    return {getattr(instance, attname), before.get(attname)} - {None}


def byline_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        # The author may have just left the byline: their list changes too.
        mark_articles_changed(stored_and_new(instance, "article_id"))
        mark_changed(*[shown.author_articles(pk) for pk in stored_and_new(instance, "author_id")])
        instance.__dict__.pop("_stored_before", None)


def related_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(*[shown.article_page(pk) for pk in stored_and_new(instance, "source_id")])
        instance.__dict__.pop("_stored_before", None)


def author_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(shown.every_author(), shown.author(instance.pk))


def section_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(shown.navigation())


def topic_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(shown.every_topic())


def image_changed(sender, instance, raw=False, **kwargs):
    """A library image saved, or about to be deleted: the pages showing it go stale, as if
    each article or author showing it had changed."""
    if raw:
        return
    from articles.figures import referencing

    leading = list(Article.objects.filter(lead_image=instance).values_list("pk", flat=True))
    if leading:
        mark_articles_changed(leading)
    in_bodies = list(Article.objects.filter(referencing(instance.pk)).values_list("pk", flat=True))
    if in_bodies:
        mark_articles_changed(in_bodies, listed=False)
    authors = list(
        Author.objects.filter(
            Q(photo=instance) | referencing(instance.pk, "long_bio")
        ).values_list("pk", flat=True)
    )
    if authors:
        mark_changed(shown.every_author(), *[shown.author(pk) for pk in authors])
