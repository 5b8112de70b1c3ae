"""What happens when an article changes, in one place.

Every write (the admin, the services, the commands, the import) saves through the models,
so model signals carry the consequences of a change. `ArticlesConfig.ready()` connects the
receivers listed in `RECEIVERS`, whatever else is installed: the admin is not needed.

- The pages showing what changed go stale in the page cache (`articles.invalidation`, by
  the rules of `articles.page_contract`).
- The article's search documents are copied again (`articles.search`); deleting an article
  deletes them with it (a foreign key's CASCADE).

What a save cannot know is done by whoever knows it: the history (`ArticleEvent`) by the
workflow functions of `articles.services`, which know who did what; image renditions by the
image field itself, before the save.

Two kinds of change send no signal and call `articles_changed(ids)` themselves: a scheduled
article or language going live (`services.went_live`, run by `publish_scheduled`: the
clock moved, no row did) and bulk writes of article rows (`QuerySet.update()`,
`bulk_create()`). A bulk write of bylines, links or topics, which the search index does not
read, calls `invalidation.mark_articles_changed(ids)`. The import inserts its new articles
in bulk (`ArticleQuerySet.insert_new()`) and does both in bulk at the end.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from articles import invalidation, page_contract, search
from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic
from authors.models import Author
from newsroom.images.models import Image
from newsroom.pagecache.tags import mark_changed

# (signal, sender, receiver): everything that follows a model change of this app's content.
RECEIVERS = [
    (pre_save, Article, invalidation.remember_listed_values),
    (post_save, Article, invalidation.article_saved),
    (post_save, Article, search.index_article),
    (pre_delete, Article, invalidation.article_deleted),
    (post_delete, Article, invalidation.article_gone),
    (m2m_changed, Article.topics.through, invalidation.article_topics_changed),
    (pre_save, ArticleAuthor, invalidation.remember_stored_row),
    (post_save, ArticleAuthor, invalidation.byline_changed),
    (post_delete, ArticleAuthor, invalidation.byline_changed),
    (pre_save, RelatedArticle, invalidation.remember_stored_row),
    (post_save, RelatedArticle, invalidation.related_link_changed),
    (post_delete, RelatedArticle, invalidation.related_link_changed),
    (post_save, Author, invalidation.author_changed),
    (post_delete, Author, invalidation.author_changed),
    (post_save, Section, invalidation.section_changed),
    (post_delete, Section, invalidation.section_changed),
    (post_save, Topic, invalidation.topic_changed),
    (post_delete, Topic, invalidation.topic_changed),
    # Before a deletion: the articles and authors showing the image are still known.
    (post_save, Image, invalidation.image_changed),
    (pre_delete, Image, invalidation.image_changed),
]


def connect_receivers():
    """Called once by `ArticlesConfig.ready()`."""
    for signal, sender, receiver in RECEIVERS:
        signal.connect(receiver, sender=sender)


def articles_changed(article_ids):
    """What a save of these articles would have caused, for changes made without one (the
    navigation too: which sections have a live article may have changed)."""
    article_ids = list(article_ids)
    invalidation.mark_articles_changed(article_ids)
    mark_changed(page_contract.navigation())
    search.refresh_search_index(article_ids)
