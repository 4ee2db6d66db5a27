"""GET /api/clients/{id}/session-summary (SPEC §6) on a small dataset whose every figure is
computed by hand below."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.settings import api_settings

from analytics.selectors.summary import client_common_themes
from analytics.selectors.summary_text import progress_summary_text
from clinical.tests.factories import SessionFactory, TherapyGoalFactory
from conftest import authenticated_client
from practice.models import AuditEvent
from practice.tests.factories import ClientFactory, StaffFactory, TherapistFactory

from .conftest import local

pytestmark = pytest.mark.django_db


def _url(client) -> str:
    return f"/api/clients/{client.pk}/session-summary"


def _session(therapist, client, started_at, *, concerns=(), goals=(), focus=(), mood=(None, None), **kwargs):
    session = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client,
        appointment__starts_at=started_at,
        appointment__focus_areas=list(focus),
        started_at=started_at,
        mood_start=mood[0],
        mood_current=None,
        mood_end=mood[1],
        client_concerns=list(concerns),
        session_goals=list(goals),
        **kwargs,
    )
    return session


@pytest.fixture
def history(practice, therapist, other_therapist, client_record):
    """``client_record``'s completed sessions with ``therapist``:

    | local start         | mood  | concerns            | goals        | focus areas |
    | 3 March 10:00       | 4->6  | Anxiety, Sleep      | Work stress  |             |
    | 10 March 10:00      | 5->6  | work stress         | Boundaries   | Sleep       |
    | 17 March 10:00      | -     | " Grief ", anxiety  | boundaries   |             |
    | 24 March 10:00      | 3->5  | Family              | Self-esteem  | Family      |
    | 29 March 00:30 CET  | 6->-  | Sleep               | junk entries |             |

    5 sessions since 3 March, the last on 29 March (28 March in UTC). Mood: (2 + 1 + 2) / 3
    = 1.67 -> 1.7 (17 March has no moods, 29 March no end mood).
    Themes: sleep 3; family 2 (24 March); anxiety and boundaries 2 (17 March, then by
    name); work stress 2 (10 March); grief and self-esteem 1 are left out.
    Goals: active 40 % and 70 % (average 55 %), one completed.

    Not counted: an open session full of "Anger", the colleague's session and another
    client's session full of "Trauma"."""
    client = client_record
    client.therapists.add(other_therapist)
    _session(therapist, client, local(2026, 3, 3), concerns=["Anxiety", "Sleep"], goals=["Work stress"], mood=(4, 6))
    _session(
        therapist,
        client,
        local(2026, 3, 10),
        concerns=["work stress"],
        goals=["Boundaries"],
        focus=["Sleep"],
        mood=(5, 6),
    )
    _session(therapist, client, local(2026, 3, 17), concerns=[" Grief ", "anxiety"], goals=["boundaries"])
    _session(
        therapist, client, local(2026, 3, 24), concerns=["Family"], goals=["Self-esteem"], focus=["Family"], mood=(3, 5)
    )
    _session(
        therapist, client, local(2026, 3, 29, 0, 30), concerns=["Sleep"], goals=[None, 3, "", "  "], mood=(6, None)
    )
    _session(
        therapist, client, local(2026, 3, 31), concerns=["Anger"] * 3, status="in_progress", ended_at=None, mood=(1, 9)
    )
    _session(other_therapist, client, local(2026, 3, 30), concerns=["Trauma"] * 3, mood=(1, 9))
    someone_else = ClientFactory(practice=practice, therapists=[therapist])
    _session(therapist, someone_else, local(2026, 3, 26), concerns=["Trauma"] * 3, mood=(1, 9))
    TherapyGoalFactory(client=client, therapist=therapist, progress=40)
    TherapyGoalFactory(client=client, therapist=therapist, progress=70)
    TherapyGoalFactory(client=client, therapist=therapist, status="completed", progress=100)
    return client


def test_summary_of_a_typical_client(api, history):
    response = api.get(_url(history))
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "data": {
            "totalSessions": 5,
            "lastSessionDate": "2026-03-29",
            "averageMoodImprovement": 1.7,
            "commonThemes": ["Sleep", "Family", "anxiety", "boundaries", "work stress"],
            "progressSummary": (
                "5 sessions since 3 March 2026; mood improved by 1.7 points on average; "
                "2 of 3 goals active (average progress 55%), 1 completed."
            ),
        },
    }


def test_summary_of_a_new_client(api, client_record):
    data = api.get(_url(client_record)).json()["data"]
    assert data == {
        "totalSessions": 0,
        "lastSessionDate": None,
        "averageMoodImprovement": None,
        "commonThemes": [],
        "progressSummary": "No completed sessions yet; no therapy goals set.",
    }


def test_a_new_client_with_a_goal(api, therapist, client_record):
    TherapyGoalFactory(client=client_record, therapist=therapist, progress=0)
    data = api.get(_url(client_record)).json()["data"]
    assert data["progressSummary"] == "No completed sessions yet; 1 of 1 goal active (average progress 0%)."


def test_sessions_without_moods(api, therapist, client_record):
    _session(therapist, client_record, local(2026, 3, 3))
    _session(therapist, client_record, local(2026, 3, 10), mood=(5, None))
    data = api.get(_url(client_record)).json()["data"]
    assert data["totalSessions"] == 2
    assert data["averageMoodImprovement"] is None
    assert data["progressSummary"] == "2 sessions since 3 March 2026; no mood ratings recorded; no therapy goals set."


def test_one_session_and_a_decline(api, therapist, client_record):
    _session(therapist, client_record, local(2026, 3, 3), mood=(7, 6))
    data = api.get(_url(client_record)).json()["data"]
    assert data["averageMoodImprovement"] == -1.0
    assert data["progressSummary"] == "1 session, on 3 March 2026; mood declined by 1.0 point on average; " + (
        "no therapy goals set."
    )


def test_a_colleague_assigned_to_the_client_sees_only_their_own_sessions(other_therapist_api, history):
    data = other_therapist_api.get(_url(history)).json()["data"]
    assert data["totalSessions"] == 1
    assert data["commonThemes"] == ["Trauma"]
    assert data["averageMoodImprovement"] == 8.0
    # Goals are the client's, shared by every assigned therapist.
    assert data["progressSummary"].endswith("2 of 3 goals active (average progress 55%), 1 completed.")


# --- Themes -------------------------------------------------------------------------------------


def test_themes_are_counted_case_insensitively_and_ties_go_to_the_most_recent(therapist, client_record):
    _session(therapist, client_record, local(2026, 1, 5), concerns=["Panic", "Loneliness"], focus=["Work"])
    _session(therapist, client_record, local(2026, 1, 12), concerns=["LONELINESS"], goals=["panic"])
    _session(therapist, client_record, local(2026, 1, 19), concerns=["sleep", "Diet", "Exercise"], focus=["work"])
    _session(therapist, client_record, local(2026, 1, 26), concerns=["Anger"])
    # panic 2 (12 Jan), loneliness 2 (12 Jan), work 2 (19 Jan); the ones counted once by recency.
    assert client_common_themes(therapist=therapist, client=client_record) == [
        "work",
        "LONELINESS",
        "panic",
        "Anger",
        "Diet",
    ]
    assert client_common_themes(therapist=therapist, client=client_record, limit=2) == ["work", "LONELINESS"]


def test_themes_ignore_entries_that_are_not_text(therapist, client_record):
    session = _session(therapist, client_record, local(2026, 1, 5), concerns=["Grief", 7, None, {"a": 1}, ["x"], " "])
    # A list field that holds something else entirely is skipped, not an error.
    type(session).objects.filter(pk=session.pk).update(session_goals={"not": "a list"})
    assert client_common_themes(therapist=therapist, client=client_record) == ["Grief"]


# --- Audit, access, throttling ------------------------------------------------------------------


def test_every_read_is_audited_once(api, therapist, history):
    api.get(_url(history), REMOTE_ADDR="10.1.2.3")
    entry = AuditEvent.objects.get()
    assert (entry.action, entry.record_type, entry.record_id) == ("view", "session_summary", str(history.pk))
    assert (entry.actor_id, entry.client_id, entry.ip_address) == (therapist.pk, history.pk, "10.1.2.3")
    api.get(_url(history))
    assert AuditEvent.objects.count() == 2


def test_permission_matrix(history, api, staff_api, other_practice_api, anon_api, practice, other_practice):
    unassigned_api = authenticated_client(TherapistFactory(practice=practice))
    foreign_staff_api = authenticated_client(StaffFactory(practice=other_practice))
    expectations = [
        (api, 200),  # assigned therapist
        (unassigned_api, 404),  # a therapist of the practice not assigned to the client
        (staff_api, 404),  # staff do not read clinical content
        (other_practice_api, 404),
        (foreign_staff_api, 404),
        (anon_api, 401),
    ]
    for client, status in expectations:
        response = client.get(_url(history))
        assert response.status_code == status
        if status != 200:
            assert response.json()["success"] is False
    # Only the one allowed read left a trace.
    assert AuditEvent.objects.count() == 1


def test_unknown_client_is_a_404(api):
    response = api.get("/api/clients/6f1c1d5e-0000-4000-8000-000000000000/session-summary")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not AuditEvent.objects.exists()


def test_reads_fall_under_the_clinical_throttle(api, client_record):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "clinical": "2/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        assert [api.get(_url(client_record)).status_code for _ in range(3)] == [200, 200, 429]


# --- In the database ----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_history(api, therapist, client_record):
    def add_sessions(count: int, first: datetime.date):
        for offset in range(count):
            day = first + datetime.timedelta(days=offset)
            _session(
                therapist,
                client_record,
                local(day.year, day.month, day.day),
                concerns=[f"Theme {offset % 7}"],
                focus=["Sleep"],
                mood=(4, 6),
            )
            TherapyGoalFactory(client=client_record, therapist=therapist)

    add_sessions(1, datetime.date(2025, 1, 1))
    with CaptureQueriesContext(connection) as small:
        assert api.get(_url(client_record)).status_code == 200
    add_sessions(40, datetime.date(2025, 2, 1))
    with CaptureQueriesContext(connection) as large:
        data = api.get(_url(client_record)).json()["data"]
    assert data["totalSessions"] == 41
    assert len(small) == len(large)
    reads = [q["sql"] for q in large if "clinical_" in q["sql"]]
    assert len(reads) == 4  # sessions, goals, themes, outcome scores


# --- The summary sentence ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "text"),
    [
        (
            {"total_sessions": 11, "average_mood_improvement": 1.8, "goals": (3, 2, 1, 0, 55)},
            "11 sessions since 3 March 2026; mood improved by 1.8 points on average; "
            "2 of 3 goals active (average progress 55%), 1 completed.",
        ),
        (
            {"total_sessions": 4, "average_mood_improvement": 0.0, "goals": (4, 1, 2, 1, 20)},
            "4 sessions since 3 March 2026; mood unchanged on average; "
            "1 of 4 goals active (average progress 20%), 2 completed, 1 paused.",
        ),
        (
            {"total_sessions": 2, "average_mood_improvement": -0.4, "goals": (2, 0, 2, 0, None)},
            "2 sessions since 3 March 2026; mood declined by 0.4 points on average; 0 of 2 goals active, 2 completed.",
        ),
        (
            {"total_sessions": 0, "average_mood_improvement": None, "goals": (0, 0, 0, 0, None)},
            "No completed sessions yet; no therapy goals set.",
        ),
    ],
)
def test_progress_summary_text(figures, text):
    total, active, completed, paused, progress = figures["goals"]
    assert (
        progress_summary_text(
            total_sessions=figures["total_sessions"],
            first_session_date=datetime.date(2026, 3, 3) if figures["total_sessions"] else None,
            average_mood_improvement=figures["average_mood_improvement"],
            goals_total=total,
            goals_active=active,
            goals_completed=completed,
            goals_paused=paused,
            goals_active_average_progress=progress,
        )
        == text
    )


def test_a_dutch_therapist_reads_the_summary_in_dutch(api, therapist, history):
    therapist.preferred_language = "nl"
    therapist.save(update_fields=["preferred_language"])
    response = api.get(_url(history))
    assert response["Content-Language"] == "nl"
    assert response.json()["data"]["progressSummary"] == (
        "5 sessies sinds 3 maart 2026; stemming gemiddeld 1,7 punten verbeterd; "
        "2 van 3 doelen actief (gemiddelde voortgang 55%), 1 behaald."
    )
