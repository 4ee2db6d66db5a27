"""GET /api/therapist/dashboard: the figures the dashboard page shows."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.tests.factories import SessionFactory
from practice.models import UserNotification
from practice.tests.factories import ClientFactory
from scheduling.models import Appointment, Invoice
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

# Wednesday 11 March 2026, 10:00 in Amsterdam.
NOW = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _at(therapist, client, when, **kwargs):
    return AppointmentFactory(therapist=therapist, client=client, starts_at=when, **kwargs)


def _invoice(therapist, client, appointment, issued: date, total: str):
    return Invoice.objects.create(
        practice=therapist.practice,
        appointment=appointment,
        client=client,
        therapist=therapist,
        created_by=therapist,
        year=issued.year,
        sequence=Invoice.objects.count() + 1,
        invoice_number=f"{issued.year}-{Invoice.objects.count() + 1:04d}",
        issue_date=issued,
        due_date=issued + timedelta(days=30),
        currency="EUR",
        subtotal=Decimal(total),
        tax_rate=Decimal("0"),
        tax_amount=Decimal("0"),
        total_amount=Decimal(total),
    )


@pytest.fixture
def busy(therapist, other_therapist, practice, client_record):
    ClientFactory(practice=practice, therapists=[therapist], status="inactive")
    _at(therapist, client_record, datetime(2026, 3, 11, 13, 0, tzinfo=UTC))  # today, later
    _at(therapist, client_record, datetime(2026, 3, 11, 15, 0, tzinfo=UTC), status=Appointment.Status.CANCELLED)
    _at(therapist, client_record, datetime(2026, 3, 15, 9, 0, tzinfo=UTC))  # Sunday: this week
    _at(therapist, client_record, datetime(2026, 3, 16, 9, 0, tzinfo=UTC))  # next Monday
    _at(
        other_therapist,
        ClientFactory(practice=practice, therapists=[other_therapist]),
        datetime(2026, 3, 11, 14, tzinfo=UTC),
    )
    done = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=datetime(2026, 3, 9, 9, tzinfo=UTC),
    )  # Monday: this week, this month
    SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=datetime(2026, 2, 20, 9, tzinfo=UTC),
    )  # last month
    _invoice(therapist, client_record, done.appointment, date(2026, 3, 9), "95.00")
    UserNotification.objects.create(practice=practice, recipient=therapist, kind="system", title="Hello")
    UserNotification.objects.create(
        practice=practice, recipient=therapist, kind="system", title="Read", is_read=True, read_at=NOW
    )


def test_figures_in_the_practice_timezone(api, busy):
    response = api.get("/api/therapist/dashboard")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["stats"] == {
        "activeClients": 1,
        "todayAppointments": 1,
        "weeklyAppointments": 3,  # Monday's completed one, today's and Sunday's
        "completedSessions": 1,
        "monthlyRevenue": 95.0,
        "currency": "EUR",
        "averageRating": None,
        "unreadNotifications": 1,
    }
    upcoming = data["upcomingAppointments"]
    assert [a["appointment_date"] for a in upcoming] == ["2026-03-11", "2026-03-15", "2026-03-16"]
    assert {"start_time", "end_time", "status", "type", "client"} <= upcoming[0].keys()


def test_a_new_therapist_sees_zeros(api):
    stats = api.get("/api/therapist/dashboard").json()["data"]["stats"]
    assert (stats["activeClients"], stats["todayAppointments"], stats["monthlyRevenue"]) == (0, 0, 0.0)


def test_staff_are_refused(staff_api):
    assert staff_api.get("/api/therapist/dashboard").status_code == 403


def test_query_count_does_not_grow_with_history(api, therapist, client_record):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/therapist/dashboard").status_code == 200
        return len(ctx.captured_queries)

    _at(therapist, client_record, NOW + timedelta(hours=3))
    few = count()
    for day in range(1, 12):
        _at(therapist, client_record, NOW + timedelta(days=day))
        SessionFactory(
            appointment__therapist=therapist,
            appointment__client=client_record,
            appointment__starts_at=NOW - timedelta(days=day),
        )
    assert count() == few
