"""Every string a person reads is translated in the French and Russian catalogues.

Strings are found as `makemessages` finds them: `{% translate %}` and `{% blocktranslate %}`
in templates, gettext calls in Python. A fuzzy or empty entry counts as untranslated.
"""

import ast
import gettext
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

SKIPPED_DIRS = {".venv", "tests", "bench", "migrations", "node_modules", "staticfiles", "media"}
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'(?:, )?)+)")


def project_files(suffix):
    for root, dirs, files in os.walk(settings.BASE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(suffix):
                yield Path(root) / name


def catalogue_key(function, strings):
    """The key of a message in a compiled catalogue (context and plural included)."""
    context = strings[0] if function.startswith(("pgettext", "npgettext")) else None
    msgid = strings[1] if context is not None else strings[0]
    key = f"{context}\x04{msgid}" if context is not None else msgid
    return (key, 0) if function.startswith(("ngettext", "npgettext")) else key


def template_messages():
    for path in project_files(".html"):
        for function, arguments in TEMPLATE_CALL.findall(templatize(path.read_text())):
            strings = ast.literal_eval(f"({arguments.rstrip(', ')},)")
            yield path.name, catalogue_key(function, strings)


def python_messages():
    for path in project_files(".py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            strings = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            if name in GETTEXT_NAMES and strings:
                yield path.name, catalogue_key(name.removesuffix("_lazy"), strings)


def test_the_extraction_finds_template_and_python_strings():
    found = {key for _file, key in [*template_messages(), *python_messages()]}
    assert "Skip to content" in found
    assert ("%(counter)s result for “%(query)s”", 0) in found
    assert "A topic cannot be nested inside itself." in found


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_every_interface_string_is_translated(language):
    mo = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    missing = sorted(
        {
            f"{file}: {key}"
            for file, key in [*template_messages(), *python_messages()]
            if not catalogue.get(key)
        }
    )
    assert missing == []
