"""Newsroom on several machines, on this one: measure it and check that readers never see a
stale page or an error while it changes and while its parts fail.

    python -m bench.cluster [--articles 1000] [--base-port 7460] [--correctness-only]

Starts on loopback, in a temporary folder, on ports from --base-port: a PostgreSQL primary
and its streaming replica, Redis, an S3 server (moto) holding the media, two gunicorn app
servers, Varnish in front of both (deploy/varnish/newsroom.vcl) and, for the comparison,
nginx. Seeds an archive, then:

1. loads a cached article page through Varnish with wrk, and the same bytes as a static
   file from nginx, in turns (skipped with --correctness-only);
2. publishes, edits, unpublishes and schedules an article while readers load its page and
   its section's page through Varnish and from each app server, checking every response
   against what the database had committed (and its purge sent) while it was served; each
   change must be seen everywhere within a second;
3. publishes an article with a lead image: its page names its files in the bucket, and the
   bucket serves them;
4. kills one app server, then stops the replica, then Redis, each while readers read and
   an editor edits: no reader may get an error or a stale page.

Prints the figures (bench/README.md keeps them) and exits non-zero when a check failed.
Everything it started is stopped on leaving, also on failure or Ctrl-C.
"""

import argparse
import contextlib
import html
import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import postgres
from bench.run import UNITS

ROOT = Path(__file__).resolve().parent.parent
XKEY_VMOD = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so")
# How late a change may reach a reader, anywhere.
SEEN_WITHIN = 1.0
# Of nginx's rate, for the same bytes.
TARGET_RATIO = 0.5
BUCKET = "newsroom-media"
PORTS = ["primary", "replica", "redis", "s3", "app1", "app2", "varnish", "nginx"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="archive size to seed")
    parser.add_argument("--base-port", type=int, default=7460, help=f"{len(PORTS)} ports up")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs of each server")
    parser.add_argument(
        "--correctness-only",
        action="store_true",
        help="no rates, and no failure for a change seen late (what the test suite runs)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the folder and its logs")
    return parser.parse_args()


def missing(args):
    """What this machine lacks to run the cluster, as a list of reasons."""
    reasons = [postgres.missing()] if postgres.missing() else []
    programs = ["varnishd", "redis-server", "moto_server"]
    if not args.correctness_only:
        programs += ["nginx", "wrk"]
    for program in programs:
        if program_path(program) is None:
            reasons.append(f"needs {program}")
    if not XKEY_VMOD.exists():
        reasons.append("needs the xkey vmod (Debian's varnish-modules)")
    return reasons


def program_path(name):
    return shutil.which(name, path=f"{Path(sys.executable).parent}:{os.environ['PATH']}:/usr/sbin")


class Processes:
    """Started processes, each in a session of its own, its output in a log file; all
    stopped, in reverse order, on leaving."""

    def __init__(self, folder):
        self.folder = folder
        self.started = {}

    def start(self, name, command, env=None, cwd=ROOT):
        log = (self.folder / f"{name}.log").open("a")
        self.started[name] = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=log, stderr=log, start_new_session=True
        )
        return self.started[name]

    def kill(self, name, sig=signal.SIGKILL):
        process = self.started.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def errors(self, name):
        """The last error an app server logged, with its traceback."""
        text = (self.folder / f"{name}.log").read_text(errors="replace")
        start = text.rfind("Internal Server Error")
        return text[start : start + 4000] if start >= 0 else ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for name in reversed(list(self.started)):
            self.kill(name, signal.SIGTERM)


def public_read_policy(bucket):
    """Readers load images straight from the bucket (docs/several-machines.md)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def wait_for(what, check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if check():
                return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not start within {seconds} s")


def get(port, path, headers=None, timeout=10):
    """(status, body) of a GET on loopback."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Cluster:
    def __init__(self, args, folder, processes):
        self.args = args
        self.folder = folder
        self.processes = processes
        self.port = {name: args.base_port + index for index, name in enumerate(PORTS)}
        self.warm_paths = []

    def environment(self, pair):
        return {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_SECRET_KEY": "cluster-only-secret-key-" + "x" * 30,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": pair.primary_url,
            "DATABASE_REPLICA_URL": pair.replica_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.port['redis']}/0",
            "NEWSROOM_FRONTEND_CACHES": f"varnish:http://127.0.0.1:{self.port['varnish']}/",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.port['s3']}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster",
            "GUNICORN_WORKERS": "2",
        }

    def start_redis(self):
        self.processes.start(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port["redis"]),
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
        )  # fmt: skip
        wait_for("Redis", lambda: self.redis_answers())

    def redis_answers(self):
        import redis

        return redis.Redis(port=self.port["redis"], socket_connect_timeout=1).ping()

    def start_s3(self):
        import boto3

        self.processes.start(
            "s3", [program_path("moto_server"), "-H", "127.0.0.1", "-p", str(self.port["s3"])]
        )
        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.port['s3']}",
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster",
        )
        wait_for("the S3 server", lambda: get(self.port["s3"], "/")[0] == 200)
        client.create_bucket(Bucket=BUCKET)
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read_policy(BUCKET)))

    def start_app(self, name, env):
        self.processes.start(
            name,
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "newsroom.wsgi"],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port[name]}"},
        )
        wait_for(name, lambda: get(self.port[name], "/health/live/")[0] == 200)
        if self.warm_paths:
            # As after any deploy: each worker compiles its templates on its first pages.
            for _round in range(4):
                for path in self.warm_paths:
                    get(self.port[name], path, timeout=60)

    def start_varnish(self):
        folder = self.folder / "varnish"
        folder.mkdir()
        shutil.copy(ROOT / "deploy" / "varnish" / "newsroom.vcl", folder)
        (folder / "backends.vcl").write_text(self.backends_vcl())
        self.processes.start(
            "varnish",
            [program_path("varnishd"), "-F", "-a", f"127.0.0.1:{self.port['varnish']}",
             "-f", str(folder / "newsroom.vcl"), "-p", f"vcl_path={folder}",
             "-n", str(folder / "work"), "-s", "malloc,256m"],
        )  # fmt: skip
        wait_for("Varnish", lambda: get(self.port["varnish"], "/health/live/")[0] == 200)

    def varnishadm(self, *command):
        return subprocess.run(
            [program_path("varnishadm"), "-n", str(self.folder / "varnish" / "work"), *command],
            capture_output=True,
            text=True,
        ).stdout

    def backends_vcl(self):
        """deploy/varnish/backends.vcl with this machine's app servers."""
        text = (ROOT / "deploy" / "varnish" / "backends.vcl").read_text()
        for name, address in [("app1", "10.0.0.11"), ("app2", "10.0.0.12")]:
            text = text.replace(
                f'.host = "{address}";\n    .port = "8000";',
                f'.host = "127.0.0.1";\n    .port = "{self.port[name]}";',
            )
        return re.sub(r"acl purgers \{.*?\}", 'acl purgers { "127.0.0.1"; }', text, flags=re.S)

    def start_nginx(self, body):
        folder = self.folder / "nginx"
        (folder / "root").mkdir(parents=True)
        (folder / "root" / "page.html").write_bytes(body)
        (folder / "nginx.conf").write_text(
            f"""
worker_processes auto;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    server {{
        listen 127.0.0.1:{self.port["nginx"]};
        root {folder}/root;
    }}
}}
"""
        )
        self.processes.start(
            "nginx", [program_path("nginx"), "-c", str(folder / "nginx.conf"), "-p", str(folder)]
        )
        wait_for("nginx", lambda: get(self.port["nginx"], "/page.html")[0] == 200)


def migrate():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_archive(articles):
    from django.test import override_settings

    from bench.seed import seed

    started = time.monotonic()
    # Nothing is cached in Varnish yet, and it does not listen: no purge to send.
    with override_settings(NEWSROOM_FRONTEND_CACHES=[]):
        seed(articles, progress=lambda line: None)
    print(f"Seeded {articles} articles in {time.monotonic() - started:.0f} s", flush=True)


def warm_paths():
    """A page of each kind the readers read: an article and its section."""
    from django.utils import translation

    from articles.models import Article

    with translation.override("en"):
        article = Article.objects.live("en").select_related("section").first()
        return [article.get_absolute_url(), article.section.get_absolute_url()]


def wrk(args, port, path):
    output = subprocess.run(
        ["wrk", "--threads", "1", "--connections", str(args.connections), "--duration",
         f"{args.duration}s", "--latency", "--header", "Accept-Encoding: gzip",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"wrk saw errors on port {port}:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", output).groups()
    return rate, float(value) * UNITS[unit]


def measure_rates(args, cluster, path):
    """Varnish's rate on a cached page against nginx's on the same bytes, in turns."""
    status, body = get(cluster.port["varnish"], path, {"Accept-Encoding": "gzip"})
    assert status == 200, status
    cluster.start_nginx(body)
    rates = {"varnish": [], "nginx": []}
    for _round in range(args.rounds):
        for server in rates:
            target = path if server == "varnish" else "/page.html"
            rates[server].append(wrk(args, cluster.port[server], target))
    load = os.getloadavg()[0]
    best = {server: max(runs) for server, runs in rates.items()}
    ratio = best["varnish"][0] / best["nginx"][0]
    print(f"\nCached article page, {len(body)} bytes gzipped, wrk 1 thread "
          f"{args.connections} connections {args.duration} s, best of {args.rounds}, "
          f"load average {load:.1f}:")  # fmt: skip
    print("| server | req/s (each run) | best p99 ms |")
    print("| --- | ---: | ---: |")
    for server, runs in rates.items():
        each = ", ".join(f"{rate:.0f}" for rate, _p99 in runs)
        print(f"| {server} | {best[server][0]:.0f} ({each}) | {best[server][1]:.2f} |")
    print(f"Varnish / nginx: {ratio:.2f} (target {TARGET_RATIO})", flush=True)
    return ratio


class History:
    """What readers may see of the probe article: each state the database committed, from
    the moment its change began (a save started, a scheduled time came) until the next
    change was done (committed, its purge sent)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.changes = [(float("-inf"), float("-inf"), None)]

    def record(self, began, done, state):
        with self.lock:
            self.changes.append((began, done, state))

    def allowed(self, started, ended):
        """The states a response to a request from `started` to `ended` may show."""
        with self.lock:
            changes = list(self.changes)
        states = set()
        for index, (began, _done, state) in enumerate(changes):
            until = changes[index + 1][1] if index + 1 < len(changes) else float("inf")
            if began <= ended and until >= started:
                states.add(state)
        return states


class Probe:
    """The article the editor changes, and how a page shows it."""

    def __init__(self):
        from django.utils import translation

        from articles.models import Article, Section

        self.run = datetime.now(UTC).strftime("%H%M%S")
        self.versions = 0
        self.section = Section.objects.order_by("position").first()
        self.article = Article(
            title_en=self.title(),
            slug_en=f"cluster-probe-{self.run}",
            standfirst_en="What readers must see at once.",
            body_en="<p>Checked by bench/cluster.py.</p>",
            ready_en=True,
            section=self.section,
            status=Article.Status.DRAFT,
        )
        self.article.save()
        self.titles = [self.article.title_en]
        with translation.override("en"):
            self.paths = [
                ("article", self.article.get_absolute_url()),
                ("section", self.section.get_absolute_url()),
            ]

    def title(self):
        self.versions += 1
        return f"Cluster probe {self.run} version {self.versions} ends"

    def committed(self):
        """The title readers may see now, from the primary; None while not live."""
        from articles.models import Article

        return (
            Article.objects.live("en")
            .filter(pk=self.article.pk)
            .values_list("title_en", flat=True)
            .first()
        )

    def shown(self, page, status, body):
        """The title a response shows; None when it shows no version; raises on an error."""
        if page == "article" and status == 404:
            return None
        if status != 200:
            raise ValueError(f"answered {status}")
        text = body.decode()
        found = [title for title in self.titles if html.escape(title) in text]
        if page == "article" and not found:
            raise ValueError("an article page without its title")
        if len(found) > 1:
            raise ValueError(f"two versions on one page: {found}")
        return found[0] if found else None


class Readers:
    """Threads that read the probe's pages from `endpoints` without pause; each response is
    judged once they stopped, against the whole `history`."""

    def __init__(self, cluster, probe, history, endpoints):
        self.cluster, self.probe, self.history = cluster, probe, history
        self.endpoints = endpoints
        self.stop = threading.Event()
        self.reads, self.errors = [], []
        self.threads = [
            threading.Thread(target=self.read, args=(name,), daemon=True) for name in endpoints
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def read(self, endpoint):
        port = self.cluster.port[endpoint]
        while not self.stop.is_set():
            for page, path in self.probe.paths:
                started = time.time()
                try:
                    status, body = get(port, path)
                    shown = self.probe.shown(page, status, body)
                except (OSError, http.client.HTTPException, ValueError) as error:
                    self.errors.append(f"{endpoint} {page}: {error!r}")
                    continue
                self.reads.append((started, time.time(), endpoint, page, shown))

    def stale(self):
        found = []
        for started, ended, endpoint, page, shown in self.reads:
            allowed = self.history.allowed(started, ended)
            if shown not in allowed:
                found.append(f"{endpoint} {page} at {started:.3f}: {shown!r}, not {allowed}")
        return found


def seen_everywhere(cluster, probe, endpoints, expected, since):
    """Seconds from `since` until every endpoint showed `expected` on both pages, each
    endpoint and page asked again and again, all at the same time; and the last to show it."""
    seen = {}

    def poll(endpoint, page, path):
        while time.time() - since < 10:
            status, body = get(cluster.port[endpoint], path)
            if probe.shown(page, status, body) == expected:
                seen[endpoint, page] = time.time()
                return
            time.sleep(0.05)

    pollers = [
        threading.Thread(target=poll, args=(endpoint, page, path), daemon=True)
        for endpoint in endpoints
        for page, path in probe.paths
    ]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()
    if len(seen) < len(pollers):
        raise SystemExit(f"{expected!r} still not seen everywhere after 10 s: only {seen}")
    last = max(seen, key=seen.get)
    return seen[last] - since, " ".join(last)


class Editor:
    """Changes the probe article as the admin's save does (the same model save, signals,
    page cache marks and purges), and records each change in `history`."""

    def __init__(self, cluster, probe, history):
        self.cluster, self.probe, self.history = cluster, probe, history
        self.delays = {}

    def change(self, label, endpoints, **fields):
        article = self.probe.article
        if fields.pop("new_title", False):
            fields["title_en"] = self.probe.title()
            self.probe.titles.append(fields["title_en"])
        began = time.time()
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()
        done = time.time()
        state = self.probe.committed()
        self.history.record(began, done, state)
        self.delays[label] = seen_everywhere(self.cluster, self.probe, endpoints, state, done)
        return state

    def publish_at(self, label, endpoints, seconds_ahead):
        """Schedule the probe and wait for its time: no save happens when it comes."""
        from django.utils import timezone

        from articles.models import Article

        at = time.time() + seconds_ahead
        self.change(
            f"{label} (saved)",
            endpoints,
            status=Article.Status.PUBLISHED,
            published_at=datetime.fromtimestamp(at, UTC),
        )
        assert self.probe.committed() is None
        self.history.record(at, at, self.probe.titles[-1])
        time.sleep(max(0, at - time.time()))
        while timezone.now().timestamp() < at:
            time.sleep(0.001)
        assert self.probe.committed() == self.probe.titles[-1]
        self.delays[label] = seen_everywhere(
            self.cluster, self.probe, endpoints, self.probe.titles[-1], at
        )


def check_changes(cluster, probe, history, editor, endpoints, failures):
    from django.utils import timezone

    from articles.models import Article

    with Readers(cluster, probe, history, endpoints) as readers:
        time.sleep(1)
        editor.change("publish", endpoints, status=Article.Status.PUBLISHED,
                      published_at=timezone.now())  # fmt: skip
        time.sleep(1)
        editor.change("edit", endpoints, new_title=True)
        time.sleep(1)
        editor.change("unpublish", endpoints, status=Article.Status.DRAFT)
        time.sleep(1)
        editor.change("retitle unpublished", endpoints, new_title=True)
        editor.publish_at("scheduled time passing", endpoints, 3)
        time.sleep(1)
    report_readers("changes", readers, failures)


def check_media(cluster, failures):
    """An article with a lead image, stored with its renditions in the bucket as an upload in
    the admin is: its page names them in the bucket, and the bucket serves each."""
    from django.core.files.base import ContentFile
    from django.utils import timezone, translation
    from PIL import Image

    from articles.models import Article, Section
    from newsroom.images.models import Image as LibraryImage

    image = io.BytesIO()
    Image.new("RGB", (1600, 900), (20, 40, 200)).save(image, "JPEG")
    lead_image = LibraryImage(title="Cluster media check")
    lead_image.file.save("cluster-media.jpg", ContentFile(image.getvalue()), save=False)
    lead_image.save()
    article = Article(
        title_en="Cluster media check",
        standfirst_en="A lead image in the bucket.",
        body_en="<p>Checked by bench/cluster.py.</p>",
        image_alt_en="A blue rectangle",
        ready_en=True,
        section=Section.objects.order_by("position").first(),
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        lead_image=lead_image,
    )
    article.save()
    with translation.override("en"):
        path = article.get_absolute_url()
    started = time.time()
    status, body = get(cluster.port["varnish"], path, timeout=60)
    elapsed = time.time() - started
    bucket = f"http://127.0.0.1:{cluster.port['s3']}"
    paths = set(re.findall(re.escape(bucket) + rf"(/{BUCKET}/[^\s\"',]+)", body.decode()))
    served = [path for path in paths if get(cluster.port["s3"], path)[0] == 200]
    print(f"  media: the first view of a page with an image answered {status} in "
          f"{elapsed * 1000:.0f} ms, naming {len(paths)} image files in the bucket, "
          f"{len(served)} served from it", flush=True)  # fmt: skip
    if status != 200 or not paths or len(served) < len(paths):
        failures.append(f"media: {len(served)} of {len(paths)} image files served by the bucket")


def report_readers(phase, readers, failures):
    stale = readers.stale()
    print(
        f"  {phase}: {len(readers.reads) + len(readers.errors)} reads from "
        f"{', '.join(readers.endpoints)}, {len(readers.errors)} errors, {len(stale)} stale",
        flush=True,
    )
    for problem in (readers.errors + stale)[:10]:
        print(f"    {problem}")
    if readers.errors or stale:
        failures.append(f"{phase}: {len(readers.errors)} errors, {len(stale)} stale")


def check_failure(label, cluster, probe, history, editor, endpoints, failures, fail):
    """Readers read from `endpoints` while `fail()` takes a part away and an edit follows."""
    with Readers(cluster, probe, history, endpoints) as readers:
        time.sleep(1)
        fail()
        time.sleep(1)
        editor.change(f"edit, {label}", endpoints, new_title=True)
        time.sleep(3)
    report_readers(label, readers, failures)


def main():
    started = time.monotonic()
    args = parse_args()
    if reasons := missing(args):
        raise SystemExit("Cannot run the cluster here: " + "; ".join(reasons))
    # Ctrl-C or a service manager's stop: leave through the `finally` blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = Path(tempfile.mkdtemp(prefix="newsroom-cluster-"))
    folder.chmod(0o755)  # varnishd's compiler and the postgres user read from here
    try:
        with Processes(folder) as processes, contextlib.ExitStack() as stack:
            return run(args, folder, processes, stack)
    finally:
        print(f"{time.monotonic() - started:.0f} s in all, load average {os.getloadavg()[0]:.1f}")
        if args.keep:
            print(f"Logs and data kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(args, folder, processes, stack):
    cluster = Cluster(args, folder, processes)
    pair = stack.enter_context(
        postgres.StreamingPair(folder / "postgres", cluster.port["primary"],
                               cluster.port["replica"])
    )  # fmt: skip
    cluster.start_redis()
    cluster.start_s3()
    env = cluster.environment(pair)
    os.environ.update(env)
    migrate()
    # Before the app servers and Varnish start: loaded by seeding, they would fail their
    # health probes.
    seed_archive(args.articles)
    cluster.warm_paths = warm_paths()
    for name in ("app1", "app2"):
        cluster.start_app(name, env)
    cluster.start_varnish()
    print(f"Cluster up on ports {args.base_port}-{args.base_port + len(PORTS) - 1}", flush=True)

    from articles.models import Article

    failures = []
    measured = Article.objects.live("en").order_by("-published_at")[10]
    if not args.correctness_only:
        ratio = measure_rates(args, cluster, measured.get_absolute_url("en"))
        if ratio < TARGET_RATIO:
            failures.append(f"Varnish at {ratio:.2f} of nginx, under {TARGET_RATIO}")

    print("\nReaders checking every response while the editor works:", flush=True)
    probe, history = Probe(), History()
    editor = Editor(cluster, probe, history)
    every = ["varnish", "app1", "app2"]
    check_changes(cluster, probe, history, editor, every, failures)
    check_media(cluster, failures)
    check_failure("app1 killed", cluster, probe, history, editor, ["varnish", "app2"],
                  failures, lambda: processes.kill("app1"))  # fmt: skip
    cluster.start_app("app1", env)
    check_failure("replica stopped", cluster, probe, history, editor, every, failures,
                  lambda: pair.stop("replica"))  # fmt: skip
    check_failure("Redis stopped", cluster, probe, history, editor, every, failures,
                  lambda: processes.kill("redis", signal.SIGTERM))  # fmt: skip

    print("\n| change | seen through Varnish and both app servers after | last on |")
    print("| --- | ---: | --- |")
    for label, (delay, last) in editor.delays.items():
        print(f"| {label} | {delay * 1000:.0f} ms | {last} |")
        if delay > SEEN_WITHIN and not args.correctness_only:
            failures.append(f"{label}: seen after {delay:.2f} s")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        for name in ("app1", "app2"):
            if error := processes.errors(name):
                print(f"\nThe last error {name} logged:\n{error}")
        print("\nVarnish's health probes of the app servers, latest on the right:")
        print(cluster.varnishadm("backend.list", "-p"))
        return 1
    print("\nAll checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
