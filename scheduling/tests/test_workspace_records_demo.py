"""The demo's therapist1 finds session notes, availability and invoices, and reseeding
builds the same ones."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from clinical.models import SessionNote, SessionNoteVersion
from conftest import demo_sign_in
from scheduling.models import Availability, Invoice

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def _snapshot():
    return (
        sorted(
            Invoice.objects.values_list("invoice_number", "practice__name", "client__email", "total_amount", "status")
        ),
        sorted(SessionNote.objects.values_list("client__email", "session_date", "session_type", "version")),
        sorted(Availability.objects.values_list("therapist__email", "session_duration")),
    )


def _signed_in() -> APIClient:
    api = APIClient()
    tokens = demo_sign_in(api, "therapist1@demo.example", PASSWORD)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    return api


def test_the_demo_therapist_sees_notes_availability_and_invoices():
    call_command("seed_demo", "--password", PASSWORD, "--with-2fa")
    api = _signed_in()

    notes = api.get("/api/therapist/session-notes").json()["data"]["notes"]
    assert notes and any(note["version"] > 1 for note in notes) and any(note["hulpvragen_progress"] for note in notes)
    assert SessionNote.objects.filter(deleted_at__isnull=False).exists()
    assert SessionNoteVersion.objects.exists()

    availability = api.get("/api/therapist/availability").json()["data"]
    assert availability["isDefault"] is False and availability["exceptions"]
    assert any(slot["isBreak"] for day in availability["regularHours"] for slot in day["slots"])

    invoices = Invoice.objects.filter(therapist__email="therapist1@demo.example")
    assert invoices.exists() and set(invoices.values_list("status", flat=True)) == {"draft", "sent", "paid"}
    numbers = sorted(Invoice.objects.filter(practice__name="Demo Practice").values_list("sequence", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_reseeding_builds_the_same_records():
    call_command("seed_demo", "--password", PASSWORD)
    first = _snapshot()
    call_command("seed_demo", "--password", PASSWORD)
    assert _snapshot() == first
    call_command("seed_demo", "--reset", "--password", PASSWORD)
    assert _snapshot() == first
