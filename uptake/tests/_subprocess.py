"""Run Uptake in a child process with an environment the test controls completely.

Settings are read once, at import: the only way to see how they react to an environment is a
fresh interpreter. The child inherits nothing but PATH, so a developer's own DEBUG or
DATABASE_URL cannot leak in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def clean_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(var_dir),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "UPTAKE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "uptake.settings",
    }
    env.update(extra)
    return env


def run_python(
    code: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    # cwd is the project, so `-c` code imports this checkout even where it is not installed.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_uptake(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "uptake.cli", *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
