"""Invoice numbering under real concurrency on PostgreSQL: threads with their own
connections, released together."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinical.tests.factories import SessionFactory
from conftest import authenticated_client
from practice.tests.concurrency import run_concurrently
from scheduling.models import Invoice, InvoiceNumberCounter
from scheduling.tests.factories import SessionRateFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _sessions(therapist, client, count):
    start = timezone.now() - timedelta(days=1)
    return [
        SessionFactory(
            appointment__therapist=therapist,
            appointment__client=client,
            appointment__starts_at=start - timedelta(hours=index),
        )
        for index in range(count)
    ]


def test_concurrent_invoices_of_different_sessions_are_numbered_one_to_n(practice, therapist, client_record):
    SessionRateFactory(practice=practice)
    sessions = _sessions(therapist, client_record, THREADS)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]

    def generate(index):
        response = callers[index].post(f"/api/sessions/{sessions[index].pk}/generate-invoice", {}, format="json")
        return response.status_code, response.json()["data"]["invoice_number"]

    results = run_concurrently(generate, THREADS)

    assert {status for status, _ in results} == {201}
    year = timezone.localdate().year
    assert sorted(number for _, number in results) == [f"{year}-{n:04d}" for n in range(1, THREADS + 1)]
    assert InvoiceNumberCounter.objects.get(practice=practice, year=year).last_number == THREADS


def test_concurrent_calls_for_one_session_make_one_invoice(practice, therapist, client_record):
    SessionRateFactory(practice=practice)
    [session] = _sessions(therapist, client_record, 1)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]

    def generate(index):
        response = callers[index].post(f"/api/sessions/{session.pk}/generate-invoice", {}, format="json")
        return response.status_code, response.json()

    results = run_concurrently(generate, THREADS)

    assert sorted(status for status, _ in results) == [201] + [409] * (THREADS - 1)
    invoice = Invoice.objects.get()
    for status, body in results:
        if status == 409:
            assert body["code"] == "invoice_already_exists" and body["data"]["id"] == str(invoice.pk)
    assert InvoiceNumberCounter.objects.get().last_number == 1
