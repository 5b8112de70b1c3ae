from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from articles import page_contract
from articles.metadata import author_metadata, listing_metadata
from articles.models import Article, language_codes
from articles.publishable import as_shown
from articles.teasers import kind
from articles.views import LiveArticleListMixin, PublicPageMixin
from authors.models import Author
from newsroom.languages import language_links


class AuthorListView(PublicPageMixin, ListView):
    """Contributors: authors with at least one article live in the reader's language."""

    template_name = "authors/author_list.html"
    context_object_name = "authors"

    def get_queryset(self):
        return (
            Author.objects.with_live_articles()
            .select_related("photo")
            .order_by(as_shown("name"), "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            metadata=listing_metadata(
                self.request, _("Contributors"), "", reverse("authors:list")
            ),
            **kwargs,
        )

    def page_tags(self, context):
        return [
            *super().page_tags(context),
            page_contract.every_author(),
            page_contract.every_article(),
        ]


class AuthorDetailView(LiveArticleListMixin, ListView):
    template_name = "authors/author_detail.html"
    teaser_kind = kind(show_section=True, with_image=True)

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.with_live_articles().select_related("photo"), slug=self.kwargs["slug"]
        )
        return self.live_articles().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            author=self.author,
            metadata=author_metadata(self.request, self.author),
            feed_urls=(
                reverse("authors:rss", kwargs={"slug": self.author.slug}),
                reverse("authors:atom", kwargs={"slug": self.author.slug}),
            ),
            **kwargs,
        )
        live_counts = self.remembered("author-languages", self.live_counts_per_language)
        context["language_links"] = language_links(
            lambda code: self.author.get_absolute_url() if live_counts[code] else None
        )
        return context

    def live_counts_per_language(self):
        return Article.objects.filter(authors=self.author).aggregate(
            **{
                code: Count(
                    "pk", filter=Exists(Article.objects.live(code).filter(pk=OuterRef("pk")))
                )
                for code in language_codes()
            }
        )

    def page_tags(self, context):
        return [
            *super().page_tags(context),
            page_contract.author(self.author.pk),
            page_contract.author_articles(self.author.pk),
        ]
