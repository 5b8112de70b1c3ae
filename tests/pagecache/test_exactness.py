"""The page cache is exact, proven by difference rather than by example.

A small site is seeded and every public page of it is rendered, in every language, into the
page cache. Then each change an editor or a command can make is applied in turn: one for
every stored field of every model a page shows (generated from the models, so that a new
field is covered without anyone listing it), and the workflow (publication, unpublication, a
schedule or a release time passing, bylines, curated links, topics, the site notice,
deletions). After each, every page is read as a reader gets it (from the cache while its
marks say it is current) and rendered afresh with no cache at all:

- a page the cache still serves although its fresh rendering differs is stale: the test
  fails, naming the change and the page; so does a page rendered again for the reader with
  a value kept across requests (a list's count, an article's parts, a teaser) that this
  change should have refreshed;
- a page marked stale whose rendering did not change is the price of the contract: counted
  per change and printed (`pytest -s`); bench/README.md keeps the figures.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.translator import NotRegistered, translator

from articles import services
from articles.links import stored_href
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEvent,
    OriginalText,
    RelatedArticle,
    SearchDocument,
    Section,
    Topic,
)
from articles.sitemaps import SITEMAPS
from authors.models import Author
from newsroom.images.models import Image as LibraryImage
from newsroom.notices.models import SiteNotice
from newsroom.pagecache.middleware import current_page, page_key
from newsroom.pagecache.recent import recent_pages
from pages.models import Page, PageEvent
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PageFactory,
    SectionFactory,
    TopicFactory,
)
from tests.images import samples

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "ru"]
# Noon, so that no change of date happens while the test runs.
START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


# -- The site ---------------------------------------------------------------------------------


def seed():
    """A site with one of each thing a page can show, named for what it is there to test."""
    now = timezone.now()
    asia = TopicFactory(name_en="Asia")
    caucasus = TopicFactory(name_en="Caucasus", parent=asia)
    trade = TopicFactory(name_en="Trade")
    energy = SectionFactory(name_en="Energy")
    economy = SectionFactory(name_en="Economy")
    nina = AuthorFactory(
        name_en="Nina Ardent",
        long_bio_en="<p>Nina covers energy.</p>",
        photo=samples.library_image(samples.jpeg((400, 400)), title="Nina"),
    )
    omar = AuthorFactory(name_en="Omar Vale")
    AuthorFactory(name_en="Idle Writer")
    older = ArticleFactory(
        translated=True,
        title_en="Older in energy",
        section=energy,
        topics=[caucasus, trade],
        authors=[nina, omar],
        published_at=now - timedelta(days=3),
    )
    subject = ArticleFactory(
        translated=True,
        title_en="The subject",
        section=energy,
        topics=[caucasus],
        authors=[nina],
        published_at=now - timedelta(hours=3),
        image_alt_en="A crane",
        image_caption_en="The harbour",
        image_credit_en="Photo: N. Ardent",
        correction_en="A date was wrong.",
        lead_image=samples.library_image(samples.jpeg((1300, 700)), credit="N. Ardent"),
    )
    ArticleFactory(
        title_en="Last month, in English only",
        section=economy,
        topics=[trade],
        authors=[omar],
        published_at=now - timedelta(days=35),
    )
    ArticleFactory(
        translated=True,
        title_en="Links to the others",
        section=economy,
        authors=[omar],
        related=[subject, older],
        body_en=f'<p>See <a href="{stored_href(subject.pk)}">the subject</a>.</p>',
        published_at=now - timedelta(days=1),
    )
    ArticleFactory(
        translated=True,
        title_en="A draft",
        status=Article.Status.DRAFT,
        published_at=None,
        section=energy,
        topics=[caucasus],
        authors=[nina],
    )
    ArticleFactory(
        translated=True,
        title_en="Russian later",
        section=economy,
        topics=[asia],
        authors=[omar],
        published_at=now - timedelta(hours=2),
        release_at_ru=now + timedelta(hours=1),
    )
    PageFactory(
        title_en="About",
        fr=True,
        body_en=f'<p>Read <a href="{stored_href(subject.pk)}">the subject</a>.</p>',
    )
    PageFactory(title_en="Privacy, in the footer later", published_at=now + timedelta(minutes=45))
    PageFactory(title_en="Not in the footer", in_footer=False)
    SiteNotice.objects.create(message_en="Maintenance tonight.", is_active=True)
    return subject


def public_urls():
    """Every public page of the site as it is now, in every language: a page that does not
    exist (an article not released in a language) is a 404, which is a page too."""
    urls = {reverse("sitemap-index")}
    urls |= {reverse("sitemap", kwargs={"section": name}) for name in SITEMAPS}
    for code in LANGUAGES:
        with translation.override(code):
            urls |= {
                reverse(name)
                for name in [
                    "articles:home",
                    "articles:rss",
                    "articles:atom",
                    "articles:news-sitemap",
                    "authors:list",
                ]
            }
            for article in Article.objects.all():
                if getattr(article, f"slug_{code}"):
                    urls.add(article.get_absolute_url(code))
            for article in Article.objects.live(code):
                year, month = article.published_at.year, f"{article.published_at:%m}"
                urls.add(reverse("articles:archive-year", kwargs={"year": year}))
                urls.add(reverse("articles:archive-month", kwargs={"year": year, "month": month}))
            for prefix, objects in [("articles:section", Section), ("articles:topic", Topic)]:
                for item in objects.objects.all():
                    slug = item.slug_in(code)
                    for suffix in ["", "-rss", "-atom"]:
                        urls.add(reverse(prefix + suffix, kwargs={"slug": slug}))
            for page in Page.objects.all():
                if getattr(page, f"slug_{code}"):
                    urls.add(page.get_absolute_url(code))
            for author in Author.objects.all():
                for name in ["authors:detail", "authors:rss", "authors:atom"]:
                    urls.add(reverse(name, kwargs={"slug": author.slug}))
    return urls


# -- Reading pages ----------------------------------------------------------------------------


def read(client, url):
    """What a reader gets at `url`: status, where a redirect leads, and the body."""
    response = client.get(url)
    return response.status_code, response.get("Location"), response.content


@contextmanager
def without_any_cache():
    """Renders from the database alone: no cached page and no remembered value."""
    with override_settings(
        CACHES=NO_CACHE, NEWSROOM_PAGE_CACHE_SECONDS=0, NEWSROOM_CHANGE_MARKS_IN_CACHE=False
    ):
        yield


def cached_and_current(url):
    return current_page(page_key(RequestFactory().get(url))) is not None


def forget_page(url):
    key = page_key(RequestFactory().get(url))
    cache.delete(key)
    recent_pages.forget(key)


@dataclass
class Outcome:
    change: str
    pages: int  # in the cache before the change
    changed: int  # of those, whose rendering changed
    invalidated: int  # of those, marked stale
    price: int  # of those, marked stale although they did not change
    stale: list = field(default_factory=list)  # served although changed


class Ledger:
    """Applies changes to the site and checks the page cache after each."""

    def __init__(self, client):
        self.client = client
        self.outcomes = []
        urls = sorted(public_urls())
        with without_any_cache():
            self.seen = {url: read(self.client, url) for url in urls}
        for url in urls:
            read(self.client, url)
        cached = [url for url, page in self.seen.items() if page[0] == 200]
        # Else nothing could be found stale: every page that exists is in the cache.
        assert all(cached_and_current(url) for url in cached)
        assert len(cached) > 80

    def check(self, change):
        """Reads every page as a reader would, and every page that was cached afresh too, to
        compare: one the cache still serves must be current, and one rendered again for the
        reader must be as fresh as without any cache, with the values it kept across
        requests (a list's count, the article's parts, the teasers)."""
        urls = sorted(set(self.seen) | public_urls())
        cached = {url for url, page in self.seen.items() if page[0] == 200}
        current = {url for url in cached if cached_and_current(url)}
        served = {url: read(self.client, url) for url in urls}
        with without_any_cache():
            fresh = {url: read(self.client, url) for url in sorted(cached)}
        stale = [url for url in sorted(cached) if served[url] != fresh[url]]
        for url in stale:
            forget_page(url)  # so that it is not blamed on the next change
        now = {**served, **fresh}
        changed = {url for url in cached if now[url] != self.seen[url]}
        invalidated = cached - current
        self.outcomes.append(
            Outcome(
                change,
                len(cached),
                len(changed),
                len(invalidated),
                len(invalidated - changed),
                stale,
            )
        )
        self.seen = now

    def check_remembered_values(self):
        """A page re-rendered for a reader used the values remembered across requests (a
        list's count, the sitemap's pages): each must have followed every change."""
        with without_any_cache():
            fresh = {url: read(self.client, url) for url in self.seen}
        return [url for url in sorted(fresh) if fresh[url] != self.seen[url]]

    def apply(self, change, action):
        action()
        self.check(change)

    def report(self):
        """Per change, then per kind of change: pages checked, changed, marked stale, and
        marked stale without changing (the price)."""
        width = max(len(outcome.change) for outcome in self.outcomes)
        header = f"{'change':<{width}}  pages  changed  invalidated  price  stale"
        lines = [header]
        groups = {}
        for o in self.outcomes:
            lines.append(
                f"{o.change:<{width}}  {o.pages:5}  {o.changed:7}  {o.invalidated:11}"
                f"  {o.price:5}  {len(o.stale):5}"
            )
            group = o.change.split(".")[0] if "." in o.change else "workflow"
            groups.setdefault(group, []).append(o)
        lines += ["", header.replace("change", "kind  ", 1)]
        for group, outcomes in [*groups.items(), ("all", self.outcomes)]:
            pages, changed, invalidated, price = (
                sum(getattr(o, name) for o in outcomes)
                for name in ("pages", "changed", "invalidated", "price")
            )
            stale = sum(len(o.stale) for o in outcomes)
            lines.append(
                f"{group + f' ({len(outcomes)})':<{width}}  {pages:5}  {changed:7}"
                f"  {invalidated:11}  {price:5}  {stale:5}"
            )
        return "\n".join(lines)

    def stale_pages(self):
        return [(o.change, url) for o in self.outcomes for url in o.stale]


# -- Field changes, generated from the models -------------------------------------------------


def editable_columns(model):
    """Every stored field of `model` but its primary key. Of a translated field, one
    language's column, each field in the next language in turn: the rules name fields, not
    languages, and one column each keeps the test quick. The untranslated column that
    modeltranslation keeps mirrors one of them."""
    try:
        translated = set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        translated = set()
    columns = []
    for column in model._meta.concrete_fields:
        if column.primary_key or column.name in translated:
            continue
        original = getattr(column, "translated_field", None)
        if original is not None:
            turn = LANGUAGES[sorted(translated).index(original.name) % len(LANGUAGES)]
            if column.language != turn:
                continue
        columns.append(column)
    return columns


def other_value(instance, column):
    """A value of `column` different from the instance's, as an edit or a command would
    store it. A field of a kind not known here fails the test: teach it the new kind."""
    old = column.value_from_object(instance)
    if isinstance(column, models.ImageField):
        return samples.verified(samples.jpeg((1400, 800)))
    if column.choices:
        return next(value for value, _label in column.choices if value != old)
    if isinstance(column, models.ForeignKey):
        if column.null and old is not None:
            return None
        return [
            candidate.pk
            for candidate in column.related_model.objects.exclude(pk=old).order_by("pk")
        ]
    if isinstance(column, models.BooleanField):
        return not old
    if isinstance(column, models.DateTimeField):
        if old is None:
            return timezone.now() + timedelta(hours=1)
        return None if column.null else old - timedelta(hours=1)
    if isinstance(column, models.JSONField):
        return {} if old else {"changed": True}
    if isinstance(column, models.IntegerField):
        # Down rather than up: an image's stored width stays within the image.
        return old - 1 if old and old > 1 else (old or 0) + 1
    if isinstance(column, models.URLField):
        return "https://example.org/changed"
    if isinstance(column, models.EmailField):
        return "changed@example.org"
    if isinstance(column, models.SlugField):
        return f"{old or 'new'}-changed"[: column.max_length]
    if isinstance(column, (models.CharField, models.TextField)):
        return f"Changed {old or ''}"[: column.max_length or None]
    raise LookupError(f"No change known for {column!r} ({type(column).__name__})")


def save_with(instance, column, value):
    """Sets and saves; of several candidate rows for a foreign key, the first the database
    accepts (a byline cannot name an author twice). Returns whether one was saved."""
    for candidate in value if isinstance(value, list) else [value]:
        setattr(instance, column.attname if column.is_relation else column.name, candidate)
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            continue
        return True
    return False


# Models no public page reads: the desk's history and translation aids, the search index.
NOT_SHOWN = {ArticleEvent, OriginalText, SearchDocument, PageEvent}


def shown_models():
    models_of_apps = {
        model
        for app in ["articles", "authors", "images", "notices", "pages"]
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    }
    return models_of_apps - NOT_SHOWN


def visibility():
    return {
        (type(item), item.pk): tuple(item.released_languages())
        for kind in (Article, Page)
        for item in kind.objects.all()
    }


def field_change_steps(ledger, subjects):
    """One change per column of each subject's model; a change that alters what is live
    where is undone next (itself a change), so that later changes still act on a live site."""
    for name, subject in subjects.items():
        model = type(subject)
        for column in editable_columns(model):
            instance = model.objects.get(pk=subject.pk)
            old = getattr(instance, column.attname)
            value = other_value(instance, column)
            before = visibility()
            assert save_with(instance, column, value), f"{name}.{column.name} was not saved"
            ledger.check(f"{name}.{column.name}")
            if visibility() != before:
                instance = model.objects.get(pk=subject.pk)
                setattr(instance, column.attname, old)
                instance.save()
                ledger.check(f"{name}.{column.name} undone")


def keep_in_navigation(section):
    section.in_navigation = True
    section.save()


def choose_lead_image(article_pk, image):
    article = Article.objects.get(pk=article_pk)
    article.lead_image = image
    article.save()


# -- The test ---------------------------------------------------------------------------------


@pytest.mark.xfail(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="failed once in four runs on PostgreSQL with Redis (a whole suite's pass) and not "
    "since, alone or with ids crossing a sitemap page; one suspect, lists sorted on ties "
    "that PostgreSQL breaks as rows move, is fixed and tests/reading/test_row_order.py "
    "guards it: the report shows XPASS while it passes",
    strict=False,
)
def test_no_change_leaves_a_stale_page_in_the_cache(client):
    with time_machine.travel(START, tick=True) as clock:
        run_every_change(client, clock)


def run_every_change(client, clock):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "x" * 16)
    subject = seed()
    ledger = Ledger(client)
    byline = subject.bylines.first()
    link = RelatedArticle.objects.filter(target=subject).first()
    caucasus = Topic.objects.get(name_en="Caucasus")
    # The images first: later changes of the article and author may stop showing them.
    subjects = {
        "lead image": subject.lead_image,
        "author photo": byline.author.photo,
        "article": subject,
        "section": subject.section,
        "topic": caucasus,
        "author": byline.author,
        "notice": SiteNotice.objects.get(),
        "byline": byline,
        "related link": link,
        "site page": Page.objects.get(title_en="About"),
    }
    # A new model of these apps is changed here too, or said to be shown nowhere.
    assert shown_models() == {type(item) for item in subjects.values()}
    field_change_steps(ledger, subjects)

    draft = Article.objects.get(title_en="A draft")
    older = Article.objects.get(title_en="Older in energy")
    trade = Topic.objects.get(name_en="Trade")
    subject = Article.objects.get(pk=subject.pk)
    step = ledger.apply
    step("publish a draft", lambda: services.publish(draft, by=editor))
    step("unpublish", lambda: services.unpublish(draft, by=editor))
    step(
        "schedule",
        lambda: services.schedule(draft, by=editor, at=timezone.now() + timedelta(minutes=30)),
    )
    step("the schedule passes", lambda: clock.shift(timedelta(minutes=31)))
    step("publish_scheduled runs", lambda: call_command("publish_scheduled", verbosity=0))
    step("a release time passes", lambda: clock.shift(timedelta(hours=1)))
    step(
        "new article",
        lambda: ArticleFactory(translated=True, section=subject.section, topics=[trade]),
    )
    added = {}
    step(
        "byline added",
        lambda: added.update(
            byline=ArticleAuthor.objects.create(
                article=subject,
                author=Author.objects.exclude(bylines__article=subject).first(),
                position=9,
            )
        ),
    )
    step("byline removed", lambda: added["byline"].delete())
    step(
        "related link added",
        lambda: added.update(
            link=RelatedArticle.objects.create(
                source=subject,
                target=Article.objects.exclude(pk=subject.pk)
                .exclude(linked_from__source=subject)
                .first(),
                position=3,
            )
        ),
    )
    step("related link removed", lambda: added["link"].delete())
    step("topic added", lambda: subject.topics.add(trade))
    step("topic removed", lambda: subject.topics.remove(trade))
    step("article added from the topic", lambda: trade.articles.add(draft))
    step("topics cleared", lambda: older.topics.clear())
    step(
        "notice added",
        lambda: SiteNotice.objects.create(
            message_en="Elections tonight.",
            is_active=True,
            ends_at=timezone.now() + timedelta(minutes=5),
        ),
    )
    step("the notice ends", lambda: clock.shift(timedelta(minutes=6)))
    step("notice deleted", lambda: SiteNotice.objects.all().delete())
    step("section added", lambda: SectionFactory(name_en="Empty section"))
    step(
        "first article of the empty section",
        lambda: ArticleFactory(
            title_en="First in its section", section=Section.objects.get(name_en="Empty section")
        ),
    )
    step(
        "the section's only article deleted",
        lambda: Article.objects.get(title_en="First in its section").delete(),
    )
    step(
        "the empty section kept in the navigation",
        lambda: keep_in_navigation(Section.objects.get(name_en="Empty section")),
    )
    step("empty section deleted", lambda: Section.objects.get(name_en="Empty section").delete())
    step("topic deleted", lambda: trade.delete())
    step("author deleted", lambda: Author.objects.filter(bylines__isnull=True).delete())
    lead_image = LibraryImage.objects.exclude(photo_of__isnull=False).first()
    step("lead image chosen", lambda: choose_lead_image(subject.pk, lead_image))
    step("lead image deleted", lambda: LibraryImage.objects.get(pk=lead_image.pk).delete())
    step("article deleted", lambda: Article.objects.get(pk=subject.pk).delete())
    about = Page.objects.get(title_en="About")
    step("site page unpublished", lambda: services.unpublish(about, by=editor))
    step("site page published", lambda: services.publish(about, by=editor))
    step("new site page", lambda: PageFactory(title_en="Contact", fr=True))
    step("site page deleted", lambda: Page.objects.get(title_en="Contact").delete())

    print("\n" + ledger.report())
    assert ledger.stale_pages() == []
    assert ledger.check_remembered_values() == []
