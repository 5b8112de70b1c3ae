import io
import math
import secrets
import tomllib
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from PIL import Image, ImageDraw

from articles import roles, services
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEvent,
    RelatedArticle,
    Section,
    Topic,
    language_codes,
)
from authors.models import Author
from newsroom.images import models as library
from newsroom.slugs import slugify_text

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
TRANSLATED_ARTICLE_FIELDS = [
    "title",
    "standfirst",
    "body",
    "seo_description",
    "image_alt",
    "image_caption",
    "image_credit",
]
SOCIAL_FIELDS = {"twitter": "x", "x": "x", "mastodon": "mastodon", "bluesky": "bluesky"}
# One desk account per role, so a newcomer can try the admin as each of them.
DEMO_DESK = [
    ("editor", roles.EDITOR, None),
    ("author", roles.AUTHOR, "thomas-ashworth"),
    ("translator-fr", roles.translator_group("fr"), None),
]


def abstract_image(hue, size=(1600, 900)):
    """An original abstract illustration: overlapping translucent discs on a gradient."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        lightness = 35 + 30 * y / height
        draw.line([(0, y), (width, y)], fill=f"hsl({hue}, 45%, {lightness:.0f}%)")
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for index in range(7):
        angle = index * 2 * math.pi / 7 + hue
        radius = height * (0.18 + 0.05 * (index % 3))
        cx = width / 2 + math.cos(angle) * width * 0.28
        cy = height / 2 + math.sin(angle) * height * 0.25
        tint = (hue + index * 23) % 360
        colour = Image.new("RGB", (1, 1), f"hsl({tint}, 60%, 70%)").getpixel((0, 0))
        shapes.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=(*colour, 90))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def library_image(title, name, data):
    image = library.Image(title=title)
    image.file.save(name, ContentFile(data), save=False)
    image.save()
    return image


class Command(BaseCommand):
    help = (
        "Load the demo publication: authors, sections, topics and articles in English, "
        "French and Russian. Idempotent: items that already exist are left untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            default="http://127.0.0.1:8000",
            help='The address the site is served at, for the "where to look" lines.',
        )

    def handle(self, *args, **options):
        self.created = {"sections": 0, "topics": 0, "authors": 0, "articles": 0}
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            taxonomy = tomllib.loads((DEMO_DIR / "taxonomy.toml").read_text("utf-8"))
            sections = self.load_taxonomy(Section, taxonomy["sections"], "sections")
            topics = self.load_taxonomy(Topic, taxonomy["topics"], "topics")
            authors = self.load_authors(
                tomllib.loads((DEMO_DIR / "authors.toml").read_text("utf-8"))["authors"]
            )
            self.load_articles(sections, topics, authors)
        summary = ", ".join(f"{count} {kind}" for kind, count in self.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content ready (created {summary})."))
        call_command("setup_roles", stdout=io.StringIO())
        self.ensure_superuser(options["site"].rstrip("/"))
        self.ensure_desk_users(authors)

    def load_taxonomy(self, model, items, kind):
        by_key = {}
        for position, item in enumerate(items):
            existing = model.objects.filter(slug_en=item["en"]["slug"]).first()
            if existing is None:
                existing = model()
                for code in language_codes():
                    texts = item.get(code, {})
                    for field in ("name", "slug", "description"):
                        if field in texts:
                            setattr(existing, f"{field}_{code}", texts[field])
                if model is Section:
                    existing.position = position
                if item.get("parent"):
                    existing.parent = by_key[item["parent"]]
                existing.save()
                self.created[kind] += 1
            by_key[item["key"]] = existing
        return by_key

    def load_authors(self, items):
        by_key = {}
        for item in items:
            author = Author.objects.filter(slug=item["key"]).first()
            if author is None:
                author = Author(slug=item["key"], email=item.get("email", ""))
                author.website = item.get("website", "")
                for network, url in item.get("social", {}).items():
                    if network in SOCIAL_FIELDS:
                        setattr(author, SOCIAL_FIELDS[network], url)
                for code in language_codes():
                    for field, value in item.get(code, {}).items():
                        setattr(author, f"{field}_{code}", value)
                hue = sum(map(ord, item["key"])) % 360
                author.photo = library_image(
                    author.name_en, f"{item['key']}.jpg", abstract_image(hue, (400, 400))
                )
                author.save()
                self.created["authors"] += 1
            by_key[item["key"]] = author
        return by_key

    def load_articles(self, sections, topics, authors):
        now = timezone.now()
        items = [
            tomllib.loads(path.read_text("utf-8"))
            for path in sorted((DEMO_DIR / "articles").glob("*.toml"))
        ]
        by_key, new_keys = {}, set()
        for item in items:
            original = item["original_language"]
            slug = slugify_text(item[original]["title"])
            article = Article.objects.filter(**{f"slug_{original}": slug}).first()
            if article is None:
                article = self.create_article(item, sections, now)
                ArticleAuthor.objects.bulk_create(
                    ArticleAuthor(article=article, author=authors[key], position=position)
                    for position, key in enumerate(item["authors"])
                )
                article.topics.set([topics[key] for key in item["topics"]])
                new_keys.add(item["key"])
                self.created["articles"] += 1
            by_key[item["key"]] = article
        for item in items:
            unknown = set(item.get("related", [])) - by_key.keys()
            if unknown:
                raise CommandError(f"{item['key']}: unknown related articles {sorted(unknown)}")
            if item["key"] in new_keys:
                RelatedArticle.objects.bulk_create(
                    RelatedArticle(source=by_key[item["key"]], target=by_key[key], position=index)
                    for index, key in enumerate(item.get("related", []))
                )

    def create_article(self, item, sections, now):
        article = Article(
            section=sections[item["section"]],
            original_language=item["original_language"],
            status=item["status"],
        )
        if item["status"] == Article.Status.PUBLISHED:
            article.published_at = now - timedelta(hours=item["published_hours_ago"])
        original = item["original_language"]
        title = item[original]["title"]
        article.lead_image = library_image(
            title, f"{slugify_text(title)}.jpg", abstract_image(item.get("image_hue", 210))
        )
        # A body's figures name the article's images by number: `data-image="image:1"`.
        figures = {
            f'data-image="image:{number}"': f'data-image="{image.pk}"'
            for number, hue in enumerate(item.get("figure_hues", []), start=1)
            for image in [
                library_image(f"{title} ({number})", f"figure-{hue}.jpg", abstract_image(hue))
            ]
        }
        for code in language_codes():
            texts = item.get(code)
            if not texts:
                continue
            for field in TRANSLATED_ARTICLE_FIELDS:
                setattr(article, f"{field}_{code}", texts.get(field, ""))
            setattr(article, f"slug_{code}", slugify_text(texts["title"]))
            setattr(article, f"ready_{code}", True)
            body = getattr(article, f"body_{code}")
            for reference, stored in figures.items():
                body = body.replace(reference, stored)
            setattr(article, f"body_{code}", body)
        article.full_clean()
        article.save()
        if article.is_scheduled:
            # As the desk's "Schedule" button records it, so `publish_scheduled` acts on time.
            services.record_event(
                article,
                by=None,
                action=ArticleEvent.Action.SCHEDULED,
                published_at=article.published_at,
            )
        return article

    def ensure_superuser(self, site):
        users = get_user_model().objects
        self.stdout.write(f"Public site: {site}/   Editors' admin: {site}/admin/")
        if users.filter(is_superuser=True).exists():
            self.stdout.write(
                "Log in with your superuser (the demo's is 'admin', its password was printed "
                "when it was created; 'python manage.py changepassword admin' sets a new one)."
            )
        elif not settings.DEBUG:
            self.stdout.write(
                "No superuser created: DEBUG is off. Use 'manage.py createsuperuser'."
            )
        else:
            password = secrets.token_urlsafe(12)
            users.create_superuser("admin", "admin@example.org", password)
            self.stdout.write(self.style.SUCCESS(f"Log in as 'admin' with password: {password}"))

    def ensure_desk_users(self, authors):
        """Demo accounts for the editor, author and French translator roles (DEBUG only)."""
        users = get_user_model().objects
        missing = [role for role in DEMO_DESK if not users.filter(username=role[0]).exists()]
        if not settings.DEBUG or not missing:
            return
        self.stdout.write("Desk accounts to try each role:")
        for username, group, author_key in missing:
            password = secrets.token_urlsafe(12)
            user = users.create_user(username, f"{username}@example.org", password, is_staff=True)
            user.groups.add(Group.objects.get(name=group))
            if author_key:
                author = authors[author_key]
                author.user = user
                author.save(update_fields=["user"])
            self.stdout.write(f"  {username} ({group}, password: {password})")
