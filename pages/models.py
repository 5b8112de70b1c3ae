from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.publishable import (
    ContentEvent,
    Publishable,
    PublishableQuerySet,
    Status,
    active_language,
    language_codes,
    unique_slug_per_language,
)


class PageQuerySet(PublishableQuerySet):
    def footer_candidates(self):
        """{language: [(visible from, title, address), ...]} of the published pages an
        editor put in the footer, in their order, the scheduled ones too: what
        `live_footer_links()` picks from at each reading, so that it may be remembered until
        a page changes (`articles.page_contract.footer()`), not only until the next goes
        live."""
        pages = list(self.filter(status=Status.PUBLISHED, in_footer=True))
        return {
            code: [
                (page.visible_from(code), page.title_in(code), page.get_absolute_url(code))
                for page in pages
                if page.visible_from(code) is not None
            ]
            for code in language_codes()
        }


def live_footer_links(candidates, language=None):
    """(title, address) of the `footer_candidates()` live now in `language`."""
    now = timezone.now()
    return [
        (title, url) for since, title, url in candidates[active_language(language)] if since <= now
    ]


class Page(Publishable):
    """A site page: About, Contact, Privacy, the editorial policy... Published like an
    article, language by language, but outside the news: no section, date or byline."""

    url_name = "pages:detail"

    in_footer = models.BooleanField(
        _("in the footer"),
        default=False,
        help_text=_("List this page in every page's footer, once it is live."),
    )
    footer_position = models.PositiveSmallIntegerField(
        _("position in the footer"), default=0, help_text=_("Smallest first.")
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["footer_position", "pk"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        constraints = unique_slug_per_language("page")

    @classmethod
    def changed_without_save(cls, ids):
        from pages.changes import pages_changed  # it needs these models

        pages_changed(ids)


class PageEvent(ContentEvent):
    """One workflow step or edit of a site page."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="events")

    class Meta(ContentEvent.Meta):
        verbose_name = _("site page event")
        verbose_name_plural = _("site page events")
        constraints = [
            # As an article's (`ArticleEvent`): `publish_scheduled` records it once.
            models.UniqueConstraint(
                fields=["page", "language", "published_at"],
                condition=models.Q(action="went_live"),
                name="page_event_went_live_once",
            )
        ]
