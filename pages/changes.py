"""What happens when a site page changes: the pages showing it go stale in the page cache,
by the rules of `articles.page_contract` (its own page, the sitemaps, and every public page
when the footer shows the change). Connected by `PagesConfig.ready()`."""

from django.db.models.signals import post_save, pre_delete, pre_save

from articles import page_contract as shown
from articles.figures import referencing
from articles.invalidation import shown_alike
from articles.publishable import language_codes
from newsroom.images.models import Image
from newsroom.pagecache.tags import mark_changed
from pages.models import Page


def footer_columns():
    translated = {"title", "slug", "ready", "release_at"}
    return [
        f"{name}_{code}" if name in translated else name
        for name in shown.FOOTER_FIELDS
        for code in (language_codes() if name in translated else [None])
    ]


def remember_footer_values(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._footer_before = (
            Page.objects.filter(pk=instance.pk).values(*footer_columns()).first()
        )


def page_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_footer_before", None)
    footer_changed = before is None or any(
        not shown_alike(getattr(instance, column), value) for column, value in before.items()
    )
    mark_changed(
        shown.site_page(instance.pk),
        shown.every_site_page(),
        *([shown.footer()] if footer_changed else []),
    )


def page_deleted(sender, instance, **kwargs):
    mark_changed(shown.site_page(instance.pk), shown.every_site_page(), shown.footer())


def image_changed(sender, instance, raw=False, **kwargs):
    """A library image saved, or about to be deleted: the pages whose bodies show it."""
    if not raw:
        showing = Page.objects.filter(referencing(instance.pk)).values_list("pk", flat=True)
        mark_changed(*[shown.site_page(pk) for pk in showing])


RECEIVERS = [
    (pre_save, Page, remember_footer_values),
    (post_save, Page, page_saved),
    (pre_delete, Page, page_deleted),
    (post_save, Image, image_changed),
    (pre_delete, Image, image_changed),
]


def connect_receivers():
    for signal, sender, receiver in RECEIVERS:
        signal.connect(receiver, sender=sender)


def pages_changed(page_ids):
    """What a save of these pages would have caused, for writes without one (bulk)."""
    page_ids = list(page_ids)
    if page_ids:
        mark_changed(
            *[shown.site_page(pk) for pk in page_ids], shown.every_site_page(), shown.footer()
        )
