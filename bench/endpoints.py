"""What is measured: one row per endpoint, with the requests wrk rotates over and the
targets (same-run ratios to the minimal endpoint) it is held to.

An endpoint whose route does not exist yet is reported as not available; add a row here
to measure a new one."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .loadgen import Request


@dataclass(frozen=True)
class BenchUser:
    """A seeded therapist who signed in through ``/api/auth/login``."""

    id: str
    email: str
    token: str
    long_client: str
    short_client: str
    in_progress_sessions: list[str]
    recurring_pool: list[str]


@dataclass(frozen=True)
class Context:
    users: list[BenchUser]
    today: date

    @property
    def stats_window(self) -> tuple[date, date]:
        """The last full calendar year."""
        year = self.today.year - 1
        return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class Target:
    """``metric`` at ``connections`` must be ``<=`` (or ``>=``) ``limit``."""

    metric: str  # p50_ratio, rps_ratio, p99_over_p50
    connections: int
    op: str
    limit: float

    def describe(self) -> str:
        names = {"p50_ratio": "p50 / minimal p50", "rps_ratio": "req/s / minimal req/s", "p99_over_p50": "p99 / p50"}
        return f"{names[self.metric]} @{self.connections} {self.op} {self.limit:g}"

    def check(self, value: float) -> bool:
        return value <= self.limit if self.op == "<=" else value >= self.limit


TAIL = Target("p99_over_p50", 10, "<=", 3)
LIST_TARGETS = (Target("p50_ratio", 1, "<=", 8), Target("rps_ratio", 10, ">=", 0.12), TAIL)


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    build: Callable[[Context], list[Request]]
    targets: tuple[Target, ...] = (TAIL,)
    #: Stand-ins are measured for the harness's sake, not held to the issue's targets.
    stand_in: bool = False
    #: EXPLAIN (ANALYZE, BUFFERS) the data statements of one request.
    explain: bool = False
    #: Compare the query count for a client with years of history and one with weeks.
    constant_queries: Callable[[Context], tuple[Request, Request]] | None = None
    notes: list[str] = field(default_factory=list)


def _each_user(method: str, path: Callable[[BenchUser], str], ctx: Context) -> list[Request]:
    return [Request(method, path(user), user.token) for user in ctx.users]


def _progress_requests(ctx: Context) -> list[Request]:
    requests = []
    rounds = max(len(user.in_progress_sessions) for user in ctx.users)
    for i in range(rounds):
        for user in ctx.users:
            if i < len(user.in_progress_sessions):
                body = {"clientMoodCurrent": 3 + i % 6, "progressNotes": f"Progress note {i}: discussed the week."}
                path = f"/api/sessions/{user.in_progress_sessions[i]}/progress"
                requests.append(Request("PUT", path, user.token, json.dumps(body)))
    return requests


def _recurring_requests(ctx: Context) -> list[Request]:
    end_date = (ctx.today + timedelta(weeks=20)).isoformat()
    body = json.dumps({"pattern": "weekly", "endDate": end_date})
    requests = []
    rounds = max(len(user.recurring_pool) for user in ctx.users)
    for i in range(rounds):
        for user in ctx.users:
            if i < len(user.recurring_pool):
                requests.append(
                    Request("POST", f"/api/appointments/{user.recurring_pool[i]}/recurring", user.token, body)
                )
    return requests


def _stats_path(ctx: Context) -> Callable[[BenchUser], str]:
    start, end = ctx.stats_window
    return lambda user: f"/api/therapists/{user.id}/session-stats?startDate={start}&endDate={end}"


def _summary_pair(ctx: Context) -> tuple[Request, Request]:
    user = ctx.users[0]
    return (
        Request("GET", f"/api/clients/{user.long_client}/session-summary", user.token),
        Request("GET", f"/api/clients/{user.short_client}/session-summary", user.token),
    )


MINIMAL = Endpoint("minimal", "GET /api/health", lambda ctx: [Request("GET", "/api/health")], targets=())

ENDPOINTS = [
    Endpoint(
        "clients_list",
        "GET /api/clients?limit=50",
        lambda ctx: _each_user("GET", lambda u: "/api/clients?limit=50", ctx),
        targets=LIST_TARGETS,
        stand_in=True,
    ),
    Endpoint(
        "auth_me", "GET /api/auth/me", lambda ctx: _each_user("GET", lambda u: "/api/auth/me", ctx), stand_in=True
    ),
    Endpoint(
        "appointments_list",
        "GET /api/appointments?limit=50",
        lambda ctx: _each_user("GET", lambda u: "/api/appointments?limit=50", ctx),
        targets=LIST_TARGETS,
    ),
    Endpoint(
        "sessions_list",
        "GET /api/sessions?limit=50",
        lambda ctx: _each_user("GET", lambda u: "/api/sessions?limit=50", ctx),
        targets=LIST_TARGETS,
    ),
    Endpoint(
        "session_stats",
        "GET /api/therapists/{id}/session-stats (a year)",
        lambda ctx: _each_user("GET", _stats_path(ctx), ctx),
        targets=(Target("p50_ratio", 1, "<=", 4), TAIL),
        explain=True,
    ),
    Endpoint(
        "session_summary",
        "GET /api/clients/{id}/session-summary (5 years)",
        lambda ctx: _each_user("GET", lambda u: f"/api/clients/{u.long_client}/session-summary", ctx),
        targets=(Target("p50_ratio", 1, "<=", 6), TAIL),
        explain=True,
        constant_queries=_summary_pair,
    ),
    Endpoint("session_progress", "PUT /api/sessions/{id}/progress", _progress_requests),
    Endpoint("appointment_recurring", "POST /api/appointments/{id}/recurring", _recurring_requests),
]
