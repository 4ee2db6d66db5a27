"""Who may do what with one therapist's session: every route x every role. Clinical
content is the therapist's alone: staff get 404 like everyone else, and a denied request
neither changes the session nor writes an audit entry."""

import pytest

from clinical.models import MoodReading, Session
from clinical.tests.factories import SessionFactory
from conftest import authenticated_client
from practice.models import AuditEvent

pytestmark = pytest.mark.django_db

ROLES = ["owner", "colleague", "staff", "other_practice", "anonymous"]

ROUTES = [
    ("get", "/api/sessions/{id}", None, [200, 404, 404, 404, 401]),
    ("put", "/api/sessions/{id}/progress", {"clientMoodCurrent": 6}, [200, 404, 404, 404, 401]),
    ("post", "/api/sessions/{id}/end", {"moodEnd": 7}, [200, 404, 404, 404, 401]),
    ("get", "/api/therapists/{therapist}/session-templates", None, [200, 404, 200, 404, 401]),
]


@pytest.fixture
def callers(therapist, other_therapist, staff, other_practice_therapist, anon_api):
    return {
        "owner": authenticated_client(therapist),
        "colleague": authenticated_client(other_therapist),
        "staff": authenticated_client(staff),
        "other_practice": authenticated_client(other_practice_therapist),
        "anonymous": anon_api,
    }


@pytest.fixture
def live_session(therapist, client_record):
    return SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__status="in_progress",
        status=Session.Status.IN_PROGRESS,
        ended_at=None,
        mood_end=None,
    )


@pytest.mark.parametrize(("method", "path", "body", "expected"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_route_by_role(callers, therapist, live_session, method, path, body, expected, role):
    before = Session.objects.values().get(pk=live_session.pk)
    url = path.format(id=live_session.pk, therapist=therapist.pk)
    response = getattr(callers[role], method)(url, body, format="json")
    status = expected[ROLES.index(role)]
    assert response.status_code == status, response.json()
    if status >= 400:
        assert Session.objects.values().get(pk=live_session.pk) == before
        assert not MoodReading.objects.exists()
        assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_lists_by_role(callers, live_session, role):
    for url in ("/api/sessions", "/api/sessions/active"):
        response = callers[role].get(url)
        if role == "anonymous":
            assert response.status_code == 401
            continue
        assert response.json()["pagination"]["total"] == (1 if role == "owner" else 0)
    assert AuditEvent.objects.count() == (2 if role == "owner" else 0)
