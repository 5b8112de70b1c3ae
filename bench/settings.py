"""The site as deployed, plus the constant page the figures are measured against."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# "testserver" lets the benchmark count each page's queries in-process.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Plain HTTP on loopback, as behind the TLS-terminating proxy of a deployment.
SECURE_SSL_REDIRECT = False
