"""bench/make_wxr.py writes exports that import_articles reads."""

import io

import pytest

from articles.models import Article
from bench import make_wxr
from tests.transfer.conftest import run_import


def test_help_is_shown(capsys):
    with pytest.raises(SystemExit) as exit_info:
        make_wxr.main(["--help"])
    assert exit_info.value.code == 0
    assert "--languages" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(("languages", "released"), [("en,fr,ru", 3), ("en", 1)])
def test_the_written_export_imports(tmp_path, monkeypatch, languages, released):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    make_wxr.main(["3", "--languages", languages])
    path = tmp_path / "bench.xml"
    path.write_text(out.getvalue(), "utf-8")
    run_import(path)
    assert Article.objects.count() == 3
    assert len(Article.objects.get(title_en="Story 0").released_languages()) == released
