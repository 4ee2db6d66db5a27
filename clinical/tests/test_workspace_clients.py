"""GET /api/therapist/clients and /api/therapist/clients/{id}: the client list and the
client profile of the therapist frontend."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.models import Survey
from clinical.selectors.workspace import (
    therapist_client_list,
    therapist_client_list_rows,
    therapist_client_rows_add_figures,
    therapist_clients_add_figures,
)
from clinical.serializers.workspace import TherapistClientSerializer, therapist_client_list_item
from clinical.tests.factories import (
    MedicalHistoryFactory,
    SessionFactory,
    SurveyResponseFactory,
    TherapyGoalFactory,
    phq9_answers,
)
from practice.models import AuditEvent
from practice.tests.factories import ClientFactory, EmergencyContactFactory
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _completed_session(therapist, client, starts_at):
    return SessionFactory(
        appointment__therapist=therapist, appointment__client=client, appointment__starts_at=starts_at
    )


def test_list_shows_own_clients_with_own_session_figures(api, therapist, other_therapist, practice):
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist], last_name="Aalders")
    ClientFactory(practice=practice, therapists=[other_therapist])  # not assigned: not listed
    _completed_session(therapist, shared, datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # 3 March locally
    _completed_session(therapist, shared, datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    _completed_session(other_therapist, shared, datetime(2026, 3, 5, 9, 0, tzinfo=UTC))  # a colleague's
    upcoming = AppointmentFactory(therapist=therapist, client=shared, starts_at=NOW + timedelta(days=2))
    AppointmentFactory(therapist=therapist, client=shared, starts_at=NOW + timedelta(days=9))
    # Not the next one: cancelled, already past, or a colleague's.
    AppointmentFactory(
        therapist=therapist, client=shared, starts_at=NOW + timedelta(days=1), status=Appointment.Status.CANCELLED
    )
    AppointmentFactory(therapist=therapist, client=shared, starts_at=NOW - timedelta(hours=3))
    AppointmentFactory(therapist=other_therapist, client=shared, starts_at=NOW + timedelta(hours=5))

    response = api.get("/api/therapist/clients")
    assert response.status_code == 200
    body = response.json()
    assert body["pagination"]["total"] == 1
    item = body["data"][0]
    assert item["id"] == str(shared.pk)
    assert (item["total_sessions"], item["last_session"]) == (2, "2026-03-03")
    assert item["next_session"] == upcoming.starts_at.isoformat().replace("+00:00", "Z")
    assert item["assigned_therapist_id"] == item["therapist_id"] == str(therapist.pk)
    assert {"first_name", "last_name", "email", "status", "urgency_level", "hulpvragen", "user_id"} <= item.keys()


def test_list_items_equal_the_serializer_payload(therapist, other_therapist, practice, rf):
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist], help_requests=["Sleep"])
    ClientFactory(practice=practice, therapists=[therapist], phone="", date_of_birth=None, last_name="")
    _completed_session(therapist, shared, datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    AppointmentFactory(therapist=therapist, client=shared, starts_at=NOW + timedelta(days=2))
    request = rf.get("/api/therapist/clients")
    request.user = therapist
    listed = therapist_clients_add_figures(therapist=therapist, clients=list(therapist_client_list(actor=therapist)))
    clients = {client.pk: client for client in listed}
    rows = list(therapist_client_list_rows(therapist_client_list(actor=therapist)))
    rows = therapist_client_rows_add_figures(therapist=therapist, rows=rows)
    assert len(rows) == len(clients) == 2
    for row in rows:
        expected = TherapistClientSerializer(clients[row["id"]], context={"request": request}).data
        assert therapist_client_list_item(row, therapist_id=therapist.pk) == expected


def test_list_query_count_is_constant(api, therapist, practice):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/therapist/clients?limit=100").status_code == 200
        return len(ctx.captured_queries)

    ClientFactory(practice=practice, therapists=[therapist])
    few = count()
    for day in range(1, 9):
        client = ClientFactory(practice=practice, therapists=[therapist])
        _completed_session(therapist, client, NOW - timedelta(days=day))
    assert count() == few


def test_staff_are_refused(staff_api):
    response = staff_api.get("/api/therapist/clients")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_profile_carries_the_record_and_is_audited(api, therapist, client_record):
    client_record.help_requests = ["Sleep", "Work stress"]
    client_record.save()
    history = MedicalHistoryFactory(client=client_record, medical_conditions=["Asthma"])
    EmergencyContactFactory(client=client_record, name="Pat Doe", relationship="partner")
    TherapyGoalFactory(client=client_record, goal="Sleep 7 hours")
    TherapyGoalFactory(client=client_record, goal="Done already", status="completed", progress=100)
    AppointmentFactory(
        therapist=therapist,
        client=client_record,
        appointment_type=Appointment.Type.INTAKE,
        status=Appointment.Status.COMPLETED,
        starts_at=NOW - timedelta(days=30),
    )
    _completed_session(therapist, client_record, NOW - timedelta(days=7))

    response = api.get(f"/api/therapist/clients/{client_record.pk}")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == client_record.full_name
    assert (data["firstName"], data["lastName"]) == (client_record.first_name, client_record.last_name)
    assert data["therapyGoals"] == ["Sleep 7 hours"]
    assert data["hulpvragen"] == ["Sleep", "Work stress"]
    assert (data["medicalHistory"], data["medications"], data["previousTherapy"]) == (
        "Asthma",
        "Sertraline 50mg",
        True,
    )
    assert (data["emergencyContactName"], data["emergencyContactRelationship"]) == ("Pat Doe", "partner")
    assert (data["sessionCount"], data["lastSessionDate"], data["intakeCompleted"]) == (1, "2026-03-03", True)
    # One insert for the page: its entries share their time, so their order is not asserted.
    audit = sorted(AuditEvent.objects.values_list("action", "record_type", "record_id"))
    assert audit == [
        ("view", "medical_history", str(history.pk)),
        ("view", "therapy_goal_list", str(client_record.pk)),
    ]


def test_profile_shows_the_outcome_scores_and_audits_their_read(api, therapist, practice, client_record):
    phq9 = Survey.objects.get(practice=practice, instrument="phq9")
    response = SurveyResponseFactory(
        survey=phq9,
        client=client_record,
        entered_by=therapist,
        answers=phq9_answers(2, 2, 2, 2, 2, 2, 2, 2, 0),
        instrument="phq9",
        total_score=16,
        severity="moderately_severe",
    )
    data = api.get(f"/api/therapist/clients/{client_record.pk}").json()["data"]
    phq = next(i for i in data["outcomeScores"] if i["instrument"] == "phq9")
    assert [(s["totalScore"], s["severity"]) for s in phq["scores"]] == [(16, "moderately_severe")]
    assert AuditEvent.objects.filter(record_type="survey_response", record_id=str(response.pk)).count() == 1


def test_profile_of_a_client_without_records(api, client_record):
    data = api.get(f"/api/therapist/clients/{client_record.pk}").json()["data"]
    assert (data["medicalHistory"], data["therapyGoals"], data["emergencyContactName"]) == ("", [], "")
    assert (data["sessionCount"], data["lastSessionDate"], data["nextAppointmentDate"]) == (0, None, None)


@pytest.mark.parametrize("caller", ["other_therapist_api", "other_practice_api"])
def test_profile_of_someone_elses_client_is_a_404_and_not_audited(request, caller, client_record):
    response = request.getfixturevalue(caller).get(f"/api/therapist/clients/{client_record.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not AuditEvent.objects.exists()


def test_profile_query_count_does_not_grow_with_goals(api, client_record):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"/api/therapist/clients/{client_record.pk}").status_code == 200
        return len(ctx.captured_queries)

    TherapyGoalFactory(client=client_record)
    few = count()
    for _ in range(10):
        TherapyGoalFactory(client=client_record)
    assert count() == few


def test_session_history_is_the_callers_own(api, therapist, other_therapist, client_record, practice, staff_api):
    own = _completed_session(therapist, client_record, NOW - timedelta(days=1))
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    _completed_session(other_therapist, shared, NOW - timedelta(days=2))
    response = api.get("/api/therapist/sessions?limit=20")
    assert response.status_code == 200
    items = response.json()["data"]
    assert [s["id"] for s in items] == [str(own.pk)]
    assert {"client_name", "session_date", "start_time", "end_time", "duration", "mood_start", "mood_end"} <= (
        items[0].keys()
    )
    assert staff_api.get("/api/therapist/sessions").status_code == 403
