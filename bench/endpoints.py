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
    no_show_pool: list[str] = field(default_factory=list)
    #: The refresh cookie of the sign-in and the TOTP secret (the day's walkthrough uses them).
    refresh_cookie: str = ""
    totp_secret: str = ""


@dataclass(frozen=True)
class Context:
    users: list[BenchUser]
    today: date
    #: The therapist who joined recently (a few hundred sessions).
    newcomer: str = ""

    @property
    def stats_window(self) -> tuple[date, date]:
        """The widest window the statistics allow: five years up to today."""
        return self.today.replace(year=self.today.year - 5) + timedelta(days=1), self.today

    @property
    def week(self) -> tuple[date, date]:
        """The calendar's week: Monday to Sunday of this week."""
        monday = self.today - timedelta(days=self.today.weekday())
        return monday, monday + timedelta(days=6)


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
LIST_TARGETS = (Target("p50_ratio", 1, "<=", 6), TAIL)
#: Throughput at 10 connections against the straightforward DRF version of the same list.
BASELINE_CONNECTIONS = 10
BASELINE_FACTOR = 1.5


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
    #: Key of the straightforward DRF version of this list (``bench.baseline``), measured in
    #: the same run: at 10 connections this one must serve at least 1.5x its throughput.
    baseline: str | None = None
    #: A baseline itself: measured for comparison, held to no target.
    is_baseline: bool = False
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


def _get(path: Callable[[BenchUser], str]) -> Callable[[Context], list[Request]]:
    return lambda ctx: _each_user("GET", path, ctx)


def _put(path: Callable[[BenchUser], str], body: dict) -> Callable[[Context], list[Request]]:
    return lambda ctx: [Request("PUT", path(user), user.token, json.dumps(body)) for user in ctx.users]


def _week_path(ctx: Context) -> Callable[[BenchUser], str]:
    monday, sunday = ctx.week
    return lambda user: f"/api/appointments?startDate={monday}&endDate={sunday}&limit=50"


def _list(key: str, label: str, path: str, baseline: str | None = None, **kwargs) -> Endpoint:
    return Endpoint(key, label, _get(lambda u: path), targets=LIST_TARGETS, baseline=baseline, **kwargs)


def _baseline(key: str, path: str) -> Endpoint:
    return Endpoint(key, f"GET {path} [DRF baseline]", _get(lambda u: path), targets=(), is_baseline=True)


PREPARATION = {
    "preparationNotes": "Ask how the sleep diary went.",
    "reviewPreviousSession": True,
    "focusAreas": ["sleep"],
}
MEDICAL_HISTORY = {
    "currentMedications": ["Sertraline 50mg"],
    "allergies": ["Penicillin"],
    "previousTherapy": True,
    "previousTherapyDetails": "CBT in 2021.",
    "medicalConditions": [],
    "hospitalizations": [],
}
EMERGENCY_CONTACT = {"name": "Sam de Vries", "relationship": "partner", "phone": "+31612345678"}

MINIMAL = Endpoint("minimal", "GET /api/health", lambda ctx: [Request("GET", "/api/health")], targets=())

ENDPOINTS = [
    # The straightforward DRF lists the real ones are compared with.
    _baseline("baseline_appointments", "/baseline/appointments?limit=50"),
    _baseline("baseline_sessions", "/baseline/sessions?limit=50"),
    _baseline("baseline_clients", "/baseline/clients?limit=50"),
    _baseline("baseline_session_notes", "/baseline/session-notes?limit=50"),
    _baseline("baseline_surveys", "/baseline/surveys?limit=50"),
    Endpoint("auth_me", "GET /api/auth/me", _get(lambda u: "/api/auth/me")),
    Endpoint("dashboard", "GET /api/therapist/dashboard", _get(lambda u: "/api/therapist/dashboard")),
    _list(
        "therapist_clients",
        "GET /api/therapist/clients?limit=50",
        "/api/therapist/clients?limit=50",
        "baseline_clients",
    ),
    Endpoint(
        "client_profile",
        "GET /api/therapist/clients/{id} (5 years)",
        _get(lambda u: f"/api/therapist/clients/{u.long_client}"),
    ),
    _list("appointments_list", "GET /api/appointments?limit=50", "/api/appointments?limit=50", "baseline_appointments"),
    Endpoint("appointments_page", "GET /api/appointments (as the page asks)", _get(lambda u: "/api/appointments")),
    Endpoint(
        "appointments_week",
        "GET /api/appointments?startDate&endDate (calendar week)",
        lambda ctx: _each_user("GET", _week_path(ctx), ctx),
        explain=True,
    ),
    Endpoint(
        "appointments_today",
        "GET /api/appointments?date=today",
        lambda ctx: _each_user("GET", lambda u: f"/api/appointments?date={ctx.today}", ctx),
    ),
    Endpoint(
        "appointment_detail", "GET /api/appointments/{id}", _get(lambda u: f"/api/appointments/{u.recurring_pool[0]}")
    ),
    Endpoint(
        "appointment_preparation",
        "PUT /api/appointments/{id}/preparation",
        _put(lambda u: f"/api/appointments/{u.recurring_pool[1]}/preparation", PREPARATION),
    ),
    _list("sessions_list", "GET /api/sessions?limit=50", "/api/sessions?limit=50", "baseline_sessions", explain=True),
    _list(
        "therapist_sessions",
        "GET /api/therapist/sessions?limit=50",
        "/api/therapist/sessions?limit=50",
        "baseline_sessions",
    ),
    _list(
        "session_notes",
        "GET /api/therapist/session-notes?limit=50",
        "/api/therapist/session-notes?limit=50",
        "baseline_session_notes",
        explain=True,
    ),
    _list("surveys", "GET /api/surveys?limit=50", "/api/surveys?limit=50", "baseline_surveys"),
    Endpoint(
        "session_stats",
        "GET /api/therapists/{id}/session-stats (5 years)",
        lambda ctx: _each_user("GET", _stats_path(ctx), ctx),
        targets=(Target("p50_ratio", 1, "<=", 6), TAIL),
        explain=True,
    ),
    Endpoint(
        "session_summary",
        "GET /api/clients/{id}/session-summary (5 years)",
        _get(lambda u: f"/api/clients/{u.long_client}/session-summary"),
        targets=(Target("p50_ratio", 1, "<=", 6), TAIL),
        explain=True,
        constant_queries=_summary_pair,
    ),
    Endpoint(
        "medical_history",
        "GET /api/clients/{id}/medical-history",
        _get(lambda u: f"/api/clients/{u.long_client}/medical-history"),
    ),
    Endpoint(
        "medical_history_put",
        "PUT /api/clients/{id}/medical-history",
        _put(lambda u: f"/api/clients/{u.long_client}/medical-history", MEDICAL_HISTORY),
    ),
    Endpoint(
        "therapy_goals",
        "GET /api/clients/{id}/therapy-goals",
        _get(lambda u: f"/api/clients/{u.long_client}/therapy-goals"),
    ),
    Endpoint(
        "emergency_contact",
        "GET /api/clients/{id}/emergency-contact",
        _get(lambda u: f"/api/clients/{u.long_client}/emergency-contact"),
    ),
    Endpoint(
        "session_templates",
        "GET /api/therapists/{id}/session-templates",
        _get(lambda u: f"/api/therapists/{u.id}/session-templates"),
    ),
    Endpoint("notifications", "GET /api/notifications", _get(lambda u: "/api/notifications")),
    Endpoint(
        "notification_counts",
        "GET /api/therapist/notifications/counts",
        _get(lambda u: "/api/therapist/notifications/counts"),
    ),
    Endpoint("session_progress", "PUT /api/sessions/{id}/progress", _progress_requests),
    Endpoint("appointment_recurring", "POST /api/appointments/{id}/recurring", _recurring_requests),
]
