from datetime import timedelta

import pytest
from django.utils import timezone

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
    # The admin shows and reads times in the staff member's practice time zone.
    start = timezone.localtime(existing.starts_at + timedelta(minutes=10), practice.tzinfo)
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


def _booking(therapist, client, start):
    # The admin shows and reads times on the practice's clocks.
    start = timezone.localtime(start, client.practice.tzinfo)
    return {
        "therapist": therapist.pk,
        "client": client.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": (start + timedelta(minutes=50)).strftime("%Y-%m-%d"),
        "ends_at_1": (start + timedelta(minutes=50)).strftime("%H:%M:%S"),
        "appointment_type": "individual",
        "mode": "in_person",
        "location": "",
        "notes": "",
    }


@pytest.fixture
def staff_admin(client, staff):
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


def test_the_admin_books_through_the_service(staff_admin, therapist, client_record):
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    response = staff_admin.post("/admin/scheduling/appointment/add/", _booking(therapist, client_record, start))
    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert (appointment.practice, appointment.therapist, appointment.status) == (
        therapist.practice,
        therapist,
        "scheduled",
    )
    assert appointment.starts_at == start


def test_the_admin_refuses_what_the_api_refuses(staff_admin, staff, therapist, other_therapist, client_record):
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    refusals = {
        # The therapist field offers therapists only.
        "a staff member as therapist": (_booking(staff, client_record, start), "Select a valid choice"),
        "a client not assigned to the therapist": (
            _booking(other_therapist, client_record, start),
            "not assigned to the therapist",
        ),
        "a booking ten years away": (
            _booking(therapist, client_record, start + timedelta(days=3700)),
            "within ten years",
        ),
    }
    for case, (body, message) in refusals.items():
        response = staff_admin.post("/admin/scheduling/appointment/add/", body)
        assert response.status_code == 200, case
        assert message in response.content.decode(), case
    assert not Appointment.objects.exists()


def test_an_admin_change_goes_through_the_update_service(staff_admin, therapist, client_record):
    appointment = AppointmentFactory(therapist=therapist, client=client_record, status="completed")
    body = {**_booking(therapist, client_record, appointment.starts_at), "status": "completed", "notes": "Moved"}
    response = staff_admin.post(f"/admin/scheduling/appointment/{appointment.pk}/change/", body)
    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.notes == ""
