"""`manage.py translation_status`: the matrix for scripts, and a gate for CI."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.factories import UNKNOWN_LANGUAGE, ArticleFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("translation_status", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def articles():
    ready = ArticleFactory(translated=True, title_en="Everything ready")
    stale = ArticleFactory(translated=True, title_en="Stale in Russian")
    stale.title_en = "Stale in Russian, revised"
    stale.save()
    stale.confirm_translation("fr")
    partial = ArticleFactory(title_en="Partly translated", title_fr="En cours")
    return ready, stale, partial


def test_json_lists_every_article_and_the_totals(articles):
    ready, stale, partial = articles
    data = json.loads(run("--format", "json"))
    assert data["articles"][1] == {
        "id": stale.pk,
        "title": "Stale in Russian, revised",
        "original_language": "en",
        "status": "published",
        "en": "ready",
        "fr": "ready",
        "ru": "outdated",
    }
    assert [row["fr"] for row in data["articles"]] == ["ready", "ready", "in_progress"]
    assert data["totals"]["ru"] == {"missing": 1, "in_progress": 0, "outdated": 1, "ready": 1}


def test_csv_for_one_language(articles):
    rows = list(csv.DictReader(io.StringIO(run("--language", "fr", "--format", "csv"))))
    assert list(rows[0]) == ["id", "title", "original_language", "status", "fr"]
    assert [row["fr"] for row in rows] == ["ready", "ready", "in_progress"]


def test_table_is_readable_and_ends_with_totals(articles):
    lines = run().splitlines()
    assert lines[0].split() == ["ID", "TITLE", "ORIGINAL", "STATUS", "EN", "FR", "RU"]
    assert lines[2].split()[-3:] == ["ready", "ready", "outdated"]
    assert lines[-1] == "ru: 1 missing, 0 in_progress, 1 outdated, 1 ready"


def test_fail_on_outdated_exits_non_zero_when_a_live_article_is_stale(articles):
    with pytest.raises(CommandError, match="1 live article") as error:
        run("--fail-on-outdated")
    assert error.value.returncode == 1
    run("--fail-on-outdated", "--language", "fr")  # French is up to date


def test_fail_on_outdated_ignores_articles_not_live(articles):
    _ready, stale, _partial = articles
    stale.status = Article.Status.DRAFT
    stale.save()
    run("--fail-on-outdated")


def test_an_unknown_language_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run("--language", UNKNOWN_LANGUAGE)
