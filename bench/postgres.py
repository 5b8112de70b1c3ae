"""A PostgreSQL primary and its streaming replica (initdb, pg_basebackup -R) on loopback, in
a folder of their own: what tests/test_streaming_replica.py and bench/cluster.py run.

The clusters run as the `postgres` system user, so starting them needs root and Debian's
server programs (/usr/lib/postgresql/*/bin).
"""

import os
import pwd
import shutil
import subprocess
from pathlib import Path


def server_programs():
    for version in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (version / "initdb").exists():
            return version
    return None


def missing():
    """Why a pair cannot be started here, or None when it can."""
    if server_programs() is None:
        return "needs the PostgreSQL server programs (initdb, pg_ctl, pg_basebackup)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "needs the postgres system user to run initdb"
    if os.geteuid() != 0:
        return "needs root to run the clusters as the postgres user"
    return None


def as_postgres(*command):
    subprocess.run(["su", "postgres", "-c", " ".join(map(str, command))], check=True,
                   capture_output=True)  # fmt: skip


class StreamingPair:
    """`with StreamingPair(folder, 5450, 5451) as pair:` a primary holding an empty
    `newsroom` database, and a replica following it; both stopped on leaving."""

    def __init__(self, folder, primary_port, replica_port):
        self.programs = server_programs()
        self.folder = Path(folder)
        self.ports = {"primary": primary_port, "replica": replica_port}
        self.running = []

    def url(self, cluster):
        return f"postgres://postgres@127.0.0.1:{self.ports[cluster]}/newsroom"

    @property
    def primary_url(self):
        return self.url("primary")

    @property
    def replica_url(self):
        return self.url("replica")

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.folder, "postgres")
        try:
            self.run("initdb", "-D", self.folder / "primary", "-A", "trust", "-U", "postgres")
            self.start("primary")
            self.run("createdb", "-h", "127.0.0.1", "-p", self.ports["primary"], "newsroom")
            self.run("pg_basebackup", "-h", "127.0.0.1", "-p", self.ports["primary"],
                     "-D", self.folder / "replica", "-R")  # fmt: skip
            self.start("replica")
        except BaseException:
            self.__exit__()
            raise
        return self

    def run(self, program, *arguments):
        as_postgres(self.programs / program, *arguments)

    def start(self, cluster):
        options = f"-p {self.ports[cluster]} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", self.folder / cluster, "-l", self.folder / f"{cluster}.log",
                 "-w", "-o", f"'{options}'", "start")  # fmt: skip
        self.running.append(cluster)

    def stop(self, cluster):
        """As a machine going away: no checkpoint, connections cut."""
        self.run("pg_ctl", "-D", self.folder / cluster, "-m", "immediate", "-w", "stop")
        self.running.remove(cluster)

    def __exit__(self, *exc):
        for cluster in reversed(list(self.running)):
            self.stop(cluster)
