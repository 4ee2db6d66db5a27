"""The session lists build their items directly; they must stay identical to the
SessionSerializer payload that the detail endpoint and the schema use."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinical.models import Session
from clinical.selectors.sessions import session_list, session_mood_timelines
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


@pytest.mark.parametrize("for_listing", [True, False])
def test_list_items_equal_the_serializer_payload(therapist, history, for_listing):
    items = list(session_list(actor=therapist, for_listing=for_listing))
    assert len(items) == 3
    timelines = session_mood_timelines(session_ids=[session.pk for session in items])
    assert [mood for mood, _ in timelines[history[0].pk]] == [3, 6]
    for session in items:
        assert session_list_item(session, timeline=timelines[session.pk]) == SessionSerializer(session).data


def test_an_in_progress_session_reports_its_planned_length(therapist, history):
    session = next(s for s in session_list(actor=therapist) if s.status == "in_progress")
    item = session_list_item(session, timeline=[])
    assert item["duration"] == 75
    assert item["end_time"] is None


def test_the_list_endpoint_answers_the_same_items_as_the_detail_endpoint(api, history):
    listed = {item["id"]: item for item in api.get("/api/sessions").json()["data"]}
    assert len(listed) == 3
    for session_id, item in listed.items():
        assert api.get(f"/api/sessions/{session_id}").json()["data"] == item
