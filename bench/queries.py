"""In-process looks at one request of an endpoint: its route, its SQL statements and
their plans. Needs Django set up against the run's database."""

import re
import statistics
from dataclasses import dataclass

from .loadgen import Request

#: The tables that grow with the practice's history.
DATA_TABLES = (
    "scheduling_appointment",
    "clinical_session",
    "clinical_sessionnote",
    "practice_client",
    "clinical_survey",
)
EXECUTION_TIME = re.compile(r"Execution Time: ([0-9.]+) ms")
WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
SEQ_SCAN = re.compile(r"Seq Scan on (\S+)")
AGGREGATE = re.compile(r"\b(COUNT|SUM|AVG|MIN|MAX|PERCENTILE_CONT)\s*\(", re.IGNORECASE)


def route_exists(path: str) -> bool:
    """Whether a real route (not the catch-all JSON 404) answers ``path``."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    func = getattr(match.func, "__wrapped__", match.func)
    return getattr(func, "__name__", "") != "api_not_found"


@dataclass
class Captured:
    status: int
    statements: list[tuple[str, float]]  # SQL, seconds

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def sql_ms(self) -> float:
        return round(sum(seconds for _, seconds in self.statements) * 1000, 2)


def capture(request: Request) -> Captured:
    """Send ``request`` through the whole Django stack in-process (twice, the second one
    measured) and capture its SQL."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {request.token}" if request.token else "")
    kwargs = {"content_type": "application/json", "data": request.body} if request.body else {}
    method = getattr(client, request.method.lower())
    method(request.path, **kwargs)
    with CaptureQueriesContext(connection) as queries:
        response = method(request.path, **kwargs)
    statements = [(q["sql"], float(q["time"] or 0)) for q in queries.captured_queries]
    return Captured(response.status_code, statements)


def data_statements(captured: Captured) -> list[str]:
    """The reads of the big tables (the statements worth a plan; EXPLAIN ANALYZE runs
    them, so nothing that writes or locks)."""
    return [
        sql
        for sql, _ in captured.statements
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        and not WRITES.search(sql)
        and any(table in sql for table in DATA_TABLES)
    ]


def explain(sql: str, repeat: int = 3) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of a read, run ``repeat`` times on warm caches; the
    median execution time and the last plan."""
    from django.db import connection

    times = []
    plan = ""
    with connection.cursor() as cursor:
        for _ in range(repeat):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found = EXECUTION_TIME.search(plan)
            times.append(float(found.group(1)) if found else float("nan"))
    return {
        "sql": sql,
        "execution_ms": round(statistics.median(times), 3),
        "seq_scans": sorted(set(SEQ_SCAN.findall(plan))),
        "aggregate": bool(AGGREGATE.search(sql)),
        "plan": plan,
    }


def profile(requests: list[Request], count: int = 30) -> str:
    """pyinstrument's call tree of ``count`` in-process requests (rotating over
    ``requests``), as text."""
    from django.test import Client
    from pyinstrument import Profiler

    clients = {}
    calls = []
    for request in requests[:count]:
        client = clients.setdefault(request.token, Client(HTTP_AUTHORIZATION=f"Bearer {request.token}"))
        kwargs = {"content_type": "application/json", "data": request.body} if request.body else {}
        calls.append((getattr(client, request.method.lower()), request.path, kwargs))
    method, path, kwargs = calls[0]
    method(path, **kwargs)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(count):
        method, path, kwargs = calls[i % len(calls)]
        method(path, **kwargs)
    profiler.stop()
    return profiler.output_text(unicode=False, color=False)


def newcomer_request(request: Request, busy_id: str, busy_client: str, newcomer_id: str) -> Request | None:
    """``request`` as the therapist who joined recently sends it: with their token, their
    id in the path, and their client with the most completed sessions where the busiest
    therapist's long-history client was. Signed in in-process, with two-factor
    authentication set up in the run's database (the newcomer never signs in over HTTP).
    None when the newcomer has no client."""
    import pyotp
    from django.db.models import Count
    from django.utils import timezone

    from clinical.models import Session
    from practice.models import TwoFactorDevice, User
    from practice.tokens import token_family_start
    from practice.two_factor_crypto import encrypt_secret

    newcomer = User.objects.get(pk=newcomer_id)
    client = (
        Session.objects.filter(therapist_id=newcomer_id, status=Session.Status.COMPLETED)
        .values("client_id")
        .annotate(sessions=Count("*"))
        .order_by("-sessions", "client_id")
        .first()
    )
    if client is None:
        return None
    TwoFactorDevice.objects.update_or_create(
        user=newcomer,
        defaults={
            "encrypted_secret": encrypt_secret(pyotp.random_base32()),
            "enabled": True,
            "confirmed_at": timezone.now(),
        },
    )
    path = request.path.replace(busy_id, newcomer_id).replace(busy_client, str(client["client_id"]))
    return Request(request.method, path, token_family_start(newcomer).access, request.body)
