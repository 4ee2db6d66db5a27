"""Concurrency on PostgreSQL: real threads, each with its own database connection."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone

from conftest import authenticated_client
from practice.models import AuditEvent
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory, StaffFactory
from scheduling.models import NoShowPolicy, NoShowRecord, Notification
from scheduling.services.notifications import notifications_send_due
from scheduling.tests.factories import AppointmentFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


class RecordingEmailBackend(BaseEmailBackend):
    """Records every subject sent, from any thread."""

    sent: list[str] = []
    lock = threading.Lock()

    def send_messages(self, email_messages):
        with self.lock:
            self.sent.extend(message.subject for message in email_messages)
        return len(email_messages)


def test_concurrent_requests_record_exactly_one_no_show_and_one_fee(practice, therapist, client_record):
    NoShowPolicy.objects.create(practice=practice, default_fee=Decimal("50"), maximum_fee=Decimal("100"))
    appointment = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=timezone.now() - timedelta(hours=1)
    )
    staff = StaffFactory(practice=practice)
    callers = [authenticated_client(therapist if i % 2 else staff) for i in range(THREADS)]

    def apply(index):
        response = callers[index].post(
            f"/api/appointments/{appointment.pk}/no-show-policy",
            {"reason": f"Attempt {index}", "applyFee": True, "feeAmount": 10 + index, "notifyClient": True},
            format="json",
        )
        return response.status_code, response.json()

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        results = run_concurrently(apply, THREADS)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (THREADS - 1)
    record = NoShowRecord.objects.get()
    winner = next(body["data"] for status, body in results if status == 201)
    assert winner["id"] == str(record.pk)
    assert winner["feeAmount"] == float(record.fee_amount)
    for status, body in results:
        if status == 409:
            assert body["code"] == "no_show_already_applied"
            assert body["data"]["id"] == str(record.pk)
    assert AuditEvent.objects.filter(record_type="no_show_record").count() == 1
    assert Notification.objects.count() == 1


def test_concurrent_senders_send_each_notification_once(practice):
    client = ClientFactory(practice=practice)
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            practice=practice,
            client=client,
            kind=Notification.Kind.NO_SHOW,
            to_address=client.email,
            subject=f"Message {index}",
            text_body="Hello",
            next_attempt_at=now,
        )
        for index in range(40)
    )
    RecordingEmailBackend.sent = []

    with override_settings(EMAIL_BACKEND="scheduling.tests.test_no_show_concurrency.RecordingEmailBackend"):
        reports = run_concurrently(lambda index: notifications_send_due(limit=3), 4)

    assert sorted(RecordingEmailBackend.sent) == sorted(f"Message {index}" for index in range(40))
    assert sum(len(report.sent) for report in reports) == 40
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
