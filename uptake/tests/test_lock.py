"""requirements.lock must install exactly what pyproject.toml pins (run `make lock` after edits)."""

from __future__ import annotations

import re
import tomllib

from ._subprocess import PROJECT_DIR


def _normalise(requirement: str) -> tuple[str, str]:
    # "psycopg[binary]==3.3.9" -> ("psycopg", "3.3.9"); names compare as PEP 503 says.
    name, _, version = requirement.partition("==")
    name = re.sub(r"\[.*\]", "", name)
    return re.sub(r"[-_.]+", "-", name).lower().strip(), version.strip()


def test_every_pyproject_pin_is_in_the_lock():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert all("==" in requirement for requirement in wanted), "pyproject pins exact versions"
    lines = (PROJECT_DIR / "requirements.lock").read_text().splitlines()
    locked = dict(_normalise(line) for line in lines if line.strip() and not line.startswith("#"))
    assert all(version for version in locked.values()), "every lock line is name==version"
    mismatched = {
        name: (version, locked.get(name))
        for name, version in map(_normalise, wanted)
        if locked.get(name) != version
    }
    assert mismatched == {}, "pyproject.toml and requirements.lock disagree: run `make lock`"
