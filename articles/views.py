import hashlib
from dataclasses import replace

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import (
    DetailView,
    ListView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)

from articles import page_contract
from articles.forms import SearchForm
from articles.links import linked_article_ids
from articles.metadata import article_metadata, listing_metadata
from articles.models import (
    Article,
    Section,
    Topic,
    active_language,
    language_codes,
    live_condition,
)
from articles.publishable import next_visibility_change
from articles.search import MAX_RESULTS, search_articles
from articles.sitemaps import SITEMAPS, news_articles
from articles.teasers import Teasers, kind
from authors.models import Author
from newsroom.languages import language_links, same_path_links
from newsroom.pagecache.remembered import remembered_until_changed
from newsroom.pagecache.views import CachedPageMixin, cached_page
from newsroom.pagination import DeferredRowPaginator

HOME_LATEST = 7
HOME_PER_SECTION = 4
# The home page's teasers: the lead story, the latest (the first three pictured), and each
# section's latest (the first pictured).
LEAD = kind(is_lead=True, heading="2", show_section=True)
LATEST_PICTURED = kind(show_section=True, with_image=True, dense=True)
LATEST = kind(show_section=True, dense=True)
SECTION_FIRST = kind(with_image=True)
SECTION_MORE = kind(dense=True)


# What a list of live articles depends on: the articles, and what they are listed by.
LIVE_LIST_MODELS = [Article, Section, Topic, Author]


class PublicPageMixin(CachedPageMixin):
    """A reading page: cached for readers until what it shows changes or the schedule does."""

    def page_tags(self, context):
        # What each page shows is named after `articles.page_contract`.
        return page_contract.public_page()

    @cached_property
    def next_visibility_change(self):
        return next_visibility_change()

    def page_expires_at(self):
        changes = [self.next_visibility_change, self.shown_notice_end()]
        return min((moment for moment in changes if moment), default=None)

    def remembered(self, name, compute):
        """`compute()`, remembered across requests for this page's address until an
        article, section, topic or author changes, or the next scheduled publication."""
        key = f"{name}:" + hashlib.sha256(self.request.path.encode()).hexdigest()
        return remembered_until_changed(
            key, LIVE_LIST_MODELS, compute, expires_at=lambda: self.next_visibility_change
        )

    def shown_notice_end(self):
        """When the notice on this page (see `newsroom.notices.context_processors`) ends by
        itself."""
        notice = getattr(self.request, "site_notice", None)
        return notice.ends_at if notice else None


def site_wide_page(view, query_parameters=()):
    """A feed or sitemap: cached until any content changes or the schedule does."""
    return cached_page(page_contract.site_wide(), next_visibility_change, query_parameters)(view)


class LiveIdsPaginator(DeferredRowPaginator):
    """Pages of article ids, each remembered by the view's `remember(name, compute)` like
    the list's count; the rows read to find a page's ids are kept in `read`."""

    remember = None

    def page(self, number):
        number = self.validate_number(number)
        self.read = []

        def find():
            self.read = super(LiveIdsPaginator, self).page(number).object_list
            return [article.pk for article in self.read]

        return self._get_page(self.remember(f"page-{number}", find), number, self)


class LiveArticleListMixin(PublicPageMixin):
    """A paginated list of live teasers; a bad page number is a 404 (ListView's rule).

    Its `articles` are the page's ids, shown as teasers of the view's `teaser_kind`.
    """

    paginate_by = settings.NEWSROOM_PAGE_SIZE
    paginator_class = LiveIdsPaginator
    context_object_name = "articles"
    page_query_parameters = ("page",)
    teaser_kind = kind(heading="2", show_section=True, with_image=True)

    def live_articles(self):
        # Before the articles are read: their teasers are as old as that.
        self.teasers = Teasers()
        return Article.objects.live().for_teasers()

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # Counting a long list cost more than the rest of its page (a topic with its
        # subtopics: 40 ms at 100,000 articles); the count changes only with what it counts.
        paginator.count = self.live_count(paginator.object_list)
        paginator.remember = self.remembered
        return paginator

    def live_count(self, articles):
        return self.remembered("live-count", articles.count)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = [(pk, self.teaser_kind) for pk in context["articles"]]
        context["teasers"] = self.teasers.load(wanted, context["paginator"].read)
        context["teaser_kind"] = self.teaser_kind
        return context

    def page_tags(self, context):
        return [*super().page_tags(context), *context["teasers"].author_tags()]


class HomeView(PublicPageMixin, TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        teasers = Teasers()
        read = []

        def find():
            latest = list(Article.objects.live().for_teasers()[:HOME_LATEST])
            ranked = list(
                Article.objects.live().for_teasers().latest_per_section(HOME_PER_SECTION)
            )
            read.extend([*latest, *ranked])
            by_section = {}
            for article in ranked:
                by_section.setdefault(article.section, []).append(article.pk)
            sections = sorted(by_section.items(), key=lambda item: (item[0].position, item[0].pk))
            return [article.pk for article in latest], sections

        latest, sections = self.remembered("home", find)
        lead = [(pk, LEAD) for pk in latest[:1]]
        latest = [
            (pk, LATEST_PICTURED if number < 3 else LATEST) for number, pk in enumerate(latest[1:])
        ]
        sections = [
            (
                section,
                [
                    (pk, SECTION_FIRST if number == 0 else SECTION_MORE)
                    for number, pk in enumerate(ids)
                ],
            )
            for section, ids in sections
        ]
        shown = [*lead, *latest, *[item for _section, items in sections for item in items]]
        return super().get_context_data(
            metadata=listing_metadata(
                self.request,
                settings.NEWSROOM_SITE_NAME,
                _("Independent analysis of politics, economy, energy, technology and society."),
                reverse("articles:home"),
            ),
            lead=lead,
            latest=latest,
            sections=sections,
            teasers=teasers.load(shown, read),
            **kwargs,
        )

    def page_tags(self, context):
        return [
            *super().page_tags(context),
            page_contract.every_article(),
            *context["teasers"].author_tags(),
        ]


class LiveItemDetailView(PublicPageMixin, DetailView):
    """The page of one item of a kind of content (`model`) live in the active language,
    found by that language's slug. At the slug of a version not live in this language, a
    404 that names the languages it is in (`articles/article_unavailable.html`)."""

    def live_items(self, code):
        return self.model.objects.live(code).for_reading(code)

    def get_object(self, queryset=None):
        code = active_language()
        return get_object_or_404(self.live_items(code), **{f"slug_{code}": self.kwargs["slug"]})

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            item = self.model.objects.released_under_any_slug(self.kwargs["slug"])
            if item is None:
                raise
            links = live_language_links(item)
            context = {"language_links": links, "available": [link for link in links if link.url]}
            return TemplateResponse(
                request, "articles/article_unavailable.html", context, status=404
            )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            metadata=self.page_metadata(self.object),
            language_links=live_language_links(self.object),
            **kwargs,
        )

    def page_tags(self, context):
        # Links in the body follow the linked articles' releases and addresses.
        return [
            *super().page_tags(context),
            *[page_contract.article_entry(pk) for pk in linked_article_ids(self.object.body)],
        ]


def live_language_links(item):
    """The language switcher's links to the versions of `item` readers may see."""
    return language_links(lambda code: item.get_absolute_url(code) if item.is_live(code) else None)


class ArticleDetailView(LiveItemDetailView):
    model = Article
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def live_items(self, code):
        return super().live_items(code).select_related("section", "lead_image")

    def get_context_data(self, **kwargs):
        previous_article, next_article, more_on_this_topic = self.reading_links(self.object)
        return super().get_context_data(
            previous_article=previous_article,
            next_article=next_article,
            more_on_this_topic=more_on_this_topic,
            **kwargs,
        )

    def reading_links(self, article):
        # Sets the article's byline and topics too.
        return article.load_page_parts(expires_at=lambda: self.next_visibility_change)

    def page_metadata(self, article):
        return article_metadata(self.request, article)

    def page_tags(self, context):
        article = self.object
        return [
            *super().page_tags(context),
            page_contract.article_page(article.pk),
            page_contract.every_topic(),
            *page_contract.bylines([article]),
            # "More on this topic" may pick any article sharing a topic; previous and next
            # follow the section's order.
            *[page_contract.topic_order(topic.pk) for topic in article.shown_topics],
            page_contract.section_order(article.section_id),
            *[
                page_contract.article_entry(shown.pk)
                for shown in [
                    *context["more_on_this_topic"],
                    context["previous_article"],
                    context["next_article"],
                ]
                if shown is not None
            ],
        ]


class PreviewMixin:
    """An item exactly as readers will see it, before it is public: for the desk only.

    The admin builds it with `article` (the item, saved, or carrying unsaved form changes)
    and `preview_url(code)`, after checking the user's right to edit it. Never cached,
    never indexed.
    """

    article = None
    preview_url = None

    def get(self, request, *args, **kwargs):
        self.object = self.article
        response = self.response_class(
            request, self.template_name, self.get_context_data(object=self.article)
        )
        response.render()
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    post = get

    def page_metadata(self, article):
        # No canonical address, structured data or social cards for an unpublished page.
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.article
        context.update(
            preview=True,
            language_links=language_links(
                lambda code: self.preview_url(code) if article.title_in(code) else None
            ),
        )
        return context


class ArticlePreviewView(PreviewMixin, ArticleDetailView):
    def reading_links(self, article):
        # Found afresh: the article may carry unsaved changes (its section, its topics).
        previous_article, next_article = article.section_neighbours()
        return previous_article, next_article, article.more_on_this_topic()


class SectionView(LiveArticleListMixin, ListView):
    template_name = "articles/section_detail.html"
    teaser_kind = kind(heading="2", with_image=True)

    def get_queryset(self):
        code = active_language()
        self.section = get_object_or_404(Section, **{f"slug_{code}": self.kwargs["slug"]})
        return self.live_articles().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section,
            metadata=listing_metadata(
                self.request,
                self.section.name,
                self.section.description,
                self.section.get_absolute_url(),
            ),
            feed_urls=(
                reverse("articles:section-rss", kwargs={"slug": self.section.slug_in()}),
                reverse("articles:section-atom", kwargs={"slug": self.section.slug_in()}),
            ),
            language_links=language_links(lambda code: self.section.get_absolute_url()),
            **kwargs,
        )

    def page_tags(self, context):
        return [*super().page_tags(context), page_contract.section_articles(self.section.pk)]


class TopicView(LiveArticleListMixin, ListView):
    """A topic's articles, including those of the topics nested below it."""

    template_name = "articles/topic_detail.html"

    def get_queryset(self):
        code = active_language()
        self.topic = get_object_or_404(
            Topic.objects.select_related("parent"), **{f"slug_{code}": self.kwargs["slug"]}
        )
        return self.live_articles().filter(self.topic.tags_article())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topic=self.topic,
            metadata=listing_metadata(
                self.request,
                self.topic.name,
                self.topic.description,
                self.topic.get_absolute_url(),
            ),
            feed_urls=(
                reverse("articles:topic-rss", kwargs={"slug": self.topic.slug_in()}),
                reverse("articles:topic-atom", kwargs={"slug": self.topic.slug_in()}),
            ),
            language_links=language_links(lambda code: self.topic.get_absolute_url()),
            **kwargs,
        )

    def page_tags(self, context):
        # Articles of nested topics mark their ancestors' lists too.
        return [
            *super().page_tags(context),
            page_contract.every_topic(),
            page_contract.topic_articles(self.topic.pk),
        ]


class LiveArchiveMixin(LiveArticleListMixin):
    """Date archives of live articles; an empty or malformed period is a 404."""

    date_field = "published_at"
    allow_empty = False
    make_object_list = True

    def get_queryset(self):
        return self.live_articles()

    def get_dated_queryset(self, **lookup):
        # Django would first run an EXISTS query to 404 on an empty period; the period's
        # date list is then empty too, which is already a 404. Live articles are never in
        # the future.
        self.period = lookup
        return self.get_queryset().filter(**lookup)

    def live_count(self, articles):
        # Counted in every language at once: the switcher links only the languages that
        # have articles in this period (the others' archive of it is a 404).
        self.live_counts = self.remembered("live-counts", self.live_counts_per_language)
        return self.live_counts[active_language()]

    def live_counts_per_language(self):
        now = timezone.now()
        return Article.objects.filter(**self.period).aggregate(
            **{code: Count("pk", filter=live_condition(code, now)) for code in language_codes()}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["metadata"] = listing_metadata(
            self.request, self.archive_title(context), "", self.request.path
        )
        context["language_links"] = [
            link if self.live_counts[link.code] else replace(link, url=None)
            for link in same_path_links(self.request)
        ]
        return context

    def page_tags(self, context):
        return [*super().page_tags(context), page_contract.every_article()]


class ArchiveIndex(PublicPageMixin, TemplateView):
    """Every month with a live article in the reader's language, by year: where the
    footer's "Archives" leads."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        months = Article.objects.live().dates("published_at", "month", order="DESC")
        years = {}
        for month in months:
            years.setdefault(month.year, []).append(month)
        return super().get_context_data(
            years=years.items(),
            metadata=listing_metadata(
                self.request, _("Archives"), "", reverse("articles:archive")
            ),
            **kwargs,
        )

    def page_tags(self, context):
        return [*super().page_tags(context), page_contract.every_article()]


class YearArchive(LiveArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"

    def archive_title(self, context):
        return _("Archive %(year)s") % {"year": context["year"].year}


class MonthArchive(LiveArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"
    month_format = "%m"

    def archive_title(self, context):
        return date_format(context["month"], "YEAR_MONTH_FORMAT")


@site_wide_page
@x_robots_tag
def sitemap_index(request):
    """`/sitemap.xml`: every page of every sitemap, with its lastmod where one is known."""
    pages = []
    for name, sitemap in SITEMAPS.items():
        location = request.build_absolute_uri(reverse("sitemap", kwargs={"section": name}))
        for number, lastmod in sitemap().index_pages():
            pages.append(
                SitemapIndexItem(location if number == 1 else f"{location}?p={number}", lastmod)
            )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": pages}, content_type="application/xml"
    )


@site_wide_page
def news_sitemap(request):
    """Google News sitemap of the reader's language: articles of the last two days."""
    return render(
        request,
        "articles/news_sitemap.xml",
        {"articles": news_articles(active_language())},
        content_type="application/xml",
    )


class SearchView(ListView):
    """Ranked search in the reader's language. Not page-cached: queries are unbounded."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_queryset(self):
        self.form = SearchForm(self.request.GET or None)
        if not (self.form.is_valid() and self.form.cleaned_data["q"]):
            return Article.objects.none()
        return search_articles(
            self.form.cleaned_data["q"], active_language(), among=self.form.chosen_articles()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form,
            query=self.form.cleaned_data.get("q", "") if self.form.is_bound else "",
            filtered=any(
                self.request.GET.get(name) for name in SearchForm.base_fields if name != "q"
            ),
            metadata=listing_metadata(self.request, _("Search"), "", reverse("articles:search")),
            # The words and filters carry over to another language; the page number may not.
            language_links=same_path_links(self.request, keep_query=list(SearchForm.base_fields)),
            **kwargs,
        )
        # Past MAX_RESULTS only the newest matches are ranked (articles.search).
        context["more_than"] = MAX_RESULTS if context["paginator"].count > MAX_RESULTS else None
        return context
