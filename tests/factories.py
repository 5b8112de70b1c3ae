from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic
from authors.models import Author
from pages.models import Page

# A valid language code (Klingon) that no newsroom will add to LANGUAGES: the tests' example
# of a language the site does not publish in.
UNKNOWN_LANGUAGE = "tlh"


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    name_en = factory.Sequence(lambda n: f"Section {n}")
    name_fr = factory.LazyAttribute(lambda o: f"Rubrique {o.name_en}")
    name_ru = factory.Sequence(lambda n: f"Раздел {n}")
    position = factory.Sequence(int)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name_en = factory.Sequence(lambda n: f"Topic {n}")
    name_fr = factory.Sequence(lambda n: f"Thème {n}")
    name_ru = factory.Sequence(lambda n: f"Тема {n}")


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name_en = factory.Sequence(lambda n: f"Writer Number{n}")
    name_ru = factory.Sequence(lambda n: f"Автор Номер{n}")
    role_en = "Correspondent"
    short_bio_en = factory.LazyAttribute(lambda o: f"{o.name_en} writes about trade.")
    short_bio_fr = factory.LazyAttribute(lambda o: f"{o.name_en} écrit sur le commerce.")
    short_bio_ru = factory.LazyAttribute(lambda o: f"{o.name_ru} пишет о торговле.")


SAMPLE_TEXTS = {
    "fr": {
        "title": "{} (FR)",
        "body": "<p>Corps de l’article.</p><h2>Intertitre</h2><p>Suite.</p>",
        "standfirst": "Chapeau en français.",
    },
    "ru": {
        "title": "Статья {}",
        "body": "<p>Текст статьи.</p><h2>Подзаголовок</h2><p>Далее.</p>",
        "standfirst": "Лид по-русски.",
    },
}


def translated_versions():
    """The fields of a released version in each configured language but English."""
    fields = {}
    for code, _name in settings.LANGUAGES:
        if code == "en":
            continue
        texts = SAMPLE_TEXTS.get(code) or {
            "title": f"{{}} ({code.upper()})",
            "body": f"<p>Body ({code}).</p><h2>Subheading ({code})</h2><p>More ({code}).</p>",
            "standfirst": f"Standfirst ({code}).",
        }
        fields[f"title_{code}"] = factory.LazyAttribute(
            lambda o, title=texts["title"]: title.format(o.title_en)
        )
        fields[f"body_{code}"] = texts["body"]
        fields[f"standfirst_{code}"] = texts["standfirst"]
        fields[f"ready_{code}"] = True
    return fields


class ArticleFactory(DjangoModelFactory):
    """A live English article; `translated=True` adds a released version in every other
    configured language (French and Russian texts of their own, a placeholder in others)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        translated = factory.Trait(**translated_versions())

    title_en = factory.Sequence(lambda n: f"Story number {n}")
    standfirst_en = "A standfirst in English."
    body_en = "<p>The body.</p><h2>A subheading</h2><p>More body.</p>"
    ready_en = True
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(
            extracted if extracted is not None else [AuthorFactory()]
        ):
            ArticleAuthor.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        if create and extracted:
            for position, target in enumerate(extracted):
                RelatedArticle.objects.create(source=self, target=target, position=position)


class PageFactory(DjangoModelFactory):
    """A live English site page listed in the footer; `fr=True` adds a ready French
    version."""

    class Meta:
        model = Page

    class Params:
        fr = factory.Trait(
            title_fr=factory.LazyAttribute(lambda o: f"{o.title_en} (FR)"),
            body_fr="<p>La page en français.</p>",
            ready_fr=True,
        )

    title_en = factory.Sequence(lambda n: f"Site page {n}")
    body_en = "<p>What this page says.</p>"
    ready_en = True
    in_footer = True
    footer_position = factory.Sequence(int)
    status = Page.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
