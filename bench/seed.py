"""A realistic archive, fast: bulk inserts, no per-row save() or signals.

Articles of about 1,000 words with subheadings in English, French and Russian (a tenth
without Russian, a few drafts and scheduled ones), 50 authors, 6 sections and two levels
of topics, bylines of one or two authors, topics and curated related links.
"""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    RelatedArticle,
    SearchDocument,
    Section,
    Topic,
)
from articles.search import refresh_search_index
from authors.models import Author

BATCH = 1000
# Dependants first.
CONTENT_MODELS = [
    SearchDocument,
    RelatedArticle,
    ArticleAuthor,
    Article.topics.through,
    Article,
    Author,
    Topic,
    Section,
]


def words(text):
    return text.split()


WORDS = {
    "en": words(
        "the grid port harvest election reform budget council corridor market region "
        "pipeline turbine minister treaty policy loan village river border energy price "
        "voters survey factory export import season water cost wage tariff data network "
        "coast farmers district capital coalition inflation refinery contract analysts "
        "between across while after before during under within against towards rising "
        "slower cheaper remote local regional national quietly sharply again still"
    ),
    "fr": words(
        "le réseau port récolte élection réforme budget conseil corridor marché région "
        "gazoduc turbine ministre traité politique prêt village fleuve frontière énergie "
        "prix électeurs enquête usine exportation importation saison eau coût salaire "
        "tarif données côte agriculteurs district capitale coalition inflation raffinerie "
        "contrat analystes entre pendant après avant malgré vers hausse lente moins chère "
        "isolée locale régionale nationale discrètement nettement encore toujours"
    ),
    "ru": words(
        "сеть порт урожай выборы реформа бюджет совет коридор рынок регион трубопровод "
        "турбина министр договор политика кредит село река граница энергия цена "
        "избиратели опрос завод экспорт импорт сезон вода стоимость зарплата тариф данные "
        "побережье фермеры район столица коалиция инфляция завод контракт аналитики между "
        "после перед во время под внутри против рост медленнее дешевле удалённый местный "
        "региональный национальный тихо резко снова всё ещё"
    ),
}
LANGUAGES = list(WORDS)


THEMES = 6


def sentence(rng, words):
    return " ".join(rng.choices(words, k=rng.randint(9, 18))).capitalize() + "."


def paragraph_pools(rng, language, size=60):
    """Per theme, paragraphs of 60 to 90 words drawn from that theme's words.

    Themes keep a word out of most articles, as in a real archive, so that a search
    matches a share of the articles rather than all of them.
    """
    pools = []
    for theme in range(THEMES):
        words = WORDS[language][theme::THEMES]
        pool = []
        for _ in range(size):
            text = ""
            while len(text.split()) < rng.randint(60, 90):
                text += sentence(rng, words) + " "
            pool.append(f"<p>{text.strip()}</p>")
        pools.append(pool)
    return pools


def body(rng, pools, language):
    """About 1,000 words on two themes: 13 paragraphs under three subheadings."""
    first, second = rng.sample(pools, 2)
    parts = []
    for index, paragraph in enumerate(rng.sample(first + second, 13)):
        if index in (3, 7, 10):
            parts.append(f"<h2>{sentence(rng, WORDS[language])[:-1]}</h2>")
        parts.append(paragraph)
    return "\n".join(parts)


def seed_taxonomy(rng):
    sections = Section.objects.bulk_create(
        Section(
            name_en=name,
            slug_en=name.lower(),
            name_fr=f"{name} (fr)",
            slug_fr=f"{name.lower()}-fr",
            name_ru=f"{name} (ru)",
            slug_ru=f"{name.lower()}-ru",
            position=position,
        )
        for position, name in enumerate(
            ["Politics", "Economy", "Energy", "Technology", "Society", "Climate"]
        )
    )
    topics = []
    for region in ["Asia", "Europe", "Africa", "Americas", "Arctic", "Oceans", "Cities", "Trade"]:
        parent = Topic.objects.create(name_en=region, slug_en=region.lower())
        topics.append(parent)
        for number in range(1, 5):
            topics.append(
                Topic.objects.create(
                    name_en=f"{region} {number}",
                    slug_en=f"{region.lower()}-{number}",
                    parent=parent,
                )
            )
    authors = Author.objects.bulk_create(
        Author(
            name_en=f"Writer {number}",
            slug=f"writer-{number}",
            role_en="Correspondent",
            short_bio_en=f"Writer {number} covers {rng.choice(WORDS['en'])} and trade.",
        )
        for number in range(1, 51)
    )
    return sections, topics, authors


def make_article(rng, number, now, sections, pools):
    state = rng.random()
    status = Article.Status.DRAFT if state < 0.02 else Article.Status.PUBLISHED
    published_at = now - timedelta(minutes=10 * number + rng.randint(0, 9))
    if 0.02 <= state < 0.03:
        published_at = now + timedelta(days=rng.randint(1, 30))
    fields = {}
    for language in LANGUAGES:
        if language == "ru" and rng.random() < 0.1:
            continue
        words = WORDS[language]
        title = sentence(rng, words)[:-1][:150]
        fields.update(
            {
                f"title_{language}": title,
                f"slug_{language}": f"{language}-story-{number}",
                f"standfirst_{language}": f"{sentence(rng, words)} {sentence(rng, words)}",
                f"body_{language}": body(rng, pools[language], language),
                f"ready_{language}": True,
            }
        )
    return Article(
        section=rng.choice(sections),
        status=status,
        published_at=published_at,
        original_language="en",
        **fields,
    )


def seed(articles, *, progress=print, random_seed=8):
    """Replace the archive with `articles` generated articles."""
    rng = random.Random(random_seed)
    pools = {language: paragraph_pools(rng, language) for language in LANGUAGES}
    now = timezone.now()
    with transaction.atomic():
        # Plain DELETEs: the ORM would load every row to send its signals.
        with connection.cursor() as cursor:
            for model in CONTENT_MODELS:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        sections, topics, authors = seed_taxonomy(rng)
    made = 0
    while made < articles:
        with transaction.atomic():
            batch = Article.objects.bulk_create(
                make_article(rng, made + index, now, sections, pools)
                for index in range(min(BATCH, articles - made))
            )
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author=author, position=position)
                for article in batch
                for position, author in enumerate(rng.sample(authors, rng.choice([1, 1, 2])))
            )
            Article.topics.through.objects.bulk_create(
                Article.topics.through(article=article, topic=topic)
                for article in batch
                for topic in rng.sample(topics, rng.randint(1, 3))
            )
            RelatedArticle.objects.bulk_create(
                RelatedArticle(source=article, target=target, position=position)
                for article in batch[1::10]
                for position, target in enumerate([batch[0], batch[2]])
            )
            refresh_search_index([article.pk for article in batch])
        made += len(batch)
        progress(f"{made} / {articles} articles")
