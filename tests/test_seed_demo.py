import re
import shlex
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles import roles, services
from articles.models import Article, RelatedArticle, Section, Topic
from authors.models import Author
from newsroom.images.models import Image

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Article, Author, Section, Topic, RelatedArticle)
    } | {"updated": sorted(Article.objects.values_list("updated_at", flat=True))}


def test_seed_demo_builds_a_three_language_newsroom(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    assert Author.objects.count() >= 4
    assert Section.objects.count() >= 5
    assert Topic.objects.count() >= 8
    assert Article.objects.count() >= 15
    assert Topic.objects.filter(parent__isnull=False).exists()
    for language in ["en", "fr", "ru"]:
        assert Article.objects.live(language).count() >= 10
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == {"draft", "review", "published"}
    assert any(article.is_scheduled for article in Article.objects.all())
    for language in ["en", "fr", "ru"]:
        live = Article.objects.live(language)
        bodies = [getattr(article, f"body_{language}") for article in live]
        with_figures = [body for body in bodies if 'data-gallery="grid"' in body]
        assert with_figures, language
        ids = {int(pk) for pk in re.findall(r'data-image="(\d+)"', with_figures[0])}
        assert len(ids) == 3 and Image.objects.filter(pk__in=ids).count() == 3
    assert Article.objects.filter(lead_image=None).count() == 0
    for language in ["en", "fr", "ru"]:
        bodies = " ".join(
            Article.objects.live(language).values_list(f"body_{language}", flat=True)
        )
        for element in ["<table><caption>", '<span class="note">', "<div data-embed="]:
            assert element in bodies, (language, element)
    output = capsys.readouterr().out
    assert "http://127.0.0.1:8000/admin/" in output
    assert "Log in as 'admin' with password: " in output
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()


def test_seed_demo_twice_changes_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before
    assert get_user_model().objects.count() == 4
    assert "created 0 sections, 0 topics, 0 authors, 0 articles" in capsys.readouterr().out


def test_seed_demo_creates_no_superuser_without_debug(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo")
    assert not get_user_model().objects.exists()
    assert "No superuser created" in capsys.readouterr().out


def test_seed_demo_gives_a_desk_account_for_each_role(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    users = get_user_model().objects
    assert set(users.get(username="editor").groups.values_list("name", flat=True)) == {"Editor"}
    author = users.get(username="author")
    assert author.is_staff and author.author_profile.slug == "thomas-ashworth"
    translator = users.get(username="translator-fr")
    assert translator.groups.get().name == roles.translator_group("fr")
    assert "translator-fr (" in capsys.readouterr().out


def test_the_demo_scheduled_article_is_performed_by_publish_scheduled_once_due(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    scheduled = next(article for article in Article.objects.all() if article.is_scheduled)
    assert services.due_publications() == []
    with time_machine.travel(scheduled.published_at + timedelta(minutes=1)):
        assert [item[1:3] for item in services.due_publications()] == [
            ("articles.Article", scheduled.pk)
        ]


def test_make_run_on_another_port_says_where_to_look(settings, capsys):
    """`make run PORT=8104` passes its address to seed_demo, which prints it."""
    root = Path(__file__).resolve().parent.parent
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8104"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    seed = next(line for line in plan.splitlines() if "manage.py seed_demo" in line)
    site = shlex.split(seed)[shlex.split(seed).index("--site") + 1]
    assert site == "http://127.0.0.1:8104"
    settings.DEBUG = True
    call_command("seed_demo", site=site)
    output = capsys.readouterr().out
    assert (
        "Public site: http://127.0.0.1:8104/   Editors' admin: http://127.0.0.1:8104/admin/"
        in (output)
    )
    assert "8000" not in output
