"""The calendar list builds its items directly from plain rows; they must stay identical
to the AppointmentSerializer payload that the detail endpoint and the schema use."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from clinical.tests.factories import SessionFactory
from conftest import authenticated_client
from practice.tests.factories import ClientFactory, EmergencyContactFactory
from scheduling.selectors.appointments import appointment_list, appointment_list_rows
from scheduling.serializers.appointments import AppointmentSerializer, appointment_list_item
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(practice, therapist, other_therapist):
    now = timezone.now().replace(microsecond=123456)
    with_contact = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    EmergencyContactFactory(client=with_contact, alternate_phone="+31201234567", relationship="")
    bare = ClientFactory(practice=practice, therapists=[therapist], phone="", email="")
    SessionFactory(appointment__therapist=therapist, appointment__client=with_contact)
    prepared = AppointmentFactory(
        therapist=therapist,
        client=with_contact,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, minutes=45),
        preparation_notes="Ask about sleep",
        focus_areas=["sleep", "work"],
        prepared_at=now,
        review_previous_session=True,
    )
    cancelled = AppointmentFactory(
        therapist=therapist,
        client=bare,
        starts_at=now + timedelta(days=3),
        status="cancelled",
        cancellation_reason="Ill",
        cancelled_at=now,
        location="Room 2",
        notes="Front desk: bring forms",
    )
    colleagues = AppointmentFactory(therapist=other_therapist, client=with_contact, starts_at=now + timedelta(days=4))
    return [prepared, cancelled, colleagues]


@pytest.mark.parametrize("viewer", ["therapist", "staff"])
def test_list_items_equal_the_serializer_payload(request, calendar, viewer):
    actor = request.getfixturevalue(viewer)
    http_request = APIRequestFactory().get("/api/appointments")
    http_request.user = actor
    appointments = {appointment.pk: appointment for appointment in appointment_list(actor=actor)}
    rows = list(appointment_list_rows(actor=actor))
    assert len(rows) >= 2
    assert [row["id"] for row in rows] == list(appointments)
    for row in rows:
        expected = AppointmentSerializer(appointments[row["id"]], context={"request": http_request}).data
        assert appointment_list_item(row) == expected


def test_the_list_endpoint_answers_the_same_items_as_the_detail_endpoint(api, calendar):
    listed = {item["id"]: item for item in api.get("/api/appointments").json()["data"]}
    for appointment_id, item in listed.items():
        assert api.get(f"/api/appointments/{appointment_id}").json()["data"] == item


def test_a_shared_clients_figures_are_each_callers_own_one_request_after_another(
    practice, therapist, other_therapist, staff
):
    """The list's query is built once per process and kind of caller: whoever asked
    before must not show through in the next caller's figures or preparation."""
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    now = timezone.now().replace(microsecond=0)
    for owner, days in ((therapist, 30), (therapist, 20), (therapist, 10), (other_therapist, 5)):
        SessionFactory(
            appointment__therapist=owner, appointment__client=shared, appointment__starts_at=now - timedelta(days=days)
        )
    for owner in (therapist, other_therapist):
        AppointmentFactory(
            therapist=owner, client=shared, starts_at=now + timedelta(days=1), preparation_notes=f"For {owner.pk}"
        )
    tz = practice.tzinfo
    expected = {
        therapist: (3, (now - timedelta(days=10)).astimezone(tz).date()),
        other_therapist: (1, (now - timedelta(days=5)).astimezone(tz).date()),
    }
    for _ in range(2):
        for caller, (total, last) in expected.items():
            upcoming = [
                item
                for item in authenticated_client(caller).get("/api/appointments?limit=50").json()["data"]
                if item["status"] == "scheduled"
            ]
            assert [item["therapist_id"] for item in upcoming] == [str(caller.pk)]
            assert upcoming[0]["client"]["total_sessions"] == total
            assert upcoming[0]["client"]["last_session_date"] == last.isoformat()
            assert upcoming[0]["preparation_notes"] == f"For {caller.pk}"
        staff_items = authenticated_client(staff).get("/api/appointments?limit=50").json()["data"]
        assert {item["client"]["total_sessions"] for item in staff_items} == {None}
        assert {item["preparation_notes"] for item in staff_items} == {""}
