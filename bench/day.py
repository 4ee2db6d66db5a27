"""A therapist's whole day as the frontend makes it: every call of the pages a therapist
goes through, in order, one after another on one keep-alive connection per therapist, as
a browser tab does. Each call's latency is compared with the minimal endpoint measured the
same way in the same run.

The writes need fresh objects each round (an appointment is started once, a session ends
once), so they are measured here rather than under wrk's repetition; the reads are also
measured under load in ``bench.endpoints``."""

import http.client
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from statistics import median

from .endpoints import EMERGENCY_CONTACT, MEDICAL_HISTORY, PREPARATION, BenchUser, Context

MINIMAL_SAMPLES_PER_ROUND = 20
#: Hours (local) of the appointments the day creates: off the seed's slot grid and pools.
DAY_HOUR = 21
SERIES_HOUR = 22


@dataclass
class Step:
    label: str
    status: int
    ms: float
    error: str = ""


@dataclass
class Tab:
    """One therapist's browser tab: a keep-alive connection, the access token and the
    httpOnly refresh cookie."""

    host: str
    port: int
    user: BenchUser
    token: str = ""
    cookie: str = ""
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, label: str, method: str, path: str, body: dict | None = None, expect: tuple = (200, 201)):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookie:
            headers["Cookie"] = self.cookie
        started = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie(header)
            for name, morsel in jar.items():
                self.cookie = f"{name}={morsel.value}" if morsel.value else ""
        payload = json.loads(raw) if raw else {}
        ok = response.status in expect
        self.steps.append(Step(label, response.status, ms, "" if ok else raw[:300].decode(errors="replace")))
        return payload.get("data", payload) if ok else None


def _note_body(client_id: str, session_id: str, day: date) -> dict:
    return {
        "client_id": client_id,
        "session_id": session_id,
        "appointment_id": "",
        "session_date": day.isoformat(),
        "session_type": "CBT Session",
        "duration": 50,
        "mood_before": 2,
        "mood_after": 4,
        "key_points": ["Sleep improved", "Worry at work"],
        "interventions": ["Thought record"],
        "homework": ["Sleep diary"],
        "progress_notes": "Engaged and open.",
        "private_notes": "Check in about the move.",
        "tags": ["sleep"],
        "is_important": False,
    }


def sign_in(tab: Tab, password: str) -> None:
    """The login page, then the two-factor page: the password, then the code."""
    import pyotp

    user = tab.user
    first = tab.call(
        "POST /api/auth/login (password)", "POST", "/api/auth/login", {"email": user.email, "password": password}
    )
    if not first or not first.get("requiresTwoFactor"):
        raise RuntimeError(f"the login of {user.email} did not ask for the second factor: {first}")
    body = {"email": user.email, "password": password, "twoFactorCode": pyotp.TOTP(user.totp_secret).now()}
    data = tab.call("POST /api/auth/login (2FA code)", "POST", "/api/auth/login", body)
    if not data or not data.get("accessToken"):
        raise RuntimeError(f"the two-factor login of {user.email} failed: {tab.steps[-1]}")
    tab.token = data["accessToken"]


def one_round(tab: Tab, ctx: Context, round_index: int) -> None:
    user = tab.user
    client = user.long_client
    monday, sunday = ctx.week
    start, end = ctx.stats_window
    day = ctx.today + timedelta(days=120 + round_index)

    refreshed = tab.call("POST /api/auth/refresh-token", "POST", "/api/auth/refresh-token", {})
    if refreshed and refreshed.get("accessToken"):
        tab.token = refreshed["accessToken"]
    tab.call("GET /api/auth/me", "GET", "/api/auth/me")
    tab.call("GET /api/therapist/dashboard", "GET", "/api/therapist/dashboard")
    tab.call("GET /api/therapist/notifications/counts", "GET", "/api/therapist/notifications/counts")
    tab.call("GET /api/therapist/clients", "GET", "/api/therapist/clients")
    tab.call("GET /api/therapist/clients/{id}", "GET", f"/api/therapist/clients/{client}")
    tab.call("GET /api/appointments?date=today", "GET", f"/api/appointments?date={ctx.today}")
    tab.call("GET /api/appointments (calendar week)", "GET", f"/api/appointments?startDate={monday}&endDate={sunday}")
    tab.call("GET /api/appointments", "GET", "/api/appointments")

    create = {
        "clientId": client,
        "appointmentDate": day.isoformat(),
        "startTime": f"{DAY_HOUR}:00",
        "endTime": f"{DAY_HOUR}:50",
        "therapyType": "individual",
        "location": "office",
        "notes": "Booked from the calendar.",
    }
    appointment = tab.call("POST /api/therapist/appointments", "POST", "/api/therapist/appointments", create)
    if appointment:
        aid = appointment["id"]
        tab.call(
            "PUT /api/appointments/{id} (confirm)",
            "PUT",
            f"/api/appointments/{aid}",
            {"status": "confirmed", "notes": ""},
        )
        tab.call("GET /api/appointments/{id}", "GET", f"/api/appointments/{aid}")
        tab.call("PUT /api/appointments/{id}/preparation", "PUT", f"/api/appointments/{aid}/preparation", PREPARATION)
        start_body = {
            "appointmentId": aid,
            "clientPresent": True,
            "location": "office",
            "initialNotes": "Arrived on time.",
            "moodStart": 5,
            "sessionGoals": "Review the sleep diary\nPlan the week",
            "concerns": "Work stress",
        }
        session = tab.call("POST /api/sessions/start", "POST", "/api/sessions/start", start_body)
        if session:
            sid = session["id"]
            progress = {"clientMoodCurrent": 6, "progressNotes": "Discussed the diary."}
            tab.call("PUT /api/sessions/{id}/progress", "PUT", f"/api/sessions/{sid}/progress", progress)
            end_body = {
                "clientMoodEnd": 7,
                "homework": "Keep the sleep diary.",
                "summary": "Sleep is improving.",
                "nextSessionGoals": "Work boundaries",
            }
            tab.call("POST /api/sessions/{id}/end", "POST", f"/api/sessions/{sid}/end", end_body)
            note = tab.call(
                "POST /api/therapist/session-notes",
                "POST",
                "/api/therapist/session-notes",
                _note_body(client, sid, day),
            )
            if note:
                nid = note["id"]
                edit = {"progress_notes": "Engaged and open; sleep better."}
                tab.call("PUT /api/therapist/session-notes/{id}", "PUT", f"/api/therapist/session-notes/{nid}", edit)
                tab.call("GET /api/therapist/session-notes/{id}", "GET", f"/api/therapist/session-notes/{nid}")
            tab.call("POST /api/sessions/{id}/generate-invoice", "POST", f"/api/sessions/{sid}/generate-invoice", {})
    tab.call("GET /api/therapist/session-notes", "GET", "/api/therapist/session-notes")
    tab.call("GET /api/therapist/sessions", "GET", "/api/therapist/sessions")
    stats = f"/api/therapists/{user.id}/session-stats?startDate={start}&endDate={end}"
    tab.call("GET /api/therapists/{id}/session-stats (5 years)", "GET", stats)
    tab.call("GET /api/clients/{id}/session-summary", "GET", f"/api/clients/{client}/session-summary")
    tab.call("GET /api/clients/{id}/medical-history", "GET", f"/api/clients/{client}/medical-history")
    tab.call("PUT /api/clients/{id}/medical-history", "PUT", f"/api/clients/{client}/medical-history", MEDICAL_HISTORY)
    tab.call("GET /api/clients/{id}/therapy-goals", "GET", f"/api/clients/{client}/therapy-goals")
    goal = {"goal": f"Sleep seven hours ({round_index + 1})", "targetDate": (day + timedelta(days=60)).isoformat()}
    tab.call("POST /api/clients/{id}/therapy-goals", "POST", f"/api/clients/{client}/therapy-goals", goal)
    tab.call("GET /api/clients/{id}/emergency-contact", "GET", f"/api/clients/{client}/emergency-contact")
    tab.call(
        "PUT /api/clients/{id}/emergency-contact", "PUT", f"/api/clients/{client}/emergency-contact", EMERGENCY_CONTACT
    )
    tab.call("GET /api/therapists/{id}/session-templates", "GET", f"/api/therapists/{user.id}/session-templates")

    series_day = ctx.today + timedelta(days=300 + 35 * round_index)
    series = tab.call(
        "POST /api/therapist/appointments (series start)",
        "POST",
        "/api/therapist/appointments",
        {
            **create,
            "appointmentDate": series_day.isoformat(),
            "startTime": f"{SERIES_HOUR}:00",
            "endTime": f"{SERIES_HOUR}:50",
        },
    )
    if series:
        body = {"pattern": "weekly", "endDate": (series_day + timedelta(weeks=4)).isoformat()}
        tab.call("POST /api/appointments/{id}/recurring", "POST", f"/api/appointments/{series['id']}/recurring", body)
    if round_index < len(user.no_show_pool):
        missed = user.no_show_pool[round_index]
        body = {"status": "no_show", "notes": "Did not come, did not call."}
        tab.call("PUT /api/appointments/{id} (no-show)", "PUT", f"/api/appointments/{missed}", body)
    surveys = tab.call("GET /api/surveys", "GET", "/api/surveys") or {}
    items = surveys.get("surveys", []) if isinstance(surveys, dict) else surveys
    if items:
        tab.call("GET /api/surveys/{id}", "GET", f"/api/surveys/{items[0]['id']}")
    tab.call("GET /api/notifications", "GET", "/api/notifications")


def _minimal(tab: Tab, samples: list[float]) -> None:
    for _ in range(MINIMAL_SAMPLES_PER_ROUND):
        started = time.perf_counter()
        tab.conn.request("GET", "/api/health", headers={"Accept": "application/json"})
        tab.conn.getresponse().read()
        samples.append((time.perf_counter() - started) * 1000)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def walk_the_day(base_port: int, ctx: Context, password: str, rounds: int) -> dict:
    """Every user through ``rounds`` rounds of the day (signing in once, signing out at
    the end); the latency of each call, against the minimal endpoint's."""
    tabs = [Tab("127.0.0.1", base_port, user) for user in ctx.users]
    minimal: list[float] = []
    for tab in tabs:
        sign_in(tab, password)
    for round_index in range(rounds):
        for tab in tabs:
            _minimal(tab, minimal)
            one_round(tab, ctx, round_index)
    for tab in tabs:
        tab.call("DELETE /api/auth/logout", "DELETE", "/api/auth/logout")
    by_label: dict[str, list[Step]] = defaultdict(list)
    order: list[str] = []
    for tab in tabs:
        for step in tab.steps:
            if step.label not in by_label:
                order.append(step.label)
            by_label[step.label].append(step)
    minimal_p50 = median(minimal)
    rows = {}
    for label in order:
        steps = by_label[label]
        times = [s.ms for s in steps]
        failures = [s for s in steps if s.error]
        p50 = median(times)
        rows[label] = {
            "calls": len(steps),
            "p50_ms": round(p50, 2),
            "p99_ms": round(_percentile(times, 0.99), 2),
            "p50_ratio": round(p50 / minimal_p50, 2),
            "failures": len(failures),
            "first_failure": f"{failures[0].status} {failures[0].error}" if failures else "",
        }
    return {"minimal_p50_ms": round(minimal_p50, 3), "minimal_samples": len(minimal), "rounds": rounds, "steps": rows}
