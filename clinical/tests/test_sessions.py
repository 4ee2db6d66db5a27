import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.models import MoodReading, Session
from clinical.tests.factories import MoodReadingFactory, SessionFactory, SessionTemplateFactory
from conftest import authenticated_client
from practice.models import AuditEvent
from practice.services.audit import audit_seal
from practice.tests.factories import ClientFactory
from practice.tests.queries import data_statements, join_free_total
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    # Before any API client is made: its token is issued at the frozen time.
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def appointment(therapist, client_record):
    return AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=NOW, ends_at=NOW + timedelta(minutes=50)
    )


@pytest.fixture
def live_session(therapist, client_record, appointment):
    appointment.status = Appointment.Status.IN_PROGRESS
    appointment.save()
    return SessionFactory(
        appointment=appointment,
        status=Session.Status.IN_PROGRESS,
        started_at=NOW,
        ended_at=None,
        mood_start=4,
        mood_current=4,
        mood_end=None,
        homework_assigned="",
    )


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _audit() -> list[tuple[str, str, str]]:
    """The audit trail in chain order (sealed first, as the sealer would within a minute)."""
    audit_seal()
    return [(e.action, e.record_type, e.record_id) for e in AuditEvent.objects.order_by("sequence")]


# --- The frontend flow, end to end ------------------------------------------------------------


def test_day_flow_prepare_start_from_template_progress_three_times_end_and_list(
    therapist, practice, client_record, appointment, frozen
):
    # Access tokens live 15 minutes: sign in again whenever the clock moves, as the app does.
    frozen.move_to(NOW - timedelta(hours=2))
    api = authenticated_client(therapist)
    today = api.get("/api/appointments?startDate=2026-03-10&endDate=2026-03-10").json()["data"]
    assert [a["id"] for a in today] == [str(appointment.pk)]
    assert today[0]["client"]["email"] == client_record.email
    prepared = api.put(
        f"/api/appointments/{appointment.pk}/preparation",
        {"preparationNotes": "Check sleep diary", "reviewPreviousSession": True, "focusAreas": ["sleep"]},
        format="json",
    )
    assert prepared.status_code == 200

    frozen.move_to(NOW)
    api = authenticated_client(therapist)
    template = SessionTemplateFactory(
        practice=practice, default_goals=["Reduce anxiety"], common_techniques=["CBT", "Breathing"]
    )
    started = api.post(
        "/api/sessions/start",
        {
            "appointmentId": str(appointment.pk),
            "initialMood": 3,
            "sessionGoals": ["Sleep better", "reduce ANXIETY"],
            "clientConcerns": ["Work stress"],
            "templateId": str(template.pk),
        },
        format="json",
    )
    assert started.status_code == 201, started.json()
    session = started.json()["data"]
    assert session["status"] == "in_progress"
    assert session["session_goals"] == ["Reduce anxiety", "Sleep better"]
    assert session["techniques_used"] == ["CBT", "Breathing"]
    assert session["template_id"] == str(template.pk)
    assert session["mood_start"] == 3
    assert session["mood_readings"] == []
    appointment.refresh_from_db()
    assert appointment.status == "in_progress"
    calendar_entry = api.get(f"/api/appointments/{appointment.pk}").json()["data"]
    assert (calendar_entry["status"], calendar_entry["session_id"]) == ("in_progress", session["id"])

    for minutes, mood in ((10, 4), (20, 5), (30, 6)):
        frozen.move_to(NOW + timedelta(minutes=minutes))
        api = authenticated_client(therapist)
        response = api.put(
            f"/api/sessions/{session['id']}/progress",
            {
                "progressNotes": f"Notes at {minutes}",
                "goalsDiscussed": "Sleep hygiene",
                "clientMoodCurrent": mood,
                "techniquesUsed": ["CBT", "Breathing", "Grounding"],
                "interventionsApplied": ["Psychoeducation"],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
    assert response.json()["data"]["mood_current"] == 6
    assert response.json()["data"]["mood_readings"] == [
        {"mood": 4, "recorded_at": "2026-03-10T09:10:00Z"},
        {"mood": 5, "recorded_at": "2026-03-10T09:20:00Z"},
        {"mood": 6, "recorded_at": "2026-03-10T09:30:00Z"},
    ]

    frozen.move_to(NOW + timedelta(minutes=48))
    api = authenticated_client(therapist)
    ended = api.post(
        f"/api/sessions/{session['id']}/end",
        {"moodEnd": 7, "homeworkAssigned": "Breathing twice a day"},
        format="json",
    )
    assert ended.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == "completed"

    listed = api.get("/api/sessions").json()
    assert listed["pagination"]["total"] == 1
    item = listed["data"][0]
    assert item == {
        "id": session["id"],
        "appointment_id": str(appointment.pk),
        "therapist_id": str(therapist.pk),
        "client_id": str(client_record.pk),
        "client": {
            "id": str(client_record.pk),
            "first_name": client_record.first_name,
            "last_name": client_record.last_name,
            "full_name": client_record.full_name,
        },
        "client_name": client_record.full_name,
        "template_id": str(template.pk),
        "status": "completed",
        "session_date": "2026-03-10",
        "date": "2026-03-10",
        "start_time": "10:00:00",
        "end_time": "10:48:00",
        "started_at": "2026-03-10T09:00:00Z",
        "ended_at": "2026-03-10T09:48:00Z",
        "duration": 48,
        "duration_minutes": 48,
        "mood_start": 3,
        "mood_current": 6,
        "mood_end": 7,
        "mood_readings": response.json()["data"]["mood_readings"],
        "session_goals": ["Reduce anxiety", "Sleep better"],
        "client_concerns": ["Work stress"],
        "progress_notes": "Notes at 30",
        "goals_discussed": "Sleep hygiene",
        "techniques_used": ["CBT", "Breathing", "Grounding"],
        "interventions_applied": ["Psychoeducation"],
        "homework_assigned": "Breathing twice a day",
        "homework": "Breathing twice a day",
        "client_present": None,
        "location": "",
        "initial_notes": "",
        "summary": "",
        "next_session_goals": "",
        "created_at": "2026-03-10T09:00:00Z",
        "updated_at": "2026-03-10T09:48:00Z",
    }
    assert _audit() == [
        ("update", "appointment_preparation", str(appointment.pk)),
        ("create", "session", session["id"]),
        ("update", "session", session["id"]),
        ("update", "session", session["id"]),
        ("update", "session", session["id"]),
        ("update", "session", session["id"]),
        ("view", "session", session["id"]),
    ]
    entry = AuditEvent.objects.order_by("sequence").last()
    assert (entry.actor, entry.client_id, entry.ip_address) == (therapist, client_record.pk, "127.0.0.1")


# --- Start ---------------------------------------------------------------------------------


def test_start_without_options(api, appointment):
    response = api.post("/api/sessions/start", {"appointmentId": str(appointment.pk)}, format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["mood_start"], data["session_goals"], data["techniques_used"], data["template_id"]) == (
        None,
        [],
        [],
        None,
    )
    assert data["duration_minutes"] is None


def test_double_start_is_409_and_keeps_the_first(api, appointment):
    first = api.post("/api/sessions/start", {"appointmentId": str(appointment.pk), "initialMood": 5}, format="json")
    again = api.post("/api/sessions/start", {"appointmentId": str(appointment.pk), "initialMood": 2}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "session_already_started"
    assert again.json()["data"]["sessionId"] == first.json()["data"]["id"]
    assert Session.objects.get().mood_start == 5
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("status", ["cancelled", "no_show", "completed"])
def test_closed_appointments_cannot_start(api, therapist, client_record, status):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, status=status)
    response = api.post("/api/sessions/start", {"appointmentId": str(appointment.pk)}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status_transition"
    assert not Session.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == status
    assert not AuditEvent.objects.exists()


def test_confirmed_appointment_starts(api, therapist, client_record):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, status="confirmed")
    assert api.post("/api/sessions/start", {"appointmentId": str(appointment.pk)}, format="json").status_code == 201


def test_start_someone_elses_appointment_is_404(other_therapist_api, staff_api, other_practice_api, appointment):
    for caller in (other_therapist_api, staff_api, other_practice_api):
        response = caller.post("/api/sessions/start", {"appointmentId": str(appointment.pk)}, format="json")
        assert response.status_code == 404
    assert not Session.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


def test_start_for_a_client_no_longer_assigned_is_403(api, therapist, client_record, appointment):
    client_record.therapists.remove(therapist)
    response = api.post("/api/sessions/start", {"appointmentId": str(appointment.pk)}, format="json")
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_template_of_another_practice_or_therapist_is_400(api, appointment, other_practice, practice, other_therapist):
    for template in (
        SessionTemplateFactory(practice=other_practice),
        SessionTemplateFactory(practice=practice, therapist=other_therapist),
        SessionTemplateFactory(practice=practice, is_active=False),
    ):
        response = api.post(
            "/api/sessions/start",
            {"appointmentId": str(appointment.pk), "templateId": str(template.pk)},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "templateId"
    assert not Session.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


def test_own_template_is_usable(api, appointment, practice, therapist):
    template = SessionTemplateFactory(practice=practice, therapist=therapist, common_techniques=["EMDR"])
    response = api.post(
        "/api/sessions/start", {"appointmentId": str(appointment.pk), "templateId": str(template.pk)}, format="json"
    )
    assert response.json()["data"]["techniques_used"] == ["EMDR"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"initialMood": 0}, "initialMood"),
        ({"initialMood": 11}, "initialMood"),
        ({"initialMood": "happy"}, "initialMood"),
        ({"sessionGoals": 5}, "sessionGoals"),
        ({"sessionGoals": {"a": 1}}, "sessionGoals"),
        ({"sessionGoals": ["x" * 201]}, "sessionGoals.0"),
        ({"clientConcerns": ["x"] * 51}, "clientConcerns"),
        ({"templateId": "nope"}, "templateId"),
        ({"appointmentId": None}, "appointmentId"),
    ],
)
def test_bad_start_is_400(api, appointment, change, field):
    response = api.post("/api/sessions/start", {"appointmentId": str(appointment.pk), **change}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Session.objects.exists()


# --- Progress -------------------------------------------------------------------------------


def test_progress_changes_only_what_is_sent(api, live_session):
    response = api.put(f"/api/sessions/{live_session.pk}/progress", {"progressNotes": "Opened up"}, format="json")
    assert response.status_code == 200
    live_session.refresh_from_db()
    assert live_session.progress_notes == "Opened up"
    assert live_session.techniques_used == ["CBT"]
    assert live_session.mood_current == 4
    assert not MoodReading.objects.exists()
    assert AuditEvent.objects.get().changed_fields == ["progress_notes"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"clientMoodCurrent": 0}, "clientMoodCurrent"),
        ({"clientMoodCurrent": 11}, "clientMoodCurrent"),
        ({"clientMoodCurrent": None}, "clientMoodCurrent"),
        ({"techniquesUsed": "CBT"}, "techniquesUsed"),
        ({"progressNotes": "x" * 20_001}, "progressNotes"),
        ({"goalsDiscussed": ["a"]}, "goalsDiscussed"),
        ({}, None),
    ],
)
def test_bad_progress_is_400_and_changes_nothing(api, live_session, body, field):
    response = api.put(f"/api/sessions/{live_session.pk}/progress", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    live_session.refresh_from_db()
    assert live_session.mood_current == 4
    assert not MoodReading.objects.exists()
    assert not AuditEvent.objects.exists()


def test_progress_on_a_completed_session_is_409(api, therapist, client_record):
    session = SessionFactory(appointment__therapist=therapist, appointment__client=client_record)
    response = api.put(
        f"/api/sessions/{session.pk}/progress", {"progressNotes": "late", "clientMoodCurrent": 5}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "session_not_in_progress"
    session.refresh_from_db()
    assert session.progress_notes == ""
    assert not MoodReading.objects.exists()
    assert not AuditEvent.objects.exists()


def test_other_people_cannot_touch_a_session(other_therapist_api, staff_api, other_practice_api, live_session):
    for caller in (other_therapist_api, staff_api, other_practice_api):
        assert caller.get(f"/api/sessions/{live_session.pk}").status_code == 404
        assert caller.get("/api/sessions").json()["pagination"]["total"] == 0
        assert caller.get("/api/sessions/active").json()["pagination"]["total"] == 0
        progress = caller.put(f"/api/sessions/{live_session.pk}/progress", {"clientMoodCurrent": 9}, format="json")
        assert progress.status_code == 404
        assert caller.post(f"/api/sessions/{live_session.pk}/end", {}, format="json").status_code == 404
    live_session.refresh_from_db()
    assert (live_session.status, live_session.mood_current) == ("in_progress", 4)
    assert not MoodReading.objects.exists()
    assert not AuditEvent.objects.exists()


# --- End ------------------------------------------------------------------------------------


def test_end_twice_is_409(api, live_session):
    assert api.post(f"/api/sessions/{live_session.pk}/end", {"moodEnd": 6}, format="json").status_code == 200
    again = api.post(f"/api/sessions/{live_session.pk}/end", {"moodEnd": 2}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "session_not_in_progress"
    live_session.refresh_from_db()
    assert live_session.mood_end == 6


@pytest.mark.parametrize("body", [{"moodEnd": 0}, {"moodEnd": 11}, {"moodEnd": 5.5}, {"homeworkAssigned": 3 * [1]}])
def test_bad_end_is_400_and_leaves_it_running(api, live_session, body):
    response = api.post(f"/api/sessions/{live_session.pk}/end", body, format="json")
    assert response.status_code == 400
    live_session.refresh_from_db()
    assert live_session.status == "in_progress"
    assert live_session.appointment.status == "in_progress"


# --- Reads ----------------------------------------------------------------------------------


def test_active_lists_only_in_progress_sessions(api, therapist, client_record, live_session):
    SessionFactory(appointment__therapist=therapist, appointment__client=client_record)
    body = api.get("/api/sessions/active").json()
    assert [s["id"] for s in body["data"]] == [str(live_session.pk)]
    assert _audit() == [("view", "session", str(live_session.pk))]


def test_detail_is_audited(api, live_session):
    MoodReadingFactory(session=live_session, mood=4, recorded_at=NOW + timedelta(minutes=5))
    response = api.get(f"/api/sessions/{live_session.pk}")
    assert response.status_code == 200
    assert response.json()["data"]["mood_readings"] == [{"mood": 4, "recorded_at": "2026-03-10T09:05:00Z"}]
    assert _audit() == [("view", "session", str(live_session.pk))]


def test_sessions_of_a_client_no_longer_assigned_are_hidden(api, therapist, client_record, live_session):
    client_record.therapists.remove(therapist)
    assert api.get(f"/api/sessions/{live_session.pk}").status_code == 404
    assert api.get("/api/sessions").json()["data"] == []


def test_list_filters(api, therapist, client_record, practice):
    other = ClientFactory(practice=practice, therapists=[therapist])
    # 23:30 UTC on 1 March is 2 March in Amsterdam.
    late = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
    )
    early = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=other,
        appointment__starts_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )

    def ids(query: str) -> list[str]:
        response = api.get(f"/api/sessions?{query}")
        assert response.status_code == 200
        return [s["id"] for s in response.json()["data"]]

    assert ids("startDate=2026-03-02") == [str(late.pk)]
    assert ids("endDate=2026-03-01") == [str(early.pk)]
    assert ids(f"clientId={other.pk}") == [str(early.pk)]
    assert ids("status=completed") == [str(late.pk), str(early.pk)]
    assert ids("status=in_progress") == []
    bad = api.get("/api/sessions?status=paused&startDate=2026-13-01")
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"status", "startDate"}
    # One entry per page that showed sessions, naming every session it showed.
    assert sorted(_shown()) == sorted([{str(late.pk)}, {str(early.pk)}, {str(early.pk)}, {str(late.pk), str(early.pk)}])


def _shown() -> list[set[str]]:
    """The sessions each view entry names (a list page's entry names all of its own)."""
    views = AuditEvent.objects.filter(action="view", record_type="session")
    return [set(e.record_ids) or {e.record_id} for e in views]


def _queries(captured: CaptureQueriesContext) -> tuple[int, int]:
    """(queries other than audit inserts, audit inserts)."""
    inserts = sum(q["sql"].startswith('INSERT INTO "practice_auditevent"') for q in captured.captured_queries)
    return len(captured) - inserts, inserts


def test_list_query_count_is_constant_and_audits_every_session_shown(api, therapist, client_record):
    slots = itertools.count(1)

    def make(count: int) -> None:
        for _ in range(count):
            session = SessionFactory(
                appointment__therapist=therapist,
                appointment__client=client_record,
                appointment__starts_at=NOW - timedelta(hours=next(slots)),
            )
            MoodReadingFactory.create_batch(2, session=session)

    make(5)
    with CaptureQueriesContext(connection) as small:
        assert len(api.get("/api/sessions?limit=5").json()["data"]) == 5
    make(95)
    with CaptureQueriesContext(connection) as large:
        assert len(api.get("/api/sessions?limit=100").json()["data"]) == 100
    assert _queries(small)[0] == _queries(large)[0]
    # One insert for the page, whatever its size, on every database.
    assert _queries(small)[1] == _queries(large)[1] == 1
    # One entry per page, naming every session shown and their one client.
    small_page, page = sorted(AuditEvent.objects.filter(action="view"), key=lambda e: len(e.record_ids))
    assert len(small_page.record_ids) == 5
    assert set(page.record_ids) == set(map(str, Session.objects.values_list("pk", flat=True)))
    assert (page.client_id, page.client_ids) == (client_record.pk, [])
    with CaptureQueriesContext(connection) as again:
        api.get("/api/sessions?limit=100")
    assert _statements(again) <= 11


def test_pages_count_the_sessions_the_filters_leave(api, practice, therapist, client_record):
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    no_longer_assigned = ClientFactory(practice=practice, therapists=[therapist])
    for hours, client in enumerate([client_record] * 5 + [other_client] * 2 + [no_longer_assigned] * 3, start=1):
        SessionFactory(
            appointment__therapist=therapist,
            appointment__client=client,
            appointment__starts_at=NOW - timedelta(hours=hours),
        )
    no_longer_assigned.therapists.remove(therapist)
    with CaptureQueriesContext(connection) as captured:
        first = api.get("/api/sessions?limit=3").json()
    assert first["pagination"] == {
        "page": 1,
        "limit": 3,
        "total": 7,
        "totalPages": 3,
        "hasNext": True,
        "hasPrev": False,
    }
    # Without a status or a date the total is the tally's, summed over the assigned
    # clients: no count of the sessions.
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in statements if "COUNT(" in sql]
    assert [sql for sql in statements if "clinical_sessiontally" in sql]
    last = api.get("/api/sessions?limit=3&page=3").json()
    assert [item["client_id"] for item in last["data"]] == [str(other_client.pk)]
    assert last["pagination"]["total"] == 7 and last["pagination"]["hasNext"] is False
    mine = api.get(f"/api/sessions?limit=1&clientId={other_client.pk}").json()
    assert mine["pagination"]["total"] == 2 and len(mine["data"]) == 1
    theirs = api.get(f"/api/sessions?limit=1&clientId={no_longer_assigned.pk}").json()
    assert theirs["pagination"]["total"] == 0 and theirs["data"] == []
    assert api.get("/api/therapist/sessions?limit=4&page=2").json()["pagination"]["total"] == 7


def test_filtered_pages_count_the_sessions_the_filters_leave(api, practice, therapist, client_record):
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    for days, client in enumerate([client_record] * 4 + [other_client] * 3, start=1):
        SessionFactory(
            appointment__therapist=therapist,
            appointment__client=client,
            appointment__starts_at=NOW - timedelta(days=days),
        )
    SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=NOW - timedelta(hours=1),
        status=Session.Status.IN_PROGRESS,
        ended_at=None,
    )

    def total(query: str) -> int:
        # Counted on the sessions alone, not through the joins that fill the items.
        return join_free_total(api, f"/api/sessions?limit=1&{query}")

    assert total("status=completed") == 7
    assert total(f"status=completed&clientId={client_record.pk}") == 4
    assert total("startDate=2026-03-06&endDate=2026-03-10") == 5  # four completed days and today's
    assert total(f"startDate=2026-03-04&clientId={other_client.pk}") == 2


def _statements(captured: CaptureQueriesContext) -> int:
    return len(data_statements(captured))


def test_write_query_counts_are_bounded(api, practice, appointment):
    # Each bound includes the audit insert (one statement, no lock) and the read-back.
    template = SessionTemplateFactory(practice=practice)
    with CaptureQueriesContext(connection) as start:
        response = api.post(
            "/api/sessions/start",
            {"appointmentId": str(appointment.pk), "templateId": str(template.pk), "initialMood": 4},
            format="json",
        )
    session_id = response.json()["data"]["id"]
    with CaptureQueriesContext(connection) as progress:
        api.put(f"/api/sessions/{session_id}/progress", {"clientMoodCurrent": 5, "progressNotes": "x"}, format="json")
    with CaptureQueriesContext(connection) as end:
        assert api.post(f"/api/sessions/{session_id}/end", {"moodEnd": 6}, format="json").status_code == 200
    assert _statements(start) <= 12
    assert _statements(progress) <= 9
    assert _statements(end) <= 10


def test_session_reads_use_the_clinical_throttle(api, live_session, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "clinical": "2/minute"},
    }
    assert api.get("/api/sessions").status_code == 200
    assert api.get(f"/api/sessions/{live_session.pk}").status_code == 200
    throttled = api.get("/api/sessions/active")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    # Recording progress live is not a sensitive read: it keeps working.
    progress = api.put(f"/api/sessions/{live_session.pk}/progress", {"clientMoodCurrent": 5}, format="json")
    assert progress.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/sessions/start"), ("put", "/api/sessions/{id}/progress"), ("post", "/api/sessions/{id}/end")],
)
@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "{bad json", "null"])
def test_malformed_bodies_are_400_and_change_nothing(api, live_session, method, path, raw):
    before = list(Session.objects.values())
    response = getattr(api, method)(path.format(id=live_session.pk), raw, content_type="application/json")
    assert response.status_code == 400
    assert list(Session.objects.values()) == before
    assert not AuditEvent.objects.exists()
