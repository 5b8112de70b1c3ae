import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` skip, with the reason, on any other database."""
    from django.conf import settings

    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test starts in English, with an empty cache and its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def expected_database():
    return os.environ.get("NEWSROOM_EXPECT_DATABASE")


@pytest.fixture
def vendor(db):
    return connection.vendor
