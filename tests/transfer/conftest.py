import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_image(path, colour="navy"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (48, 32), colour).save(path)


@pytest.fixture
def media_dir(tmp_path):
    """The old site's upload folder, holding every image the fixtures refer to."""
    folder = tmp_path / "uploads"
    write_image(folder / "2022" / "01" / "harbour.png")
    write_image(folder / "2024" / "03" / "corridor.png", "teal")
    write_image(folder / "people" / "lea.png", "olive")
    return folder


@pytest.fixture
def newsroom_file():
    """The JSON fixture as a dict, to write back (changed) with `write_json`."""
    return json.loads((FIXTURES / "newsroom.json").read_text("utf-8"))


@pytest.fixture
def write_json(tmp_path):
    def write(data, name="import.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        return path

    return write


def run_import(*args):
    """(stdout, stderr) of import_articles; raises CommandError when it fails."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failed_import(*args):
    """The error output of an import that must fail."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_articles", *map(str, args), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def write_wxr(tmp_path):
    """Writes an export (see tests/transfer/wxr.py) to a file and returns its path."""

    def write(text, name="export.xml"):
        path = tmp_path / name
        path.write_text(text, "utf-8")
        return path

    return write
