from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from articles.models import Article, ArticleAuthor, RelatedArticle, Section, Topic
from authors.models import Author

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


class ArticleFactory(DjangoModelFactory):
    """A live English article; `translated=True` adds released French and Russian versions."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        translated = factory.Trait(
            title_fr=factory.LazyAttribute(lambda o: f"{o.title_en} (FR)"),
            body_fr="<p>Corps de l’article.</p><h2>Intertitre</h2><p>Suite.</p>",
            standfirst_fr="Chapeau en français.",
            ready_fr=True,
            title_ru=factory.LazyAttribute(lambda o: f"Статья {o.title_en}"),
            body_ru="<p>Текст статьи.</p><h2>Подзаголовок</h2><p>Далее.</p>",
            standfirst_ru="Лид по-русски.",
            ready_ru=True,
        )

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
