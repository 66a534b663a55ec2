"""The locks: what pyproject.toml pins is what requirements/*.txt installs, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)")


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", requirement.split("[")[0]).lower()


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = PIN.match(line.strip())
        if match:
            found[_name(match.group(1))] = match.group(2)
    return found


def locked(name: str) -> tuple[dict[str, str], str]:
    text = (ROOT / "requirements" / name).read_text()
    return pins(text.splitlines()), text


def test_every_pin_in_pyproject_is_the_version_locked() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    app, _ = locked("app.txt")
    test, _ = locked("test.txt")
    build = pins((ROOT / "requirements" / "build.in").read_text().splitlines())
    for wanted, lock in [
        (pins(project["dependencies"]), app),
        (pins(project["dependencies"] + project["optional-dependencies"]["test"]), test),
        (build, app),
        (build, test),
    ]:
        assert wanted, "no pins found"
        differ = {n: (v, lock.get(n)) for n, v in wanted.items() if lock.get(n) != v}
        assert differ == {}, "run tools/lock.sh"


def test_every_locked_package_has_a_hash() -> None:
    for name in ("app.txt", "test.txt"):
        found, text = locked(name)
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
        assert len(entries) == len(found) > 20
        assert all("--hash=sha256:" in entry for entry in entries)


def test_the_readme_and_ci_install_from_the_locks() -> None:
    readme = (ROOT / "README.md").read_text().split("```sh\n", 1)[1].split("```", 1)[0]
    app_line, test_line = readme.strip().splitlines()
    assert "--require-hashes -r requirements/app.txt" in app_line
    assert app_line.endswith(".venv/bin/sptui")
    assert "--require-hashes -r requirements/test.txt" in test_line
    assert test_line.endswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q --require-hashes -r requirements/test.txt" in ci
    assert "pip install -q --no-deps --no-build-isolation -e ." in ci
