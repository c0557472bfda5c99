"""The lock files install the same thing on every Python the project supports, whatever PyPI has published since."""

import re
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _pins(lock: str) -> list[tuple[str, str, str | None]]:
    """(name, version, marker) for each pinned line of a lock file."""
    pins = []
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        if match := PIN.match(line):
            pins.append((match[1].lower().replace("_", "-"), match[2], match[3]))
    return pins


def _environment(python: str) -> dict[str, str]:
    return {
        "python_version": ".".join(python.split(".")[:2]),
        "python_full_version": python,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "os_name": "posix",
        "extra": "",
    }


def _installed_on(lock: str, python: str) -> dict[str, Version]:
    env = _environment(python)
    return {name: Version(v) for name, v, marker in _pins(lock) if marker is None or Marker(marker).evaluate(env)}


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_every_line_of_every_lock_is_pinned_with_hashes():
    for lock in ("bootstrap.txt", "base.txt", "dev.txt", "reference.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        entries = [chunk for chunk in re.split(r"\n(?=\S)", text) if chunk and not chunk.startswith("#")]
        assert entries, lock
        for entry in entries:
            assert PIN.match(entry.splitlines()[0]), f"{lock}: not pinned with ==: {entry.splitlines()[0]}"
            assert "--hash=sha256:" in entry, f"{lock}: no hash for {entry.splitlines()[0]}"
            assert "[" not in entry.splitlines()[0], f"{lock}: an extra in a lock line is read unlike by old pips"


def test_the_installer_is_bootstrapped_at_a_pinned_version():
    assert [name for name, _, _ in _pins("bootstrap.txt")] == ["uv"]


def test_the_lock_has_what_pyproject_asks_for_on_every_supported_python():
    """Debian 12's Python is 3.11.2: redis needs async-timeout there, and only there."""
    for python in ("3.11.2", "3.11.7", "3.12.3", "3.13.1"):
        installed = _installed_on("dev.txt", python)
        for requirement in _wanted():
            name = requirement.name.lower().replace("_", "-")
            assert name in installed, f"Python {python}: {name} is not in the lock"
            assert installed[name] in requirement.specifier, f"Python {python}: {name} {installed[name]} {requirement}"
    assert "async-timeout" in _installed_on("base.txt", "3.11.2")
    assert "async-timeout" not in _installed_on("base.txt", "3.11.7")


def test_the_production_lock_agrees_with_the_development_lock():
    development = {(name, version) for name, version, _ in _pins("dev.txt")}
    for name, version, _ in _pins("base.txt"):
        assert (name, version) in development, f"{name}=={version} is locked differently for development"
