"""axe-core, in Debian's Chromium, finds no accessibility violation on any kind of reading
page in any language, and no page scrolls sideways on a 320 px wide screen."""

import os
from pathlib import Path

import pytest

from tests.reading.pages import LANGUAGES, load_demo, reading_pages

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}
RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(
        (violation) => `${violation.id} (${violation.impact}): ` +
            violation.nodes.map((node) => node.target.join(" ")).join(", ")
    );
}"""


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        message = "needs axe-core: run `make checkers` (npm ci in tests/browser/axe)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


def test_reading_pages_are_accessible_and_fit_small_screens(live_server, browser, axe_source):
    load_demo()
    # The page's own CSP would refuse the injected checker; the pages are unchanged otherwise.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    violations, too_wide = {}, {}
    for language in LANGUAGES:
        for name, path in reading_pages(language).items():
            page.set_viewport_size(DESKTOP)
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            page.add_script_tag(content=axe_source)
            found = page.evaluate(RUN_AXE)
            if found:
                violations[f"{language} {name}"] = found
            page.set_viewport_size(PHONE)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[f"{language} {name}"] = width
    context.close()
    assert violations == {}
    assert too_wide == {}
