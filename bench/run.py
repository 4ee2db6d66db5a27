"""``make bench``: seed (or reuse) the benchmark database, serve the app with gunicorn,
drive every available endpoint with wrk at each concurrency level, print the results as
ratios to the minimal endpoint measured in the same run, and write them as JSON.

    python -m bench.run [--reseed] [--seed-only] [--only KEY[,KEY...]]

Knobs (environment): BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_WORKERS,
BENCH_USERS, BENCH_DB, BENCH_PG_URL, BENCH_PORT, BENCH_REDIS_URL and the scale
(BENCH_THERAPISTS, BENCH_CLIENTS, BENCH_PRACTICES, BENCH_WEEKLY_SLOTS, BENCH_YEARS).
"""

import argparse
import os
import platform
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from statistics import median

from . import db
from .config import Config
from .endpoints import BASELINE_CONNECTIONS, BASELINE_FACTOR, ENDPOINTS, MINIMAL, BenchUser, Context, Endpoint
from .loadgen import Request, ensure_wrk, run_wrk
from .report import RESULTS_DIR, format_table, paired, write_json
from .server import REPO, app_environment, gunicorn, http_json


def say(message: str) -> None:
    print(message, flush=True)


def prepare_databases(config: Config, reseed: bool) -> dict:
    """Seed the seed database unless it already holds a complete seed, bring it up to
    the current migrations, and copy it into a fresh database for this run."""
    meta = None if reseed else db.complete_seed(config)
    if meta is None:
        started = time.monotonic()
        say(f"Seeding {config.seed_database} (reused by later runs; --reseed rebuilds it)")
        db.drop(config, config.seed_database)
        db.create(config, config.seed_database)
        db.manage(config, config.seed_database, "migrate", "--no-input", "-v0")
        env = {
            **os.environ,
            "DATABASE_URL": config.url(config.seed_database),
            "DJANGO_SETTINGS_MODULE": "practice.settings.base",
        }
        env.setdefault("SECRET_KEY", "bench-seed-" + "x" * 50)
        subprocess.run([sys.executable, "-m", "bench.seed"], check=True, env=env, cwd=REPO)
        meta = db.complete_seed(config)
        if meta is None:
            raise RuntimeError("seeding did not complete")
        meta["seed_seconds"] = round(time.monotonic() - started, 1)
        say(f"Seeded in {meta['seed_seconds']:.0f}s")
    else:
        say(f"Reusing the seed of {meta['seeded_at']} in {config.seed_database}")
        before = db.migrations_applied(config, config.seed_database)
        db.manage(config, config.seed_database, "migrate", "--no-input", "-v0")
        if db.migrations_applied(config, config.seed_database) != before:
            say(f"New migrations applied; ANALYZE took {db.analyze(config, config.seed_database):.1f}s")
    started = time.monotonic()
    db.drop(config, config.database)
    db.create(config, config.database, template=config.seed_database)
    say(f"Copied it to {config.database} for this run in {time.monotonic() - started:.1f}s")
    return meta


def set_up_two_factor(base: str, email: str, token: str) -> str:
    """Therapists reach the API only with two-factor authentication on: set it up as the
    frontend's setup page does, with a code computed from the returned secret. Returns
    the secret."""
    import pyotp

    status, body = http_json(f"{base}/api/auth/setup-2fa", "POST", {}, token)
    if status != 200:
        raise RuntimeError(f"two-factor setup of {email} failed: {status} {body}")
    secret = body["data"]["secret"]
    status, body = http_json(
        f"{base}/api/auth/verify-2fa", "POST", {"code": pyotp.TOTP(secret).now(), "secret": secret}, token
    )
    if status != 200:
        raise RuntimeError(f"two-factor verification of {email} failed: {status} {body}")
    return secret


def wait_for_next_totp_step(last_code_at: float, step: int = 30) -> None:
    """A TOTP code is accepted once: sign-ins after the set-up need the next time step."""
    while int(time.time() // step) <= int(last_code_at // step):
        time.sleep(0.5)


def login_users(base: str, config: Config, fixtures: dict) -> list[BenchUser]:
    users = []
    for spec in fixtures["users"][: config.users]:
        status, body = http_json(
            f"{base}/api/auth/login", "POST", {"email": spec["email"], "password": config.password}
        )
        if status != 200 or "accessToken" not in body:
            raise RuntimeError(f"login of {spec['email']} failed: {status} {body}")
        secret = set_up_two_factor(base, spec["email"], body["accessToken"])
        users.append(
            BenchUser(
                id=spec["id"],
                email=spec["email"],
                token=body["accessToken"],
                long_client=spec["long_client"],
                short_client=spec["short_client"],
                in_progress_sessions=spec.get("in_progress_sessions", []),
                recurring_pool=spec["recurring_pool"],
                no_show_pool=spec.get("no_show_pool", []),
                totp_secret=secret,
            )
        )
    return users


def probe(base: str, endpoint: Endpoint, requests: list[Request]) -> str | None:
    """None when the endpoint can be measured, else why not."""
    from .queries import route_exists

    first = requests[0]
    if not route_exists(first.path):
        return "not available (no route)"
    import json

    status, body = http_json(
        base + first.path, first.method, json.loads(first.body) if first.body else None, first.token
    )
    if status in (404, 405) and body.get("code") in ("not_found", "method_not_allowed"):
        return f"not available ({status} {body.get('code')})"
    if not 200 <= status < 300:
        return f"probe failed: {status} {str(body)[:300]}"
    return None


def profile_queries(endpoint: Endpoint, requests: list[Request], ctx: Context) -> dict:
    from .queries import capture, data_statements, explain, newcomer_request

    captured = capture(requests[0])
    result: dict = {"status": captured.status, "queries": captured.count, "sql_ms": captured.sql_ms}
    result["statements"] = [{"sql": sql[:2000], "ms": round(seconds * 1000, 3)} for sql, seconds in captured.statements]
    if endpoint.explain:
        result["explain"] = [explain(sql) for sql in data_statements(captured)]
        busy = ctx.users[0] if requests[0].token == ctx.users[0].token else None
        if ctx.newcomer and busy:
            # The same request sent by the therapist with a few hundred sessions, captured
            # as they send it: the statements carry their own constants (their assigned
            # clients' ids), which replacing the therapist's id in the busiest one's SQL
            # would not give.
            theirs = newcomer_request(requests[0], busy.id, busy.long_client, ctx.newcomer)
            newcomer_captured = capture(theirs) if theirs else None
            if newcomer_captured and newcomer_captured.status == captured.status:
                result["explain_newcomer"] = [explain(sql) for sql in data_statements(newcomer_captured)]
            else:
                result["explain_newcomer_skipped"] = (
                    f"the newcomer's request answered {newcomer_captured.status}" if newcomer_captured else "no client"
                )
    if endpoint.constant_queries is not None:
        long_history, short_history = endpoint.constant_queries(ctx)
        result["queries_long_history"] = capture(long_history).count
        result["queries_short_history"] = capture(short_history).count
    return result


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reseed", action="store_true", help="rebuild the seeded database")
    parser.add_argument("--seed-only", action="store_true", help="seed (or reuse the seed) and stop")
    parser.add_argument("--only", default="", help="comma-separated endpoint keys to measure")
    parser.add_argument(
        "--day-rounds", type=int, default=5, help="rounds of the therapist's day walked by each therapist (0: none)"
    )
    parser.add_argument(
        "--profile",
        default="",
        help="comma-separated endpoint keys to profile in-process with pyinstrument (requirements-dev.txt)",
    )
    args = parser.parse_args(argv)
    config = Config.from_env()
    started = time.monotonic()
    wrk = None if args.seed_only else ensure_wrk()

    seed_meta = prepare_databases(config, args.reseed)
    if args.seed_only:
        return 0
    fixtures = db.read_meta(config, config.database, "fixtures")

    env = app_environment(config, config.database)
    os.environ.update(env)
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

    only = {key.strip() for key in args.only.split(",") if key.strip()}
    to_profile = {key.strip() for key in args.profile.split(",") if key.strip()}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    endpoints = [e for e in ENDPOINTS if not only or e.key in only]
    results: dict = {
        "started_at": datetime.now(UTC).isoformat(),
        "commit": git_commit(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "config": {
            "duration_s": config.duration,
            "warmup_s": config.warmup,
            "rounds": config.rounds,
            "connections": list(config.concurrency),
            "gunicorn_workers": config.workers,
            "users": config.users,
            "database": config.database,
        },
        "seed": seed_meta,
        "minimal": {"label": MINIMAL.label},
        "endpoints": {},
    }

    with gunicorn(config, env) as base:
        users = login_users(base, config, fixtures)
        two_factor_set_up_at = time.time()
        ctx = Context(users=users, today=datetime.now(UTC).date(), newcomer=fixtures.get("newcomer", ""))
        say(f"Signed in {len(users)} therapists through /api/auth/login; gunicorn with {config.workers} workers")
        plan: list[tuple[Endpoint, list[Request]]] = []
        for endpoint in endpoints:
            entry: dict = {"label": endpoint.label, "stand_in": endpoint.stand_in}
            results["endpoints"][endpoint.key] = entry
            requests = endpoint.build(ctx)
            reason = probe(base, endpoint, requests)
            entry["available"] = reason is None
            if reason:
                entry["reason"] = reason
                say(f"  {endpoint.label}: {reason}")
                continue
            entry["queries"] = profile_queries(endpoint, requests, ctx)
            if endpoint.key in to_profile:
                from .queries import profile

                RESULTS_DIR.mkdir(exist_ok=True)
                path = RESULTS_DIR / f"{stamp}-{endpoint.key}.profile.txt"
                path.write_text(profile(requests))
                entry["profile"] = str(path.relative_to(REPO))
                say(f"  {endpoint.label}: profile written to {entry['profile']}")
            entry["distinct_requests"] = len(requests)
            entry["results"] = {}
            plan.append((endpoint, requests))

        minimal_requests = MINIMAL.build(ctx)
        slice_seconds = max(1.0, config.duration / config.rounds)
        for connections in config.concurrency:
            say(
                f"\n{connections} connection(s): {config.rounds} rounds of {slice_seconds:g}s {MINIMAL.label} "
                f"then {slice_seconds:g}s endpoint, after {config.warmup:g}s warm-up"
            )
            minimal_runs = []
            for endpoint, requests in plan:
                if config.warmup > 0:
                    run_wrk(wrk, base, requests, connections, config.warmup)
                rounds = []
                for _ in range(config.rounds):
                    minimal = run_wrk(wrk, base, minimal_requests, connections, slice_seconds)
                    rounds.append((minimal, run_wrk(wrk, base, requests, connections, slice_seconds)))
                    minimal_runs.append(minimal)
                r = paired(rounds)
                results["endpoints"][endpoint.key]["results"][str(connections)] = r
                say(
                    f"  {endpoint.label}: {r['rps']:,.0f} req/s ({r['rps_ratio']:.2f}x), "
                    f"p50 {r['p50_ms']:.2f} ms ({r['p50_ratio']:.1f}x), p99 {r['p99_ms']:.2f} ms"
                )
            if minimal_runs:
                results["minimal"][str(connections)] = {
                    "rps": round(median(m.rps for m in minimal_runs), 1),
                    "p50_ms": round(median(m.p50_ms for m in minimal_runs), 3),
                    "p99_ms": round(median(m.p99_ms for m in minimal_runs), 3),
                    "rps_min": min(m.rps for m in minimal_runs),
                    "rps_max": max(m.rps for m in minimal_runs),
                    "runs": [m.as_dict() for m in minimal_runs],
                }

        if args.day_rounds > 0:
            from .day import walk_the_day

            wait_for_next_totp_step(two_factor_set_up_at)
            say(f"\nThe therapist's day: {args.day_rounds} rounds for each of {len(users)} therapists")
            results["day"] = walk_the_day(config.port, ctx, config.password, args.day_rounds)

    from django.db import connections

    from .audit import measure_audit
    from .commands import measure_commands

    # The command is measured on a fresh copy, so that it extends exactly the seed's series
    # pool and not also the series the load on the recurring endpoint created.
    connections.close_all()
    db.drop(config, config.database)
    db.create(config, config.database, template=config.seed_database)
    results["audit"] = measure_audit(ctx)
    results["commands"] = measure_commands(ctx, fixtures)
    evaluate(results, endpoints)
    results["total_seconds"] = round(time.monotonic() - started, 1)
    print_report(results, endpoints)
    path = write_json(results, stamp)
    say(f"\nResults written to {path.relative_to(REPO)} (total {results['total_seconds']:.0f}s)")
    return 0


def evaluate(results: dict, endpoints: list[Endpoint]) -> None:
    from .queries import DATA_TABLES

    for endpoint in endpoints:
        entry = results["endpoints"][endpoint.key]
        if not entry.get("available"):
            continue
        checks = []
        for target in endpoint.targets:
            measured = entry["results"].get(str(target.connections))
            if measured is None:
                continue
            value = measured[target.metric]
            checks.append({"target": target.describe(), "value": value, "met": target.check(value)})
        queries = entry["queries"]
        if endpoint.key == "session_stats":
            plans = queries.get("explain", [])
            sql_ms = round(sum(plan["execution_ms"] for plan in plans), 3)
            checks.append({"target": "SQL time (widest window) <= 10 ms", "value": sql_ms, "met": sql_ms <= 10})
            seq = sorted({table for plan in plans for table in plan["seq_scans"]})
            checks.append({"target": "no sequential scan", "value": ", ".join(seq) or "none", "met": not seq})
            value = f"{len(plans)} statement(s) on the big tables"
            checks.append({"target": "aggregate statements, not a loop", "value": value, "met": 0 < len(plans) <= 2})
        if endpoint.baseline and endpoint.baseline in results["endpoints"]:
            base = results["endpoints"][endpoint.baseline].get("results", {}).get(str(BASELINE_CONNECTIONS))
            ours = entry["results"].get(str(BASELINE_CONNECTIONS))
            if base and ours:
                value = round(ours["rps_ratio"] / base["rps_ratio"], 2)
                checks.append(
                    {
                        "target": f"req/s / DRF baseline req/s @{BASELINE_CONNECTIONS} >= {BASELINE_FACTOR:g}",
                        "value": value,
                        "met": value >= BASELINE_FACTOR,
                    }
                )
        busy_plans, new_plans = queries.get("explain", []), queries.get("explain_newcomer", [])
        if busy_plans and new_plans and endpoint.key != "session_stats":
            busy_ms = sum(p["execution_ms"] for p in busy_plans)
            new_ms = sum(p["execution_ms"] for p in new_plans)
            checks.append(
                {
                    "target": "page SQL: busiest therapist within 20% of a newcomer's",
                    "value": f"{busy_ms:.2f} ms vs {new_ms:.2f} ms",
                    "met": busy_ms <= 1.2 * new_ms,
                }
            )
            # A sequential scan of the practices (a handful of rows) is the right plan; one of
            # a table that grows with history is not.
            seq = sorted({table for p in busy_plans for table in p["seq_scans"] if table in DATA_TABLES})
            checks.append(
                {"target": "no sequential scan of the big tables", "value": ", ".join(seq) or "none", "met": not seq}
            )
        if "queries_long_history" in queries:
            long_q, short_q = queries["queries_long_history"], queries["queries_short_history"]
            checks.append(
                {
                    "target": "constant queries",
                    "value": f"{long_q} (5 years) vs {short_q} (weeks)",
                    "met": long_q == short_q,
                }
            )
        entry["targets"] = checks


def _versus_baseline(results: dict, endpoint: Endpoint, connections: int) -> float | None:
    """This list's throughput as a multiple of its straightforward DRF version's (same
    round's minimal endpoint as the unit, so drift of the machine cancels)."""
    if not endpoint.baseline:
        return None
    base = results["endpoints"].get(endpoint.baseline, {}).get("results", {}).get(str(connections))
    ours = results["endpoints"][endpoint.key]["results"][str(connections)]
    return round(ours["rps_ratio"] / base["rps_ratio"], 2) if base else None


def print_day(day: dict) -> None:
    say(
        f"\n== The therapist's day: {day['rounds']} rounds per therapist, one call after another ==  "
        f"minimal p50 {day['minimal_p50_ms']:.2f} ms ({day['minimal_samples']} calls)"
    )
    rows = [
        [label, s["calls"], s["p50_ms"], s["p99_ms"], s["p50_ratio"], s["failures"], s["first_failure"][:80]]
        for label, s in day["steps"].items()
    ]
    say(format_table(["call", "calls", "p50 ms", "p99 ms", "p50 x", "failed", "first failure"], rows))


def print_report(results: dict, endpoints: list[Endpoint]) -> None:
    for connections in results["config"]["connections"]:
        ref = results["minimal"].get(str(connections))
        if ref is None:
            continue
        say(
            f"\n== {connections} connection(s) ==  minimal {results['minimal']['label']} (median of its paired runs): "
            f"{ref['rps']:,.0f} req/s (runs {ref['rps_min']:,.0f}-{ref['rps_max']:,.0f}), "
            f"p50 {ref['p50_ms']:.2f} ms, p99 {ref['p99_ms']:.2f} ms"
        )
        rows = []
        for endpoint in endpoints:
            entry = results["endpoints"][endpoint.key]
            label = endpoint.label + (" [stand-in]" if endpoint.stand_in else "")
            if not entry.get("available"):
                rows.append([label, entry.get("reason", "")] + [None] * 10)
                continue
            r = entry["results"][str(connections)]
            rows.append(
                [
                    label,
                    r["rps"],
                    r["p50_ms"],
                    r["p99_ms"],
                    r["rps_ratio"],
                    r["p50_ratio"],
                    r["p99_ratio"],
                    r["p99_over_p50"],
                    _versus_baseline(results, endpoint, connections),
                    r["non_2xx"] + r["errors"],
                    entry["queries"]["queries"],
                    entry["queries"]["sql_ms"],
                ]
            )
        headers = [
            "endpoint",
            "req/s",
            "p50 ms",
            "p99 ms",
            "req/s x",
            "p50 x",
            "p99 x",
            "p99/p50",
            "vs DRF",
            "errors",
            "queries",
            "SQL ms",
        ]
        say(format_table(headers, rows))

    if "day" in results:
        print_day(results["day"])

    say("\n== Targets ==")
    rows = []
    for endpoint in endpoints:
        for check in results["endpoints"][endpoint.key].get("targets", []):
            rows.append([endpoint.label, check["target"], check["value"], "met" if check["met"] else "MISSED"])
    for check in results.get("audit", {}).get("targets", []):
        rows.append(["audit of a page", check["target"], check["value"], "met" if check["met"] else "MISSED"])
    for name, command in results.get("commands", {}).items():
        for check in command.get("targets", []):
            rows.append([name, check["target"], check["value"], "met" if check["met"] else "MISSED"])
    say(format_table(["endpoint", "target", "measured", ""], rows))

    for endpoint in endpoints:
        queries = results["endpoints"][endpoint.key].get("queries", {})
        for plan in queries.get("explain", []):
            say(f"\n== EXPLAIN (ANALYZE, BUFFERS): {endpoint.label} ==\n{plan['sql']}\n{plan['plan']}")
        for plan in queries.get("explain_newcomer", []):
            say(f"\n== EXPLAIN (ANALYZE, BUFFERS): {endpoint.label}, a newcomer's ==\n{plan['plan']}")
    if "audit" in results:
        say(f"\n== Audit of a sessions page ==\n{results['audit']['summary']}")
    for name, command in results.get("commands", {}).items():
        say(f"\n== {name} ==\n{command.get('summary', command.get('reason', ''))}")


if __name__ == "__main__":
    sys.exit(main())
