import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.tests.factories import SessionTemplateFactory
from practice.tests.queries import data_statements

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(practice, therapist, other_therapist, other_practice):
    return {
        "practice": SessionTemplateFactory(
            practice=practice, name="B intake", session_type="intake", duration_minutes=60
        ),
        "own": SessionTemplateFactory(practice=practice, therapist=therapist, name="A my CBT"),
        "colleague": SessionTemplateFactory(practice=practice, therapist=other_therapist, name="C theirs"),
        "retired": SessionTemplateFactory(practice=practice, name="D retired", is_active=False),
        "elsewhere": SessionTemplateFactory(practice=other_practice, name="E elsewhere"),
    }


def test_practice_wide_plus_own_templates(api, therapist, templates):
    response = api.get(f"/api/therapists/{therapist.pk}/session-templates")
    assert response.status_code == 200
    data = response.json()["data"]
    assert [t["name"] for t in data["templates"]] == ["A my CBT", "B intake"]
    assert data["templates"][1] == {
        "id": str(templates["practice"].pk),
        "name": "B intake",
        "type": "intake",
        "defaultGoals": ["Reduce anxiety", "Build coping skills"],
        "commonTechniques": ["CBT", "Breathing exercises"],
        "duration": 60,
        "therapistId": None,
    }
    assert data["templates"][0]["therapistId"] == str(therapist.pk)


def test_staff_read_any_therapist_of_their_practice(staff_api, other_therapist, templates):
    data = staff_api.get(f"/api/therapists/{other_therapist.pk}/session-templates").json()["data"]
    assert [t["name"] for t in data["templates"]] == ["B intake", "C theirs"]


def test_other_therapists_and_practices_are_404(api, other_practice_api, staff_api, other_therapist, staff, therapist):
    assert api.get(f"/api/therapists/{other_therapist.pk}/session-templates").status_code == 404
    assert other_practice_api.get(f"/api/therapists/{therapist.pk}/session-templates").status_code == 404
    # Staff are not therapists: there are no templates "of" them.
    assert staff_api.get(f"/api/therapists/{staff.pk}/session-templates").status_code == 404


def test_anonymous_is_401_and_bad_id_is_404(anon_api, api, therapist):
    assert anon_api.get(f"/api/therapists/{therapist.pk}/session-templates").status_code == 401
    assert api.get("/api/therapists/not-a-uuid/session-templates").status_code == 404


def test_query_count_does_not_grow_with_templates(api, practice, therapist):
    SessionTemplateFactory.create_batch(30, practice=practice)
    with CaptureQueriesContext(connection) as queries:
        assert len(api.get(f"/api/therapists/{therapist.pk}/session-templates").json()["data"]["templates"]) == 30
    assert len(data_statements(queries)) <= 5
