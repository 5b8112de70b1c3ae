"""Every WordPress export version is read; a file that is not one is named for what it is."""

import pytest

from articles.models import Article
from tests.transfer.conftest import failed_import, run_import
from tests.transfer.wxr import export, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_export_version_in_either_namespace_is_imported(write_wxr, version, scheme):
    run_import(write_wxr(export(post(1, "Hello"), version=version, scheme=scheme)))
    assert Article.objects.get().title_en == "Hello"


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>
<item><title>A</title></item></channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title></feed>"""
HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Export</title></head>
<body><p>Hi<br></body></html>"""
SVG = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'


@pytest.mark.parametrize(
    ("content", "format_option", "message"),
    [
        (RSS, [], "an RSS feed without WordPress's export elements, not a WordPress export"),
        (ATOM, [], "an Atom feed, not a WordPress export"),
        (HTML, [], "an HTML page, not a WordPress export"),
        (SVG, [], "XML whose root element is <svg>, not a WordPress export"),
        ('{"articles": []}', ["--format", "wxr"], "JSON, not a WordPress export"),
        ("", [], "the file is empty"),
        ("   \n", ["--format", "wxr"], "the file is empty"),
        ("Title,Body\nA,B\n", ["--format", "wxr"], "not XML"),
    ],
    ids=["rss", "atom", "html", "other xml", "json", "empty", "blank", "csv"],
)
def test_a_file_that_is_not_a_wordpress_export_is_named(
    write_wxr, content, format_option, message
):
    errors = failed_import(write_wxr(content), *format_option)
    assert message in errors
    assert not Article.objects.exists()


def test_an_unknown_export_version_is_refused_with_the_versions_known(write_wxr):
    errors = failed_import(write_wxr(export(post(1), version="2.0")))
    assert "found '2.0', expected one of 1.0, 1.1, 1.2" in errors
