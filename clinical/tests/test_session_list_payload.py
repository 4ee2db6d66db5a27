"""The session lists build their items directly; they must stay identical to the
SessionSerializer payload that the detail endpoint and the schema use."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinical.models import Session
from clinical.selectors.sessions import (
    session_list,
    session_list_rows,
    session_listing,
    session_mood_timelines,
)
from clinical.serializers.sessions import SessionSerializer, session_list_item
from clinical.tests.factories import MoodReadingFactory, SessionFactory, SessionTemplateFactory
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(practice, therapist):
    now = timezone.now().replace(microsecond=123456)
    client = ClientFactory(practice=practice, therapists=[therapist], first_name="Anna", last_name="")
    completed = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client,
        template=SessionTemplateFactory(practice=practice),
        session_goals=["Sleep", "Work"],
        client_concerns=["Worry"],
        techniques_used=["CBT"],
        interventions_applied=["Thought record"],
        homework_assigned="Sleep diary",
        client_present=True,
        location=Session.Location.ONLINE,
        summary="Better",
    )
    MoodReadingFactory(session=completed, mood=3, recorded_at=now - timedelta(minutes=50))
    MoodReadingFactory(session=completed, mood=6, recorded_at=now)
    in_progress = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client,
        appointment__starts_at=now - timedelta(days=1),
        appointment__ends_at=now - timedelta(days=1) + timedelta(minutes=75),
        status=Session.Status.IN_PROGRESS,
        ended_at=None,
    )
    without_appointment = SessionFactory(
        appointment__therapist=therapist, appointment__client=client, appointment__starts_at=now - timedelta(days=2)
    )
    Session.objects.filter(pk=without_appointment.pk).update(appointment=None)
    return [completed, in_progress, without_appointment]


def test_list_items_equal_the_serializer_payload(therapist, history):
    rows = list(session_list_rows(session_listing(actor=therapist).sessions))
    sessions = {session.pk: session for session in session_list(actor=therapist)}
    assert [row["id"] for row in rows] == list(sessions) and len(rows) == 3
    timelines = session_mood_timelines(session_ids=[row["id"] for row in rows])
    assert [mood for mood, _ in timelines[history[0].pk]] == [3, 6]
    for row in rows:
        assert session_list_item(row, timeline=timelines[row["id"]]) == SessionSerializer(sessions[row["id"]]).data


def test_an_in_progress_session_reports_its_planned_length(therapist, history):
    row = next(
        row for row in session_list_rows(session_listing(actor=therapist).sessions) if row["status"] == "in_progress"
    )
    item = session_list_item(row, timeline=[])
    assert item["duration"] == 75
    assert item["end_time"] is None


def test_an_in_progress_session_without_appointment_has_no_length(therapist, history):
    Session.objects.filter(pk=history[2].pk).update(status=Session.Status.IN_PROGRESS, ended_at=None)
    row = next(
        row for row in session_list_rows(session_listing(actor=therapist).sessions) if row["id"] == history[2].pk
    )
    item = session_list_item(row, timeline=[])
    assert item["appointment_id"] is None
    assert item["duration"] is None and item["duration_minutes"] is None and item["end_time"] is None
    assert item == SessionSerializer(session_list(actor=therapist).get(pk=history[2].pk)).data


def test_the_list_endpoint_answers_the_same_items_as_the_detail_endpoint(api, history):
    listed = {item["id"]: item for item in api.get("/api/sessions").json()["data"]}
    assert len(listed) == 3
    for session_id, item in listed.items():
        assert api.get(f"/api/sessions/{session_id}").json()["data"] == item
