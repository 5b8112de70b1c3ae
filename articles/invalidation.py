"""Which cached pages go stale when content changes (see `pagecache.tags`).

Signal receivers, because every write path (admin, services, commands, imports) saves
through the models; they only mark pages stale and never change content. Bulk
`QuerySet.update()` sends no signal: callers of it must call `mark_articles_changed()`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic
from authors.models import Author
from pagecache.tags import mark_changed, tag, tag_pk


def with_ancestors(topic_ids):
    """The topics and every topic above them: a topic page lists its nested topics too."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    found = set()
    for pk in topic_ids:
        while pk is not None and pk not in found:
            found.add(pk)
            pk = parents.get(pk)
    return found


def topic_listing_tags(topic_ids):
    return [tag_pk(Topic, pk, "articles") for pk in with_ancestors(topic_ids)]


def mark_articles_changed(article_ids, section_ids=()):
    """Every page that shows, lists or may list these articles goes stale."""
    article_ids = list(article_ids)
    section_ids = set(section_ids) | set(
        Article.objects.filter(pk__in=article_ids).values_list("section_id", flat=True)
    )
    topic_ids = Article.topics.through.objects.filter(article_id__in=article_ids).values_list(
        "topic_id", flat=True
    )
    author_ids = ArticleAuthor.objects.filter(article_id__in=article_ids).values_list(
        "author_id", flat=True
    )
    # Articles whose curated "More on this topic" links to these.
    linking_ids = RelatedArticle.objects.filter(target_id__in=article_ids).values_list(
        "source_id", flat=True
    )
    mark_changed(
        tag(Article),
        *[tag_pk(Article, pk) for pk in [*article_ids, *linking_ids]],
        *[tag_pk(Section, pk, "articles") for pk in section_ids],
        *topic_listing_tags(topic_ids),
        *[tag_pk(Author, pk, "articles") for pk in set(author_ids)],
    )


@receiver(pre_save, sender=Article)
def remember_previous_section(sender, instance, raw=False, **kwargs):
    """An article moved to another section leaves its old section's pages too."""
    if instance.pk and not raw:
        instance._previous_section_id = (
            Article.objects.filter(pk=instance.pk).values_list("section_id", flat=True).first()
        )


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        previous = getattr(instance, "_previous_section_id", None)
        mark_articles_changed([instance.pk], [previous] if previous else [])


@receiver(pre_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    # Before the deletion, while its topics, bylines and links can still be read.
    mark_articles_changed([instance.pk])


@receiver(m2m_changed, sender=Article.topics.through)
def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        related = instance.articles if reverse else instance.topics
        pk_set = set(related.values_list("pk", flat=True))
    article_ids, topic_ids = (pk_set, [instance.pk]) if reverse else ([instance.pk], pk_set)
    mark_changed(
        tag(Article),
        *[tag_pk(Article, pk) for pk in article_ids],
        *topic_listing_tags(topic_ids),
    )


@receiver([post_save, post_delete], sender=ArticleAuthor)
def byline_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        # The author may have just left the byline: their list changes too.
        mark_articles_changed([instance.article_id])
        mark_changed(tag_pk(Author, instance.author_id, "articles"))


@receiver([post_save, post_delete], sender=RelatedArticle)
def related_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag_pk(Article, instance.source_id))


@receiver([post_save, post_delete], sender=Author)
def author_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag(Author), tag(instance))


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag(Section))


@receiver([post_save, post_delete], sender=Topic)
def topic_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(tag(Topic))
