"""Every list of languages derives from `settings.LANGUAGES`: adding one is a settings
change, migrations and a catalogue, not a hunt through the code."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils.translation.trans_real import language_code_re

from articles.search import postgresql_config
from newsroom.languages import open_graph_locale, site_languages, translated_locales
from tests.factories import UNKNOWN_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent
# A language to add in these tests: one the site does not have yet.
NEW = "nl" if "nl" not in dict(settings.LANGUAGES) else "sv"
WITH_NEW = [*settings.LANGUAGES, (NEW, "New")]
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def test_the_tests_unknown_language_is_a_valid_code_the_site_does_not_publish_in():
    assert language_code_re.match(UNKNOWN_LANGUAGE)
    assert UNKNOWN_LANGUAGE not in dict(settings.LANGUAGES)


def test_catalogues_are_made_for_every_language_but_the_source_one(settings):
    assert {"fr", "ru"} <= set(translated_locales())
    assert translated_locales() == TRANSLATED
    settings.LANGUAGES = WITH_NEW
    assert translated_locales() == [*TRANSLATED, NEW]


def test_make_messages_asks_for_the_configured_locales():
    result = subprocess.run(
        [sys.executable, "-m", "newsroom.languages", "--makemessages-locales"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.split() == [word for code in TRANSLATED for word in ("--locale", code)]
    makefile = (ROOT / "Makefile").read_text()
    assert "--makemessages-locales" in makefile and "--locale fr" not in makefile


def test_search_uses_postgresql_s_own_configuration_of_a_new_language():
    assert [postgresql_config(code) for code in ["en", "fr", "ru", "de", "es"]] == [
        "english",
        "french_unaccent",
        "russian",
        "german",
        "spanish",
    ]
    assert postgresql_config(UNKNOWN_LANGUAGE) == "simple"
    assert postgresql_config("be") == "simple"  # Belarusian: no stemmer in PostgreSQL


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_configured_language_has_its_text_search_configuration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        existing = {name for (name,) in cursor.fetchall()}
    for code, _name in settings.LANGUAGES:
        assert postgresql_config(code) in existing, code


def test_opengraph_locales_cover_a_new_language(settings):
    assert [open_graph_locale(code) for code in ["en", "fr", "ru"]] == ["en_GB", "fr_FR", "ru_RU"]
    settings.LANGUAGES = WITH_NEW
    assert open_graph_locale(NEW) == f"{NEW}_{NEW.upper()}"


@pytest.mark.django_db
def test_footer_and_feeds_name_the_configured_languages(client, settings):
    assert site_languages().startswith("English, Français, Русский")
    footer = client.get("/en/").content.decode()
    assert f"Independent analysis in {site_languages()}." in footer
    settings.LANGUAGES = WITH_NEW
    assert site_languages().endswith(", " + {"nl": "Nederlands", "sv": "Svenska"}[NEW])
