"""The pinned requirements (`make lock`) install exactly what pyproject.toml asks for."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)")
LOCKS = ("dev.txt", "production.txt", "load.txt")


def pins(filename):
    """{package name: (version, its hashes)} of a pip-compile output."""
    found = {}
    name = None
    for line in (ROOT / "requirements" / filename).read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match[1])
            found[name] = (match[2].rstrip(" \\"), [])
        elif name and line.strip().startswith("--hash=sha256:"):
            found[name][1].append(line.strip())
        elif line.strip() and not line.startswith(" "):
            name = None
    return found


def requirements_of(*extras):
    project = PYPROJECT["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [Requirement(item) for item in listed]


def assert_pinned_within_ranges(filename, requirements):
    pinned = pins(filename)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not in requirements/{filename}: run make lock"
        version = pinned[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements/{filename} pins {name}=={version} outside {requirement}: run make lock"
        )


def test_the_development_lock_pins_every_requirement_within_pyprojects_ranges():
    assert_pinned_within_ranges("dev.txt", requirements_of("dev", "s3", "bench"))


def test_the_production_lock_pins_every_runtime_requirement_within_pyprojects_ranges():
    assert_pinned_within_ranges("production.txt", requirements_of("s3", "bench"))


def test_the_load_lock_pins_locust_and_everything_development_pins():
    assert_pinned_within_ranges("load.txt", requirements_of("dev", "s3", "bench", "load"))


def test_every_pin_carries_hashes():
    for filename in LOCKS:
        for name, (_version, hashes) in pins(filename).items():
            assert hashes, f"{name} has no hash in requirements/{filename}"


@pytest.mark.parametrize("filename", ["production.txt", "load.txt"])
def test_servers_and_the_load_test_run_the_versions_that_development_and_ci_tested(filename):
    development = pins("dev.txt")
    for name, (version, _hashes) in pins(filename).items():
        if name in development:
            assert development[name][0] == version, (
                f"{name}: {version} in {filename}, {development[name][0]} in dev.txt: make lock"
            )


def test_nothing_is_installed_unpinned():
    """Every `pip install` of the Makefile and CI installs a lock, checked by hash."""
    for path in [ROOT / "Makefile", ROOT / ".ci" / "run"]:
        for line in path.read_text().splitlines():
            if "pip install" in line and "--no-deps" not in line:
                assert "--require-hashes -r requirements/" in line, f"{path.name}: {line}"


def test_the_lock_names_no_package_index():
    """An index or find-links line would tie installs to the machine that ran `make lock`."""
    for filename in LOCKS:
        text = (ROOT / "requirements" / filename).read_text()
        assert not re.search(r"^--(index-url|extra-index-url|find-links|trusted-host)", text, re.M)
