"""The session page's own bodies for POST /api/sessions/start and /end (camelCase, its
names beside the seed's): everything it sends is stored."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from clinical.models import Session
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def appointment(therapist, client_record):
    return AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=NOW, ends_at=NOW + timedelta(minutes=50), mode="in_person"
    )


def _start(api, appointment, **changes):
    body = {
        "appointmentId": str(appointment.pk),
        "clientPresent": True,
        "location": "office",
        "initialNotes": "Session started",
        "moodStart": 4,
        "sessionGoals": "Sleep better\nTalk about work",
        "concerns": "Work stress",
        **changes,
    }
    return api.post("/api/sessions/start", body, format="json")


def test_start_stores_what_the_page_sends(api, appointment):
    response = _start(api, appointment)
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert (data["mood_start"], data["client_present"], data["location"], data["initial_notes"]) == (
        4,
        True,
        "office",
        "Session started",
    )
    assert data["session_goals"] == ["Sleep better", "Talk about work"]
    assert data["client_concerns"] == ["Work stress"]
    # In progress: the planned length of the appointment until it ends.
    assert (data["duration"], data["duration_minutes"]) == (50, None)


def test_the_appointments_own_location_is_understood(api, appointment):
    # The page pre-fills the location from the appointment (`in-person`, `video`).
    assert _start(api, appointment, location="in-person").json()["data"]["location"] == "office"


def test_the_seeds_names_still_work(api, appointment):
    body = {"appointmentId": str(appointment.pk), "initialMood": 6, "sessionGoals": ["A"], "clientConcerns": ["B"]}
    data = api.post("/api/sessions/start", body, format="json").json()["data"]
    assert (data["mood_start"], data["session_goals"], data["client_concerns"]) == (6, ["A"], ["B"])


def test_end_stores_what_the_page_sends(api, appointment):
    session_id = _start(api, appointment).json()["data"]["id"]
    body = {
        "summary": "Opened up about work",
        "homework": "Sleep diary",
        "nextSessionGoals": "Continue current treatment plan",
        "clientMoodEnd": 7,
        "techniquesUsed": ["CBT", "Breathing"],
        "progressNotes": "Calmer by the end",
        "goalsDiscussed": "Sleep",
    }
    response = api.post(f"/api/sessions/{session_id}/end", body, format="json")
    assert response.status_code == 200, response.json()
    session = Session.objects.get(pk=session_id)
    assert (session.summary, session.homework_assigned, session.next_session_goals, session.mood_end) == (
        "Opened up about work",
        "Sleep diary",
        "Continue current treatment plan",
        7,
    )
    assert (session.techniques_used, session.progress_notes, session.goals_discussed) == (
        ["CBT", "Breathing"],
        "Calmer by the end",
        "Sleep",
    )
    assert session.status == "completed"
    listed = api.get("/api/therapist/sessions?limit=20").json()["data"][0]
    assert (listed["summary"], listed["homework"], listed["mood_end"]) == ("Opened up about work", "Sleep diary", 7)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"moodStart": 11}, "moodStart"),
        ({"clientPresent": "yes"}, "clientPresent"),
        ({"location": "moon"}, "location"),
        ({"sessionGoals": "x" * 201}, "sessionGoals.0"),
        ({"concerns": 3}, "concerns"),
    ],
)
def test_bad_start_bodies_are_400_and_start_nothing(api, appointment, changes, field):
    response = _start(api, appointment, **changes)
    assert response.status_code == 400, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Session.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [({"clientMoodEnd": 0}, "clientMoodEnd"), ({"summary": 5}, "summary")])
def test_bad_end_bodies_are_400_and_end_nothing(api, appointment, changes, field):
    session_id = _start(api, appointment).json()["data"]["id"]
    response = api.post(f"/api/sessions/{session_id}/end", changes, format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Session.objects.get(pk=session_id).status == "in_progress"
