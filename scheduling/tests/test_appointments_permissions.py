"""Who may do what with one therapist's appointment: every route x every role.

Not visible is a 404, exactly as if it did not exist; a denied request changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import authenticated_client
from practice.models import AuditEvent
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

ROLES = ["owner", "colleague", "staff", "other_practice", "anonymous"]

# (method, path, body, expected status per role in ROLES order)
ROUTES = [
    ("get", "/api/appointments/{id}", None, [200, 404, 200, 404, 401]),
    ("patch", "/api/appointments/{id}", {"notes": "Bring the forms"}, [200, 404, 200, 404, 401]),
    (
        "put",
        "/api/appointments/{id}",
        {"startsAt": "{start}", "endsAt": "{end}", "appointmentType": "individual", "mode": "video"},
        [200, 404, 200, 404, 401],
    ),
    ("post", "/api/appointments/{id}/cancel", {"reason": "Client is ill"}, [200, 404, 200, 404, 401]),
    ("put", "/api/appointments/{id}/preparation", {"preparationNotes": "Ask about sleep"}, [200, 404, 404, 404, 401]),
]


@pytest.fixture
def callers(therapist, other_therapist, staff, other_practice_therapist, anon_api):
    return {
        "owner": authenticated_client(therapist),
        "colleague": authenticated_client(other_therapist),
        "staff": authenticated_client(staff),
        "other_practice": authenticated_client(other_practice_therapist),
        "anonymous": anon_api,
    }


def _fill(value, appointment: Appointment):
    if isinstance(value, dict):
        return {key: _fill(item, appointment) for key, item in value.items()}
    if isinstance(value, str):
        start = appointment.starts_at + timedelta(hours=2)
        return value.format(id=appointment.pk, start=start.isoformat(), end=(start + timedelta(minutes=50)).isoformat())
    return value


@pytest.mark.parametrize(("method", "path", "body", "expected"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_route_by_role(callers, therapist, client_record, method, path, body, expected, role):
    appointment = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=timezone.now().replace(microsecond=0) + timedelta(days=2)
    )
    before = Appointment.objects.values().get(pk=appointment.pk)
    response = getattr(callers[role], method)(_fill(path, appointment), _fill(body, appointment), format="json")
    status = expected[ROLES.index(role)]
    assert response.status_code == status, response.json()
    assert response.json()["success"] is (status < 400)
    if status >= 400:
        assert Appointment.objects.values().get(pk=appointment.pk) == before
        assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_list_by_role(callers, therapist, other_therapist, practice, other_practice_therapist, client_record, role):
    from practice.tests.factories import ClientFactory

    AppointmentFactory(therapist=therapist, client=client_record)
    AppointmentFactory(therapist=other_therapist, client=ClientFactory(practice=practice))
    AppointmentFactory(therapist=other_practice_therapist)
    response = callers[role].get("/api/appointments")
    expected_total = {"owner": 1, "colleague": 1, "staff": 2, "other_practice": 1, "anonymous": None}[role]
    if expected_total is None:
        assert response.status_code == 401
    else:
        assert response.json()["pagination"]["total"] == expected_total
