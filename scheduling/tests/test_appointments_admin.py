from datetime import timedelta

import pytest

from practice.tests.factories import StaffFactory
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, practice):
    client.force_login(StaffFactory(practice=practice, is_superuser=True))
    return client


def test_changelist_filters_and_search(admin_client, therapist, client_record):
    AppointmentFactory.create_batch(3, therapist=therapist, client=client_record)
    for query in (
        "",
        "?status__exact=scheduled",
        f"?q={client_record.last_name}",
        f"?therapist__id__exact={therapist.pk}",
    ):
        response = admin_client.get(f"/admin/scheduling/appointment/{query}")
        assert response.status_code == 200
        assert client_record.last_name in response.content.decode()


def test_change_form_hides_preparation_notes(admin_client, therapist, client_record):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, preparation_notes="Private prep")
    response = admin_client.get(f"/admin/scheduling/appointment/{appointment.pk}/change/")
    assert response.status_code == 200
    assert "Private prep" not in response.content.decode()


def test_admin_refuses_a_double_booking(admin_client, practice, therapist, client_record):
    existing = AppointmentFactory(therapist=therapist, client=client_record)
    start = existing.starts_at + timedelta(minutes=10)
    response = admin_client.post(
        "/admin/scheduling/appointment/add/",
        {
            "practice": practice.pk,
            "therapist": therapist.pk,
            "client": client_record.pk,
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": start.strftime("%H:%M:%S"),
            "ends_at_0": (start + timedelta(minutes=50)).strftime("%Y-%m-%d"),
            "ends_at_1": (start + timedelta(minutes=50)).strftime("%H:%M:%S"),
            "appointment_type": "individual",
            "mode": "in_person",
            "status": "scheduled",
        },
    )
    assert response.status_code == 200
    assert "already has an appointment" in response.content.decode()
    assert Appointment.objects.count() == 1
