"""The session summary's progress text on the client's PHQ-9 and GAD-7 scores: first and
latest score with their bands, computed by the database whatever the history."""

import datetime

import pytest

from analytics.selectors.summary_text import progress_summary_text
from clinical.models import Survey
from clinical.selectors.surveys import OutcomeChange
from clinical.tests.factories import SessionFactory, SurveyResponseFactory

from .conftest import local

pytestmark = pytest.mark.django_db

NO_SESSIONS = {
    "total_sessions": 0,
    "first_session_date": None,
    "average_mood_improvement": None,
    "goals_total": 0,
    "goals_active": 0,
    "goals_completed": 0,
    "goals_paused": 0,
    "goals_active_average_progress": None,
}


def _score(practice, client, therapist, instrument, when, total, severity):
    return SurveyResponseFactory(
        survey=Survey.objects.get(practice=practice, instrument=instrument),
        client=client,
        entered_by=therapist,
        submitted_at=when,
        answers=[],
        instrument=instrument,
        total_score=total,
        severity=severity,
    )


def test_the_summary_tells_how_the_scores_went(api, practice, therapist, client_record):
    _score(practice, client_record, therapist, "phq9", local(2026, 1, 5), 16, "moderately_severe")
    _score(practice, client_record, therapist, "phq9", local(2026, 2, 2), 12, "moderate")
    _score(practice, client_record, therapist, "phq9", local(2026, 3, 2), 8, "mild")
    _score(practice, client_record, therapist, "gad7", local(2026, 1, 5), 11, "moderate")
    data = api.get(f"/api/clients/{client_record.pk}/session-summary").json()["data"]
    assert data["progressSummary"] == (
        "No completed sessions yet; no therapy goals set. "
        "PHQ-9 went from 16 (moderately severe) to 8 (mild); GAD-7 was 11 (moderate)."
    )


def test_a_client_without_scores_has_the_summary_as_before(api, client_record):
    data = api.get(f"/api/clients/{client_record.pk}/session-summary").json()["data"]
    assert data["progressSummary"] == "No completed sessions yet; no therapy goals set."


def _change(name, count, first, first_band, latest, latest_band):
    return OutcomeChange(name.replace("-", "").lower(), name, count, first, first_band, latest, latest_band)


@pytest.mark.parametrize(
    ("changes", "tail"),
    [
        ([_change("PHQ-9", 2, 20, "severe", 4, "minimal")], "PHQ-9 went from 20 (severe) to 4 (minimal)."),
        ([_change("GAD-7", 1, 15, "severe", 15, "severe")], "GAD-7 was 15 (severe)."),
        ([_change("GAD-7", 3, 9, "mild", 9, "mild")], "GAD-7 stayed at 9 (mild)."),
        (
            [_change("PHQ-9", 2, 5, "mild", 10, "moderate"), _change("GAD-7", 2, 14, "moderate", 15, "severe")],
            "PHQ-9 went from 5 (mild) to 10 (moderate); GAD-7 went from 14 (moderate) to 15 (severe).",
        ),
    ],
)
def test_progress_summary_text_on_scores(changes, tail):
    text = progress_summary_text(**NO_SESSIONS, outcome_changes=changes)
    assert text == f"No completed sessions yet; no therapy goals set. {tail}"


def test_scores_of_the_client_with_sessions_follow_the_session_sentence(api, practice, therapist, client_record):
    SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=local(2026, 3, 3),
        started_at=local(2026, 3, 3),
        mood_start=4,
        mood_end=6,
    )
    _score(practice, client_record, therapist, "gad7", datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC), 7, "mild")
    text = api.get(f"/api/clients/{client_record.pk}/session-summary").json()["data"]["progressSummary"]
    assert text == (
        "1 session, on 3 March 2026; mood improved by 2.0 points on average; no therapy goals set. GAD-7 was 7 (mild)."
    )
