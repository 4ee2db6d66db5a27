"""Invoices: the session page's generate-invoice call after ending a session, numbering,
VAT, the status steps and the no-show fee."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.models import Session
from clinical.tests.factories import SessionFactory
from conftest import authenticated_client
from practice.errors import ConflictError
from practice.models import AuditEvent
from practice.tests.factories import ClientFactory, PracticeFactory, StaffFactory, TherapistFactory
from scheduling.models import (
    Appointment,
    BillingSettings,
    Invoice,
    InvoiceNumberCounter,
    NoShowPolicy,
    NoShowRecord,
    Notification,
)
from scheduling.services.invoices import (
    invoice_create_for_appointment,
    invoice_create_for_no_show,
    invoice_mark_paid,
    invoice_send,
)
from scheduling.tests.factories import AppointmentFactory, SessionRateFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rate(practice):
    return SessionRateFactory(practice=practice, amount=Decimal("95.00"))


_SLOTS = itertools.count()


def completed_session(therapist, client, **kwargs) -> Session:
    """A session of today, 2 to 15 hours ago: consecutive ones never overlap (a therapist
    is never double-booked) and all fall on the same local date."""
    return SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client,
        appointment__starts_at=NOW - timedelta(hours=2 + next(_SLOTS) % 14),
        **kwargs,
    )


def page_body(session: Session, **overrides) -> dict:
    """What the session page sends after ending the session."""
    body = {
        "appointmentId": str(session.appointment_id),
        "clientId": str(session.client_id),
        "sessionDuration": 0,
        "sessionType": "therapy",
        "autoSend": True,
    }
    body.update(overrides)
    return body


def generate(api, session, **overrides):
    return api.post(f"/api/sessions/{session.pk}/generate-invoice", page_body(session, **overrides), format="json")


def test_the_session_page_generates_and_sends_the_invoice(api, therapist, client_record, rate):
    session = completed_session(therapist, client_record)

    response = generate(api, session)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["success"] is True and body["message"] == "Invoice created and sent."
    invoice = body["data"]
    assert invoice["invoice_number"] == "2026-0001"
    assert invoice["status"] == "sent" and invoice["sent_at"]
    assert invoice["client_id"] == str(client_record.pk) and invoice["therapist_id"] == str(therapist.pk)
    assert invoice["appointment_id"] == str(session.appointment_id)
    assert invoice["issue_date"] == "2026-03-10" and invoice["due_date"] == "2026-04-09"
    assert (invoice["subtotal"], invoice["tax_rate"], invoice["tax_amount"], invoice["total_amount"]) == (
        95.0,
        0.0,
        0.0,
        95.0,
    )
    assert invoice["currency"] == "EUR"
    assert invoice["tax_exemption_note"] == "Vrijgesteld van btw (art. 11 lid 1 onderdeel g Wet OB)"
    assert invoice["practice_name"] == client_record.practice.name
    [item] = invoice["items"]
    assert item["description"] == "Individual session, 2026-03-10"
    assert (item["quantity"], item["unit_price"], item["total"], item["tax_rate"]) == (1.0, 95.0, 95.0, 0.0)
    assert item["appointment_id"] == str(session.appointment_id)
    assert b'"total_amount":95.0' in response.content  # a number, not a string
    email = Notification.objects.get(kind=Notification.Kind.INVOICE)
    assert email.to_address == client_record.email and "2026-0001" in email.subject
    assert AuditEvent.objects.filter(record_type="invoice", record_id=invoice["id"]).count() == 2


def test_without_auto_send_it_stays_a_draft(api, therapist, client_record, rate):
    response = generate(api, completed_session(therapist, client_record), autoSend=False)
    assert response.json()["data"]["status"] == "draft"
    assert response.json()["message"] == "Invoice created as a draft."
    assert not Notification.objects.exists()


def test_a_second_call_is_a_409_with_the_existing_invoice(api, therapist, client_record, rate):
    session = completed_session(therapist, client_record)
    first = generate(api, session).json()["data"]

    response = generate(api, session)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invoice_already_exists"
    assert body["data"]["id"] == first["id"] and body["data"]["invoiceNumber"] == "2026-0001"
    assert Invoice.objects.count() == 1
    assert InvoiceNumberCounter.objects.get().last_number == 1


def test_numbers_run_per_practice_and_year_without_gaps(therapist, client_record, rate, frozen):
    api = authenticated_client(therapist)
    numbers = [generate(api, completed_session(therapist, client_record)).json()["data"]["invoice_number"]]
    # A refused call takes no number.
    in_progress = completed_session(therapist, client_record, status=Session.Status.IN_PROGRESS, ended_at=None)
    in_progress.appointment.status = Appointment.Status.IN_PROGRESS
    in_progress.appointment.save()
    assert generate(api, in_progress).json()["code"] == "invoice_not_billable"
    numbers.append(generate(api, completed_session(therapist, client_record)).json()["data"]["invoice_number"])

    elsewhere = PracticeFactory(country="BE")
    other = TherapistFactory(practice=elsewhere)
    SessionRateFactory(practice=elsewhere)
    other_session = completed_session(other, ClientFactory(practice=elsewhere, therapists=[other]))
    other_number = generate(authenticated_client(other), other_session).json()["data"]

    frozen.move_to(datetime(2027, 1, 2, 12, tzinfo=UTC))
    api = authenticated_client(therapist)
    next_year = generate(api, completed_session(therapist, client_record)).json()["data"]["invoice_number"]

    assert numbers == ["2026-0001", "2026-0002"]
    assert other_number["invoice_number"] == "2026-0001"
    assert other_number["tax_exemption_note"] == "Exempt from VAT (art. 11(1)(g) Dutch VAT Act)"
    assert next_year == "2027-0001"


def test_a_practice_that_charges_vat(api, practice, therapist, client_record, rate):
    BillingSettings.objects.create(practice=practice, vat_rate=Decimal("21"), payment_term_days=14)
    invoice = generate(api, completed_session(therapist, client_record)).json()["data"]
    assert (invoice["subtotal"], invoice["tax_rate"], invoice["tax_amount"], invoice["total_amount"]) == (
        95.0,
        21.0,
        19.95,
        114.95,
    )
    assert invoice["tax_exemption_note"] == "" and invoice["due_date"] == "2026-03-24"


def test_without_a_rate_for_the_type_nothing_is_written(api, therapist, client_record):
    response = generate(api, completed_session(therapist, client_record))
    assert response.status_code == 409 and response.json()["code"] == "session_rate_missing"
    assert not Invoice.objects.exists() and not InvoiceNumberCounter.objects.exists()
    assert not AuditEvent.objects.filter(record_type="invoice").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"autoSend": "yes"}, "autoSend"),
        ({"sessionDuration": "50"}, "sessionDuration"),
        ({"appointmentId": "nope"}, "appointmentId"),
        ({"clientId": "00000000-0000-0000-0000-000000000000"}, "clientId"),
        ({"appointmentId": "00000000-0000-0000-0000-000000000000"}, "appointmentId"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(api, therapist, client_record, rate, overrides, field):
    response = generate(api, completed_session(therapist, client_record), **overrides)
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert not Invoice.objects.exists() and not InvoiceNumberCounter.objects.exists()


def test_the_page_may_leave_out_what_it_does_not_know(api, therapist, client_record, rate):
    session = completed_session(therapist, client_record)
    response = api.post(
        f"/api/sessions/{session.pk}/generate-invoice",
        {"sessionDuration": None, "sessionType": "therapy", "autoSend": True},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("caller", ["other_therapist_api", "staff_api", "other_practice_api"])
def test_someone_elses_session_is_a_404(request, therapist, client_record, rate, caller):
    session = completed_session(therapist, client_record)
    response = generate(request.getfixturevalue(caller), session)
    assert response.status_code == 404
    assert not Invoice.objects.exists()


def test_query_count_is_constant(api, therapist, client_record, rate):
    def count() -> int:
        session = completed_session(therapist, client_record)
        with CaptureQueriesContext(connection) as queries:
            assert generate(api, session).status_code == 201
        return len(queries)

    first = count()
    for _ in range(5):
        count()
    assert count() == first


# --- Status steps and no-show fees (services) ------------------------------------------------


def test_status_moves_draft_sent_paid_and_never_back(therapist, client_record, rate):
    invoice = invoice_create_for_appointment(
        actor=therapist, appointment_id=completed_session(therapist, client_record).appointment_id
    )
    with pytest.raises(ConflictError) as refused:
        invoice_mark_paid(actor=therapist, invoice=invoice)
    assert refused.value.code == "invalid_invoice_transition"
    invoice_send(actor=therapist, invoice=invoice)
    invoice_mark_paid(actor=therapist, invoice=invoice, paid_date=date(2026, 3, 20))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_date) == (Invoice.Status.PAID, date(2026, 3, 20))
    with pytest.raises(ConflictError):
        invoice_send(actor=therapist, invoice=invoice)


def test_a_no_show_fee_is_invoiced_the_same_way(practice, therapist, client_record, staff):
    policy = NoShowPolicy.objects.create(practice=practice, default_fee=Decimal("40"), maximum_fee=Decimal("80"))
    missed = AppointmentFactory(therapist=therapist, client=client_record, status=Appointment.Status.NO_SHOW)
    NoShowRecord.objects.create(
        appointment=missed,
        practice=practice,
        client=client_record,
        policy=policy,
        reason="Did not come",
        applied_by=staff,
        fee_amount=Decimal("40.00"),
        currency="EUR",
    )
    invoice = invoice_create_for_no_show(actor=staff, appointment_id=missed.pk)
    assert invoice.invoice_number == "2026-0001" and invoice.kind == Invoice.Kind.NO_SHOW
    assert invoice.total_amount == Decimal("40.00")
    with pytest.raises(ConflictError) as again:
        invoice_create_for_no_show(actor=staff, appointment_id=missed.pk)
    assert again.value.code == "invoice_already_exists"

    free = AppointmentFactory(therapist=therapist, client=client_record, status=Appointment.Status.NO_SHOW)
    NoShowRecord.objects.create(
        appointment=free, practice=practice, client=client_record, reason="Ill", applied_by=staff
    )
    with pytest.raises(ConflictError) as no_fee:
        invoice_create_for_no_show(actor=staff, appointment_id=free.pk)
    assert no_fee.value.code == "invoice_not_billable"


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, practice):
    client.force_login(StaffFactory(practice=practice, is_superuser=True))
    return client


def test_admin_actions_send_and_mark_paid(admin_client, therapist, client_record, rate):
    invoice = invoice_create_for_appointment(
        actor=therapist, appointment_id=completed_session(therapist, client_record).appointment_id
    )
    url = "/admin/scheduling/invoice/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(f"{url}{invoice.pk}/change/").status_code == 200
    admin_client.post(url, {"action": "mark_paid", "_selected_action": [invoice.pk]})
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.DRAFT  # a draft cannot be paid
    admin_client.post(url, {"action": "send_to_client", "_selected_action": [invoice.pk]})
    admin_client.post(url, {"action": "mark_paid", "_selected_action": [invoice.pk]})
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID and invoice.paid_date == date(2026, 3, 10)


def test_admin_invoices_a_no_show_fee(admin_client, practice, therapist, client_record, staff):
    missed = AppointmentFactory(therapist=therapist, client=client_record, status=Appointment.Status.NO_SHOW)
    record = NoShowRecord.objects.create(
        appointment=missed,
        practice=practice,
        client=client_record,
        reason="Did not come",
        applied_by=staff,
        fee_amount=Decimal("25.00"),
        currency="EUR",
    )
    admin_client.post("/admin/scheduling/noshowrecord/", {"action": "invoice_fee", "_selected_action": [record.pk]})
    assert Invoice.objects.get(appointment=missed).total_amount == Decimal("25.00")


def test_admin_pages_for_rates_and_settings(admin_client, practice, rate):
    BillingSettings.objects.create(practice=practice)
    for model in ("sessionrate", "billingsettings", "invoicenumbercounter"):
        assert admin_client.get(f"/admin/scheduling/{model}/").status_code == 200
