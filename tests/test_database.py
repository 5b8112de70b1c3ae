import pytest


@pytest.mark.django_db
def test_suite_runs_on_the_database_ci_asked_for(vendor, expected_database):
    """CI sets NEWSROOM_EXPECT_DATABASE so that a PostgreSQL run can never silently use SQLite."""
    if expected_database is None:
        pytest.skip("NEWSROOM_EXPECT_DATABASE is not set (only CI sets it)")
    assert vendor == expected_database
