"""gunicorn settings for one Newsroom app server (see docs/several-machines.md).

    gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi

Every value can be overridden from the environment the systemd unit gives it.
"""

import multiprocessing
import os

# Varnish (or a load balancer) reaches the app servers on the private network.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Pages are rendered in Python and read from the database: a process per core, and two
# threads each so that a page waiting on the database or Redis does not hold a core.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A worker stuck longer than this is replaced; an import or a large upload stays under it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Varnish keeps connections open to its backends.
keepalive = 75
# Recycle workers now and then: memory a long-lived process gathers is given back.
max_requests = 5000
max_requests_jitter = 500
# Load the app before forking: workers share its memory and start at once.
preload_app = True
accesslog = "-"
errorlog = "-"
# Only Varnish or the TLS proxy on these addresses may say who the client is.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
