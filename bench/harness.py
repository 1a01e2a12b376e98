"""What the page benchmark and the load test share: a benchmark database full of generated
data, a gunicorn server on 127.0.0.1, sessions and a token to use it, and wrk to load it.

Nothing here is imported by Uptake itself. The database is chosen by BENCH_DATABASE_URL
(default: SQLite under var/bench/), never by DATABASE_URL, so a benchmark cannot fill the
database of a running instance by accident.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"


def bench_environment(database_url: str | None = None) -> dict[str, str]:
    """The environment of every process of a benchmark: production-like settings
    (DEBUG off, a fixed key so sessions made before the server starts stay valid)."""
    VAR.mkdir(parents=True, exist_ok=True)
    key_file = VAR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    url = (
        database_url or os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{VAR / 'bench.sqlite3'}"
    )
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        UPTAKE_VAR_DIR=str(VAR),
        UPTAKE_LOCAL="true",
        DEBUG="false",
        SECRET_KEY=key_file.read_text().strip(),
        ALLOWED_HOSTS="127.0.0.1",
        # The load comes from one address with one account: per-client API limits would
        # turn the measurement into a measurement of the limiter.
        API_THROTTLE_ANON="",
        API_THROTTLE_USER="",
    )
    return env


def uptake(env: dict[str, str], *args: str, capture: bool = False) -> str:
    """Run an `uptake` console command in the benchmark environment."""
    result = subprocess.run(
        [str(BIN / "uptake"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


@dataclass
class Fixture:
    """What the load needs from the database: who to be and what to ask for."""

    evaluations: int
    actions: int
    updates: int
    evaluator_cookie: str
    focal_cookie: str
    committee_cookie: str
    focal_token: str
    evaluation_id: int
    evaluation_ids: list[int]
    action_id: int
    unit_id: int
    open_action_ids: list[int]
    publication_key: str


def prepare(env: dict[str, str], evaluations: int) -> Fixture:
    """Migrate, generate EVALUATIONS evaluations if the database has none, then make the
    sessions and the token the load uses."""
    uptake(env, "migrate", "--verbosity", "0")
    counts = json.loads(_django(env, "counts"))
    if counts["evaluations"] == 0:
        print(f"generating {evaluations:,} evaluations (once; later runs reuse them) …")
        uptake(env, "generate", "--evaluations", str(evaluations))
    elif counts["evaluations"] != evaluations:
        print(
            f"note: reusing a database of {counts['evaluations']:,} evaluations "
            f"(delete {VAR} or set BENCH_DATABASE_URL to generate {evaluations:,})"
        )
    return Fixture(**json.loads(_django(env, "fixture")))


def _django(env: dict[str, str], what: str) -> str:
    out = subprocess.run(
        [str(BIN / "python"), str(Path(__file__).with_name("fixture.py")), what],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return out.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    """`uptake serve` with WORKERS gunicorn workers; yields its base URL."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(BIN / "uptake"), "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {log}")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


@dataclass
class Load:
    """What wrk measured for one URL or one mix."""

    requests: int
    median_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers, socket errors and time-outs
    per_second: float
    statuses: dict[str, int]


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 1,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    script_env: dict[str, str] | None = None,
) -> Load:
    """Load URL with wrk and read its latency distribution and error counts."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (Debian's package).")
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script is not None:
        cmd += ["-s", str(script)]
    cmd.append(url)
    env = {**os.environ, **(script_env or {})}
    out = subprocess.run(cmd, check=True, text=True, stdout=subprocess.PIPE, env=env).stdout
    return parse_wrk(out)


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT_MS[unit]


def parse_wrk(out: str) -> Load:
    """Read wrk's report (with --latency, and the status lines our Lua script prints)."""
    median = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"^\s+(\d+) requests in", out, re.M)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    if not (median and p99 and total and rate):
        raise SystemExit(f"could not read wrk's report:\n{out}")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    statuses = {
        m.group(1): int(m.group(2)) for m in re.finditer(r"^status (\w+) (\d+)$", out, re.M)
    }
    return Load(
        requests=int(total.group(1)),
        median_ms=_ms(median.group(1)),
        p99_ms=_ms(p99.group(1)),
        errors=errors,
        per_second=float(rate.group(1)),
        statuses=statuses,
    )


def database_label(env: dict[str, str]) -> str:
    return "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"


if __name__ == "__main__":  # pragma: no cover - a module, not a script
    sys.exit("run bench/pages.py or bench/load.py")
