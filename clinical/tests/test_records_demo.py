import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from clinical.models import MedicalHistory, TherapyGoal
from conftest import demo_sign_in

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(MedicalHistory.objects.values_list("client__email", "allergies", "previous_therapy")),
        sorted(TherapyGoal.objects.values_list("client__email", "goal", "status", "progress")),
    )


def test_demo_has_histories_and_goals_in_every_status_and_rebuilds_identically():
    call_command("seed_demo", "--password", "pw-for-tests")
    histories, goals = _snapshot()
    assert len(histories) > 20
    assert {status for *_, status, _ in goals} == set(TherapyGoal.Status)
    assert all(progress == 100 for *_, status, progress in goals if status == "completed")
    call_command("seed_demo", "--password", "pw-for-tests")  # already seeded: unchanged
    assert _snapshot() == (histories, goals)
    call_command("seed_demo", "--reset", "--password", "pw-for-tests")  # same seed, same data
    assert _snapshot() == (histories, goals)


def test_demo_therapist_reads_a_clients_goals():
    call_command("seed_demo", "--password", "pw-for-tests", "--with-2fa")
    api = APIClient()
    tokens = demo_sign_in(api, "therapist1@demo.example", "pw-for-tests")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    client_id = api.get("/api/clients").json()["data"][0]["id"]
    goals = api.get(f"/api/clients/{client_id}/therapy-goals")
    assert goals.status_code == 200
    assert goals.json()["data"]["goals"]
    assert api.get(f"/api/clients/{client_id}/medical-history").status_code == 200
