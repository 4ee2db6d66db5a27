import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from clinical.models import Survey, SurveyAssignment, SurveyResponse
from conftest import demo_sign_in

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(SurveyResponse.objects.values_list("client__email", "instrument", "total_score", "needs_follow_up")),
        sorted(SurveyAssignment.objects.values_list("client__email", "survey__title", "status", "due_date")),
    )


def test_demo_has_improving_scores_and_own_surveys_and_rebuilds_identically():
    call_command("seed_demo", "--password", "pw-for-tests")
    therapist_surveys = Survey.objects.filter(created_by__email="therapist1@demo.example")
    assert sorted(therapist_surveys.values_list("title", flat=True)) == ["Session feedback", "Weekly check-in"]
    scored = SurveyResponse.objects.exclude(instrument="").order_by("submitted_at")
    clients = {response.client_id for response in scored}
    assert len(clients) >= 3
    for client_id in clients:
        for instrument in ("phq9", "gad7"):
            totals = [r.total_score for r in scored if r.client_id == client_id and r.instrument == instrument]
            assert len(totals) >= 3 and totals[-1] < totals[0]  # improvement
    assert scored.filter(needs_follow_up=True).exists()
    assert SurveyAssignment.objects.filter(status="pending").exists()
    assert SurveyAssignment.objects.filter(status="completed").exists()
    snapshot = _snapshot()
    call_command("seed_demo", "--reset", "--password", "pw-for-tests")  # same seed, same data
    assert _snapshot() == snapshot


def test_demo_therapist_sees_a_clients_scores_and_the_summary_text():
    call_command("seed_demo", "--password", "pw-for-tests", "--with-2fa")
    client_id = SurveyResponse.objects.exclude(instrument="").values_list("client_id", flat=True).first()
    api = APIClient()
    tokens = demo_sign_in(api, "therapist1@demo.example", "pw-for-tests")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    scores = api.get(f"/api/clients/{client_id}/outcome-scores").json()["data"]["instruments"]
    assert all(len(instrument["scores"]) >= 3 for instrument in scores)
    summary = api.get(f"/api/clients/{client_id}/session-summary").json()["data"]["progressSummary"]
    # The demo practice speaks Dutch, and the demo therapists chose no language of their own.
    assert "PHQ-9 ging van" in summary and "GAD-7 ging van" in summary
    surveys = api.get("/api/surveys").json()["data"]["surveys"]
    assert {"PHQ-9 depression questionnaire", "Weekly check-in", "Session feedback"} <= {s["title"] for s in surveys}
