"""The files in deploy/ are read by the programs they configure without an error."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def test_the_gunicorn_configuration_loads_the_site():
    result = subprocess.run(
        [Path(sys.executable).parent / "gunicorn", "--check-config", "-c",
         DEPLOY / "gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "x" * 50},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_varnish_configuration_compiles():
    program = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
    if program is None:
        pytest.skip("needs varnishd: apt-get install varnish varnish-modules")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-vcl-"))
    try:
        for name in ["newsroom.vcl", "backends.vcl"]:
            shutil.copy(DEPLOY / "varnish" / name, folder)
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o755)
        result = subprocess.run(
            [program, "-C", "-f", folder / "newsroom.vcl", "-p", f"vcl_path={folder}",
             "-n", folder / "work"],
            capture_output=True, text=True,
        )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_nginx_example_is_valid(tmp_path):
    program = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if program is None:
        pytest.skip("needs nginx")
    site = (DEPLOY / "nginx" / "newsroom.conf").read_text()
    # A throwaway certificate stands in for the real one.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=news.example.org", "-keyout", tmp_path / "key.pem",
         "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    site = site.replace(
        "/etc/letsencrypt/live/news.example.org/fullchain.pem", str(tmp_path / "cert.pem")
    ).replace("/etc/letsencrypt/live/news.example.org/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\naccess_log off;\n{site}\n}}\n"
    )
    result = subprocess.run(
        [program, "-t", "-c", tmp_path / "nginx.conf", "-p", tmp_path],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_systemd_units_are_valid():
    program = shutil.which("systemd-analyze")
    if program is None:
        pytest.skip("needs systemd-analyze")
    units = sorted((DEPLOY / "systemd").iterdir())
    result = subprocess.run(
        [program, "verify", "--man=no", *units], capture_output=True, text=True
    )
    # The paths of a server (/srv/newsroom, the newsroom user) do not exist here.
    problems = [
        line
        for line in result.stderr.splitlines()
        if line.strip()
        and "/srv/newsroom" not in line
        and "newsroom.wsgi" not in line
        and "Failed to" not in line
        and "System has not been booted" not in line
    ]
    assert problems == []
