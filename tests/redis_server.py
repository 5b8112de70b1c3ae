"""A Redis server of the test's own, to stop, freeze and restart as real ones fail."""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis

PORTS = range(6391, 6400)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            # As Redis binds: a port whose last connections are closing is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port for a test Redis in {PORTS}")


class RedisServer:
    """`redis-server` on a loopback port, keeping its dump file in `directory`."""

    def __init__(self, directory):
        if not shutil.which("redis-server"):
            pytest.skip("needs redis-server on PATH")
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self, persist=True):
        """Start, from the dump file if there is one. With `persist`, Redis saves its dump
        when stopped, as its default configuration does."""
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--dir", str(self.directory), "--appendonly", "no"]
            + ["--save", "3600 1" if persist else ""],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _attempt in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the test Redis did not start")

    def stop(self):
        """SIGTERM, as a service manager stops it: Redis saves its dump first if it persists."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)

    def crash(self):
        """SIGKILL: whatever was written since the last save is lost."""
        self.process.kill()
        self.process.wait(10)

    def save(self):
        redis.Redis(port=self.port).save()

    def freeze(self):
        """Connections are still accepted, but nothing is answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.kill()
            self.process.wait(10)
