import random
import socket

import pytest

from bench.endpoints import Target
from bench.loadgen import Measurement, Request, parse_wrk_output
from bench.report import paired, ratios
from bench.seed import plan_slot
from bench.server import ensure_port_free

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:8765
  1 threads and 10 connections
  2000 requests in 8.00s, 1.2MB read
BENCH_RESULT {"requests": 2000, "duration_us": 8000000, "bytes": 1200000, \
"errors": {"connect": 0, "read": 1, "write": 0, "status": 3, "timeout": 2}, \
"latency_us": {"p50": 4500, "p90": 7000, "p99": 12000, "max": 30000, "mean": 5100.5}}
"""


def test_parse_wrk_output_reads_the_result_line():
    m = parse_wrk_output(WRK_OUTPUT, connections=10)
    assert m.requests == 2000
    assert m.rps == 250.0
    assert (m.p50_ms, m.p90_ms, m.p99_ms, m.max_ms) == (4.5, 7.0, 12.0, 30.0)
    assert m.errors == 3
    assert m.non_2xx == 3


def test_parse_wrk_output_without_result_line_fails():
    with pytest.raises(ValueError, match="no result line"):
        parse_wrk_output("unable to connect to 127.0.0.1:8765", connections=1)


def _m(rps: float, p50: float, p99: float) -> Measurement:
    return Measurement(1, int(rps * 8), 8.0, rps, p50, p50, p99, p99, 0, 0)


def test_ratios_are_the_median_of_paired_rounds():
    rounds = [
        (_m(1000, 1.0, 2.0), _m(150, 5.0, 10.0)),
        (_m(500, 2.0, 4.0), _m(75, 10.0, 20.0)),  # the machine was slower: same ratios
        (_m(1000, 1.0, 2.0), _m(100, 8.0, 40.0)),
    ]
    r = paired(rounds)
    assert r["rps_ratio"] == 0.15
    assert r["p50_ratio"] == 5.0
    assert r["p99_over_p50"] == 2.0
    assert r["rps"] == 100
    assert r["minimal_rps"] == 1000
    assert len(r["rounds"]) == 3
    assert ratios(_m(150, 5.5, 11.0), _m(1000, 1.1, 2.2)) == {
        "rps_ratio": 0.15,
        "p50_ratio": 5.0,
        "p99_ratio": 5.0,
        "p99_over_p50": 2.0,
    }


def test_targets_check_both_directions():
    assert Target("p50_ratio", 1, "<=", 8).check(8)
    assert not Target("p50_ratio", 1, "<=", 8).check(8.1)
    assert Target("rps_ratio", 10, ">=", 0.12).check(0.2)
    assert not Target("rps_ratio", 10, ">=", 0.12).check(0.1)


def test_request_lines_cannot_carry_tabs():
    assert Request("GET", "/api/health").line() == "GET\t/api/health\t\t"
    with pytest.raises(ValueError):
        Request("PUT", "/x", "t", '{"a": "b\tc"}').line()


@pytest.mark.parametrize("seed", range(20))
def test_slot_tenures_never_overlap_and_stay_in_range(seed):
    weeks = 268
    plan = plan_slot(random.Random(seed), weeks, long_from_start=seed % 2 == 0)
    taken = set()
    for first_week, sessions, step in plan:
        occupied = {first_week + k * step for k in range(sessions)}
        assert not occupied & taken
        assert max(occupied) < weeks
        taken |= occupied
    if seed % 2 == 0:
        assert plan[0] == (0, weeks, 1)


def test_only_reads_of_the_big_tables_are_explained():
    from bench.queries import Captured, data_statements

    captured = Captured(
        200,
        [
            ("BEGIN", 0.0),
            ('SELECT "id", "updated_at" FROM "scheduling_appointment"', 0.001),
            ("WITH m AS (SELECT 1 FROM clinical_session) SELECT * FROM m", 0.002),
            ('SELECT "id" FROM "practice_user"', 0.001),
            ('SELECT "id" FROM "clinical_session" FOR UPDATE', 0.001),
            ('INSERT INTO "clinical_session" VALUES (1)', 0.001),
        ],
    )
    assert data_statements(captured) == [
        'SELECT "id", "updated_at" FROM "scheduling_appointment"',
        "WITH m AS (SELECT 1 FROM clinical_session) SELECT * FROM m",
    ]
    assert captured.count == 6
    assert captured.sql_ms == 6.0


def test_the_server_refuses_a_port_another_server_listens_on():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"port {port} .* already in use"):
            ensure_port_free(port)
    ensure_port_free(port)  # closed again: free


def _entry(rps_ratio: float, **queries) -> dict:
    return {"available": True, "results": {"10": {"rps_ratio": rps_ratio}}, "queries": {"queries": 5, **queries}}


def test_a_list_is_held_to_its_baseline_and_to_a_flat_page():
    from bench.endpoints import Endpoint
    from bench.run import _versus_baseline, evaluate

    ours = Endpoint("ours", "GET /ours", lambda ctx: [], targets=(), baseline="base")
    base = Endpoint("base", "GET /base", lambda ctx: [], targets=(), is_baseline=True)
    plan = {"execution_ms": 1.0, "seq_scans": []}
    results = {
        "endpoints": {
            "ours": _entry(0.3, explain=[plan], explain_newcomer=[{"execution_ms": 0.9, "seq_scans": []}]),
            "base": _entry(0.2),
        }
    }
    evaluate(results, [ours, base])
    checks = {c["target"]: c for c in results["endpoints"]["ours"]["targets"]}
    assert _versus_baseline(results, ours, 10) == 1.5
    assert checks["req/s / DRF baseline req/s @10 >= 1.5"]["met"]
    assert checks["page SQL: busiest therapist within 20% of a newcomer's"]["met"]  # 1.0 <= 1.08
    results["endpoints"]["ours"] = _entry(
        0.25, explain=[plan], explain_newcomer=[{"execution_ms": 0.5, "seq_scans": []}]
    )
    evaluate(results, [ours, base])
    checks = {c["target"]: c for c in results["endpoints"]["ours"]["targets"]}
    assert not checks["req/s / DRF baseline req/s @10 >= 1.5"]["met"]  # 1.25x
    assert not checks["page SQL: busiest therapist within 20% of a newcomer's"]["met"]  # 1.0 > 0.6
    assert results["endpoints"]["base"]["targets"] == []


@pytest.mark.django_db
def test_the_audit_measurement_checks_that_every_client_shown_is_named(monkeypatch, therapist, practice):
    from datetime import date

    from bench import audit
    from bench.endpoints import BenchUser, Context
    from clinical.tests.factories import SessionFactory
    from practice.models import AuditEvent
    from practice.tests.factories import ClientFactory
    from scheduling.tests.factories import AppointmentFactory

    clients = [ClientFactory(practice=practice, therapists=[therapist]) for _ in range(3)]
    for index in range(6):
        appointment = AppointmentFactory(practice=practice, therapist=therapist, client=clients[index % 3])
        SessionFactory(appointment=appointment)
    monkeypatch.setattr(audit, "CALLS", 3)
    monkeypatch.setattr(audit, "WARMUP", 1)
    user = BenchUser(str(therapist.pk), therapist.email, "", "", "", [], [])

    result = audit.measure_audit(Context(users=[user], today=date.today()))

    checks = {check["target"]: check for check in result["targets"]}
    assert checks["names every client and record shown"] == {
        "target": "names every client and record shown",
        "value": "3 of 3 clients, 1 entries",
        "met": True,
    }
    assert (result["records_per_page"], result["entries_per_page"]) == (6, 1)
    assert result["insert_median_ms"] > 0
    assert AuditEvent.objects.filter(actor=therapist).count() == 1 + 3  # warm-up and measured pages


@pytest.mark.django_db
def test_the_newcomers_request_is_sent_as_the_newcomer_with_their_own_client(therapist, other_therapist, practice):
    from bench.loadgen import Request
    from bench.queries import capture, newcomer_request
    from clinical.tests.factories import SessionFactory
    from practice.tests.factories import ClientFactory
    from scheduling.tests.factories import AppointmentFactory

    busy_client = ClientFactory(practice=practice, therapists=[therapist])
    theirs = ClientFactory(practice=practice, therapists=[other_therapist])
    SessionFactory(appointment=AppointmentFactory(practice=practice, therapist=other_therapist, client=theirs))

    def as_newcomer(path: str) -> Request:
        busy = Request("GET", path, "busy-token")
        return newcomer_request(busy, str(therapist.pk), str(busy_client.pk), str(other_therapist.pk))

    summary = as_newcomer(f"/api/clients/{busy_client.pk}/session-summary")
    stats = as_newcomer(f"/api/therapists/{therapist.pk}/session-stats")

    assert summary.path == f"/api/clients/{theirs.pk}/session-summary"
    assert stats.path == f"/api/therapists/{other_therapist.pk}/session-stats"
    assert summary.token != "busy-token"
    # Signed in as the newcomer, past two-factor setup: their own client and statistics.
    assert capture(summary).status == 200 and capture(stats).status == 200
    sessions = capture(Request("GET", "/api/sessions?limit=50", stats.token))
    assert sessions.status == 200
    # The page's constants are the newcomer's own assigned clients.
    assert any(theirs.pk.hex in sql and busy_client.pk.hex not in sql for sql, _ in sessions.statements)
