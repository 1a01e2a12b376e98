"""The key pages and API lists under load, against a trivial view on the same server.

    .venv/bin/python bench/pages.py [--evaluations 10000] [--seconds 10] [--connections 2]

(`make bench` runs this, then bench/dashboard_sql.py.) Generates the data on first use
(BENCH_DATABASE_URL picks the database; SQLite under var/bench/ by default), serves it with
gunicorn on 127.0.0.1, loads each URL with wrk and prints one line per URL:

    BENCH <name> median_ms=… p99_ms=… floor_ms=… ratio=…

The floor is /healthz, a view that answers one trivial query: what any request to this
server costs. ratio is the page's median over the floor's median; the target is ≤ 3.
An INFO line also gives what a signed-in request for a missing page costs (the session, the
person and the site's layout around one sentence): the least any signed-in page can cost.
A page that answered anything but 2xx/3xx is reported as such and fails the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import VAR, Fixture, bench_environment, database_label, prepare, server, wrk  # noqa: E402

TARGET_RATIO = 3.0


def targets(f: Fixture) -> list[tuple[str, str, dict[str, str]]]:
    """(name, path, headers) for every page and API list measured."""
    evaluator = {"Cookie": f.evaluator_cookie}
    focal = {"Cookie": f.focal_cookie}
    committee = {"Cookie": f.committee_cookie}
    token = {"Authorization": f"Bearer {f.focal_token}", "Accept": "application/json"}
    public: dict[str, str] = {}
    return [
        ("home", "/", evaluator),
        ("evaluation_list", "/evaluations/", evaluator),
        ("evaluation_search", "/evaluations/?q=health", evaluator),
        ("evaluation_page", f"/evaluations/{f.evaluation_id}/", evaluator),
        ("my_actions", "/my-actions/", focal),
        ("action_page", f"/actions/{f.action_id}/", focal),
        ("validation_queue", "/validation/", evaluator),
        ("approval_queue", "/approvals/", committee),
        ("dashboard", "/dashboard/", evaluator),
        ("dashboard_unit", f"/dashboard/?unit={f.unit_id}", evaluator),
        ("rounds", "/rounds/", evaluator),
        ("public_list_en", "/en/public/", public),
        ("public_response_fr", f"/fr/public/{f.publication_key}/", public),
        ("api_evaluations", "/api/v1/evaluations/", token),
        ("api_actions", "/api/v1/actions/", token),
        ("api_updates", "/api/v1/updates/", token),
        ("api_public_publications", "/api/v1/public/publications/", public),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="per URL (default 10)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--only", help="measure only the URLs whose name contains this")
    args = parser.parse_args()

    env = bench_environment()
    fixture = prepare(env, args.evaluations)
    print(
        f"{database_label(env)}: {fixture.evaluations:,} evaluations, {fixture.actions:,} "
        f"actions, {fixture.updates:,} updates; {args.workers} gunicorn workers, wrk "
        f"{args.connections} connections × {args.seconds} s per URL"
    )
    failed = []
    with server(env, args.workers, VAR / "server.log") as base:
        measure = {"seconds": args.seconds, "connections": args.connections}
        # Warm each worker's caches (templates, translations) before anything is timed.
        wrk(f"{base}/healthz", seconds=2, connections=args.connections)
        floor = wrk(f"{base}/healthz", **measure)
        print(
            f"BENCH floor median_ms={floor.median_ms:.2f} p99_ms={floor.p99_ms:.2f} "
            f"floor_ms={floor.median_ms:.2f} ratio=1.00"
        )
        # Not a target: a signed-in request for an address that does not exist, answered
        # with the site's layout and one sentence. It shows what any signed-in page costs
        # before it shows anything of its own (its 404 is expected, so not an error here).
        signed_in = {"Cookie": fixture.evaluator_cookie}
        wrk(f"{base}/no-such-page/", seconds=2, connections=args.connections, headers=signed_in)
        layout = wrk(f"{base}/no-such-page/", headers=signed_in, **measure)
        print(
            f"INFO signed_in_layout median_ms={layout.median_ms:.2f} p99_ms={layout.p99_ms:.2f} "
            f"floor_ms={floor.median_ms:.2f} ratio={layout.median_ms / floor.median_ms:.2f}"
        )
        for name, path, headers in targets(fixture):
            if args.only and args.only not in name:
                continue
            wrk(f"{base}{path}", seconds=2, connections=args.connections, headers=headers)
            load = wrk(f"{base}{path}", headers=headers, **measure)
            ratio = load.median_ms / floor.median_ms
            verdict = ""
            if load.requests == 0:
                # Not one answer within the time: slower than the measurement itself.
                verdict = " NO_ANSWER"
                failed.append(name)
            elif load.errors:
                verdict = f" ERRORS={load.errors}"
                failed.append(name)
            elif ratio > TARGET_RATIO:
                verdict = f" over_target={TARGET_RATIO:g}"
                failed.append(name)
            print(
                f"BENCH {name} median_ms={load.median_ms:.2f} p99_ms={load.p99_ms:.2f} "
                f"floor_ms={floor.median_ms:.2f} ratio={ratio:.2f}{verdict}",
                flush=True,
            )
    if failed:
        print(f"not within target: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
