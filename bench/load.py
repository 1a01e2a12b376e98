"""Many people at once: a mix of pages, API reads and API writes for 60 s at 64 connections.

    .venv/bin/python bench/load.py [--seconds 60] [--connections 64] [--workers 4]

(`make load` runs this; BENCH_DATABASE_URL picks the database, as for `make bench`.)
The mix is what the fortnight before a committee looks like: the evaluation unit reading
lists, evaluations, the dashboard and the validation queue; focal points reading their
actions and reporting progress through the API (a write each time); the public reading
published responses. Prints the throughput, the latency, the answers by status class, and
fails when any answer is an error or the server logged one (a "database is locked" above all).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import VAR, Fixture, bench_environment, database_label, prepare, server, wrk  # noqa: E402

# How many times each kind of request appears in the list that wrk walks through.
WEIGHTS = {"pages": 6, "api_reads": 3, "api_writes": 2, "public": 2}


def mix(f: Fixture) -> list[tuple[str, str, str, str]]:
    """(method, path, headers, body) lines for mix.lua."""
    evaluator = f"Cookie: {f.evaluator_cookie}"
    focal = f"Cookie: {f.focal_cookie}"
    token = f"Authorization: Bearer {f.focal_token}|Accept: application/json"
    pages = [
        ("GET", "/", evaluator, ""),
        ("GET", "/evaluations/", evaluator, ""),
        ("GET", "/evaluations/?page=7", evaluator, ""),
        ("GET", "/validation/", evaluator, ""),
        ("GET", "/dashboard/", evaluator, ""),
        ("GET", "/my-actions/", focal, ""),
    ]
    pages += [("GET", f"/evaluations/{pk}/", evaluator, "") for pk in f.evaluation_ids[:10]]
    pages += [("GET", f"/actions/{pk}/", focal, "") for pk in f.open_action_ids[:10]]
    api_reads = [
        ("GET", "/api/v1/actions/", token, ""),
        ("GET", "/api/v1/actions/?page=3", token, ""),
        ("GET", "/api/v1/evaluations/", token, ""),
        ("GET", "/api/v1/updates/", token, ""),
    ]
    api_reads += [
        ("GET", f"/api/v1/evaluations/{pk}/plan/", token, "") for pk in f.evaluation_ids[10:20]
    ]
    writes_headers = f"{token}|Content-Type: application/json"
    api_writes = [
        (
            "POST",
            f"/api/v1/actions/{pk}/updates/",
            writes_headers,
            json.dumps({"status": "in_progress", "narrative": f"Work continues on action {pk}."}),
        )
        # Never the action `make bench` measures, so its page stays a typical one.
        for pk in [pk for pk in f.open_action_ids if pk != f.action_id][:20]
    ]
    public = [
        ("GET", "/en/public/", "", ""),
        ("GET", f"/fr/public/{f.publication_key}/", "", ""),
        ("GET", "/api/v1/public/publications/", "", ""),
    ]
    lines: list[tuple[str, str, str, str]] = []
    for kind, requests in (
        ("pages", pages),
        ("api_reads", api_reads),
        ("api_writes", api_writes),
        ("public", public),
    ):
        lines += requests * WEIGHTS[kind]
    random.Random(8).shuffle(lines)  # noqa: S311 - an order, not a secret
    # Shuffled so that every stretch of the list has every kind of request.
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    args = parser.parse_args()

    env = bench_environment()
    fixture = prepare(env, args.evaluations)
    mix_file = VAR / "mix.tsv"
    mix_file.write_text("".join("\t".join(line) + "\n" for line in mix(fixture)))
    log = VAR / "load-server.log"
    print(
        f"{database_label(env)}: {fixture.evaluations:,} evaluations, {fixture.actions:,} actions; "
        f"{args.connections} connections for {args.seconds} s, {args.workers} gunicorn workers"
    )
    with server(env, args.workers, log) as base:
        load = wrk(
            base,
            seconds=args.seconds,
            connections=args.connections,
            threads=2,
            script=Path(__file__).with_name("mix.lua"),
            script_env={"BENCH_MIX": str(mix_file)},
        )
    server_errors = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if "database is locked" in line or "Traceback" in line or "[ERROR]" in line
    ]
    counted = sum(load.statuses.values())
    print(
        f"LOAD {database_label(env)} requests={load.requests} per_second={load.per_second:.1f} "
        f"median_ms={load.median_ms:.1f} p99_ms={load.p99_ms:.1f} errors={load.errors} "
        + " ".join(f"{name}={n}" for name, n in sorted(load.statuses.items()))
        + f" server_errors={len(server_errors)}"
    )
    for line in server_errors[:10]:
        print(f"  server: {line}")
    bad = load.errors or server_errors or counted == 0 or load.statuses.get("2xx", 0) == 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
