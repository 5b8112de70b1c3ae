"""The whole deployment on loopback (bench/cluster.py): a PostgreSQL primary and streaming
replica, Redis, an S3 server, two gunicorn app servers and Varnish in front of both.

Readers read an article's page and its section's page through Varnish and from each app
server while an editor publishes, edits, unpublishes and schedules the article, and while an
app server is killed, the replica stopped, then Redis. Each response must show what the
database had committed (and purged) while it was served. The rates and the one-second bound
are the benchmark's (`make cluster`), not this test's. Skips, with the reason, without
Debian's varnish, varnish-modules and PostgreSQL server programs, or without root.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import cluster

ROOT = Path(__file__).resolve().parent.parent
PHASES = ["changes", "app1 killed", "replica stopped", "Redis stopped"]


# Run once, in the PostgreSQL pass of CI: it starts clusters of its own either way.
@pytest.mark.postgres
def test_no_reader_sees_a_stale_page_or_an_error_while_the_site_changes_and_its_parts_fail():
    if reasons := cluster.missing(argparse.Namespace(correctness_only=True)):
        pytest.skip("; ".join(reasons))
    run = subprocess.run(
        [sys.executable, "-m", "bench.cluster", "--correctness-only", "--articles", "200",
         "--base-port", "7480"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-3000:]
    for phase in PHASES:
        reads = re.search(rf"{phase}: (\d+) reads from .*, 0 errors, 0 stale", run.stdout)
        assert reads and int(reads[1]) > 0, f"{phase}: {run.stdout[-3000:]}"
    for change in ["publish", "edit", "unpublish", "scheduled time passing"]:
        assert f"| {change} |" in run.stdout
