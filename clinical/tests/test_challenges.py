"""Challenges as the frontend's pages use them: list (data.challenges), create, duplicate,
delete, assign from the assign page and from the session page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.models import AssignmentStatus, Challenge, ChallengeAssignment
from clinical.services.homework import assignment_set_status
from clinical.tests.factories import ChallengeAssignmentFactory, ChallengeFactory, SessionFactory
from practice.errors import ConflictError
from practice.models import AuditEvent
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

# Tuesday 3 March 2026, 10:00 in Amsterdam.
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

#: What CreateChallenge.tsx sends.
CREATE_BODY = {
    "title": "30 days of calm breathing",
    "description": "A short breathing exercise every day.",
    "category": "mindfulness",
    "difficulty": "beginner",
    "duration": 30,
    "durationMinutes": 15,
    "frequencyPerWeek": 7,
    "totalWeeks": 4,
    "targetValue": 30,
    "targetUnit": "days",
    "isPublic": False,
    "instructions": ["Sit comfortably", "Breathe in for four counts", ""],
    "tips": ["Same time every day"],
    "milestones": [{"title": "First week", "target": 7, "reward": "A walk in the park"}],
    "rewards": {"completion": "", "milestones": []},
}
#: What the list page reads of each challenge.
PAGE_FIELDS = {
    "id",
    "title",
    "description",
    "category",
    "difficulty",
    "duration",
    "durationMinutes",
    "frequencyPerWeek",
    "targetUnit",
    "isPublic",
    "assignedCount",
    "activeCount",
    "completionRate",
    "milestones",
    "createdAt",
}


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def test_create_as_the_create_page_sends_it(api, therapist):
    response = api.post("/api/challenges", CREATE_BODY, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert set(data) >= PAGE_FIELDS
    challenge = Challenge.objects.get(pk=data["id"])
    assert (challenge.author, challenge.practice_id) == (therapist, therapist.practice_id)
    assert challenge.duration_days == 30
    assert challenge.instructions == ["Sit comfortably", "Breathe in for four counts"]  # blank dropped
    assert challenge.milestones == [{"title": "First week", "target": 7, "reward": "A walk in the park"}]
    assert data["createdBy"] == data["created_by"] == str(therapist.pk)
    assert (data["assignedCount"], data["completionRate"]) == (0, 0)


def test_list_shape_and_visibility(api, therapist, other_therapist, other_practice_therapist):
    mine = ChallengeFactory(author=therapist)
    shared = ChallengeFactory(author=other_therapist, is_public=True)
    ChallengeFactory(author=other_therapist)  # the colleague's own
    ChallengeFactory(author=other_practice_therapist, is_public=True)
    ChallengeFactory(author=therapist, deleted_at=NOW)  # hidden
    response = api.get("/api/challenges")
    assert response.status_code == 200
    body = response.json()
    assert body["pagination"]["total"] == 2
    items = body["data"]["challenges"]
    assert {item["id"] for item in items} == {str(mine.pk), str(shared.pk)}
    assert set(items[0]) >= PAGE_FIELDS


def test_staff_see_the_practice_wide_ones_and_cannot_write(staff_api, therapist):
    shared = ChallengeFactory(author=therapist, is_public=True)
    ChallengeFactory(author=therapist)
    items = staff_api.get("/api/challenges").json()["data"]["challenges"]
    assert [item["id"] for item in items] == [str(shared.pk)]
    response = staff_api.post("/api/challenges", CREATE_BODY, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "therapists_only"
    assert Challenge.objects.count() == 2


def test_duplicate_sends_back_the_list_item(api, therapist):
    milestones = [{"title": "a", "target": 1, "reward": ""}]
    original = ChallengeFactory(author=therapist, is_public=True, milestones=milestones)
    item = api.get("/api/challenges").json()["data"]["challenges"][0]
    copy = {k: v for k, v in item.items() if k not in ("id", "createdAt", "updatedAt")}
    copy.update(title=f"{item['title']} (Copy)", isPublic=False)
    response = api.post("/api/challenges", copy, format="json")
    assert response.status_code == 201, response.json()
    duplicate = Challenge.objects.exclude(pk=original.pk).get()
    assert duplicate.title.endswith("(Copy)")
    assert duplicate.milestones == original.milestones


@pytest.mark.parametrize(
    "change,field",
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"duration": 0}, "duration"),
        ({"duration": "30"}, "duration"),
        ({"difficulty": "expert"}, "difficulty"),
        ({"isPublic": "yes"}, "isPublic"),
        ({"instructions": "breathe"}, "instructions"),
        ({"milestones": [{"target": 3}]}, "milestones.0.title"),
        ({"category": "c" * 51}, "category"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(api, change, field):
    response = api.post("/api/challenges", {**CREATE_BODY, **change}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Challenge.objects.exists()


def test_assign_as_the_assign_page_sends_it(api, therapist, client_record):
    challenge = ChallengeFactory(author=therapist, duration_days=21)
    body = {
        "clientId": str(client_record.pk),
        "startDate": "2026-03-04",
        "customInstructions": "Before breakfast",
        "sendNotification": True,
    }
    response = api.post(f"/api/challenges/{challenge.pk}/assign", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["status"] == "assigned"
    assert (data["start_date"], data["due_date"]) == ("2026-03-04", "2026-03-25")
    assignment = ChallengeAssignment.objects.get()
    assert (assignment.client, assignment.therapist, assignment.custom_instructions) == (
        client_record,
        therapist,
        "Before breakfast",
    )
    assert AuditEvent.objects.filter(record_type="challenge_assignment", client=client_record).count() == 1
    listed = api.get("/api/challenges").json()["data"]["challenges"][0]
    assert (listed["assignedCount"], listed["activeCount"]) == (1, 1)


def test_the_session_page_assigns_with_the_client_only(api, therapist, client_record):
    challenge = ChallengeFactory(author=therapist)
    response = api.post(f"/api/challenges/{challenge.pk}/assign", {"clientId": str(client_record.pk)}, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["start_date"] == "2026-03-03"  # today in Amsterdam


def test_assigning_in_a_session(api, therapist, client_record):
    challenge = ChallengeFactory(author=therapist)
    session = SessionFactory(appointment__therapist=therapist, appointment__client=client_record)
    other = SessionFactory(appointment__therapist=therapist, appointment__starts_at=NOW - timedelta(days=14))
    bad = api.post(
        f"/api/challenges/{challenge.pk}/assign",
        {"clientId": str(client_record.pk), "sessionId": str(other.pk)},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "sessionId"
    response = api.post(
        f"/api/challenges/{challenge.pk}/assign",
        {"clientId": str(client_record.pk), "sessionId": str(session.pk)},
        format="json",
    )
    assert response.json()["data"]["session_id"] == str(session.pk)


def test_one_open_assignment_per_client(api, therapist, client_record):
    challenge = ChallengeFactory(author=therapist)
    url = f"/api/challenges/{challenge.pk}/assign"
    first = api.post(url, {"clientId": str(client_record.pk)}, format="json")
    again = api.post(url, {"clientId": str(client_record.pk)}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_assigned"
    assert again.json()["data"]["assignmentId"] == first.json()["data"]["id"]
    assignment = ChallengeAssignment.objects.get()
    assignment_set_status(assignment=assignment, status=AssignmentStatus.COMPLETED)
    # Completed: it may be assigned again.
    assert api.post(url, {"clientId": str(client_record.pk)}, format="json").status_code == 201
    listed = api.get("/api/challenges").json()["data"]["challenges"][0]
    assert (listed["assignedCount"], listed["activeCount"], listed["completionRate"]) == (2, 1, 50)


@pytest.mark.parametrize(
    "body,field",
    [
        ({"startDate": "2026-03-01"}, "startDate"),  # two days back
        ({"startDate": "2027-06-01"}, "startDate"),
        ({"startDate": "03/04/2026"}, "startDate"),
        ({"sendNotification": "yes"}, "sendNotification"),
        ({"clientId": "nope"}, "clientId"),
    ],
)
def test_bad_assignment_is_a_400_and_writes_nothing(api, therapist, client_record, body, field):
    challenge = ChallengeFactory(author=therapist)
    response = api.post(
        f"/api/challenges/{challenge.pk}/assign", {"clientId": str(client_record.pk), **body}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not ChallengeAssignment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_only_own_clients_and_only_therapists(api, staff_api, therapist, practice, other_therapist):
    shared = ChallengeFactory(author=other_therapist, is_public=True)
    colleague_client = ClientFactory(practice=practice, therapists=[other_therapist])
    response = api.post(f"/api/challenges/{shared.pk}/assign", {"clientId": str(colleague_client.pk)}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "clientId"
    staff = staff_api.post(f"/api/challenges/{shared.pk}/assign", {"clientId": str(colleague_client.pk)}, format="json")
    assert staff.status_code == 403
    assert not ChallengeAssignment.objects.exists()


def test_delete_is_the_authors_and_hides_what_was_assigned(
    api, other_therapist_api, staff_api, therapist, client_record
):
    unused = ChallengeFactory(author=therapist, is_public=True)
    used = ChallengeFactory(author=therapist)
    ChallengeAssignmentFactory(challenge=used, client=client_record)
    assert other_therapist_api.delete(f"/api/challenges/{unused.pk}").status_code == 403
    assert other_therapist_api.delete(f"/api/challenges/{used.pk}").status_code == 404
    assert api.delete(f"/api/challenges/{unused.pk}").status_code == 200
    assert not Challenge.objects.filter(pk=unused.pk).exists()
    response = api.delete(f"/api/challenges/{used.pk}")
    assert response.status_code == 200
    used.refresh_from_db()
    assert used.deleted_at is not None
    assert ChallengeAssignment.objects.filter(challenge=used).exists()
    assert api.get("/api/challenges").json()["data"]["challenges"] == []
    assert api.delete(f"/api/challenges/{used.pk}").status_code == 404


def test_staff_may_delete_a_practice_wide_one(staff_api, therapist):
    shared = ChallengeFactory(author=therapist, is_public=True)
    assert staff_api.delete(f"/api/challenges/{shared.pk}").status_code == 200


def test_list_query_count_is_constant(api, therapist, practice):
    def add(count: int) -> None:
        for _ in range(count):
            challenge = ChallengeFactory(author=therapist)
            client = ClientFactory(practice=practice, therapists=[therapist])
            ChallengeAssignmentFactory(challenge=challenge, client=client)

    add(2)
    with CaptureQueriesContext(connection) as small:
        assert len(api.get("/api/challenges?limit=100").json()["data"]["challenges"]) == 2
    add(30)
    with CaptureQueriesContext(connection) as large:
        assert len(api.get("/api/challenges?limit=100").json()["data"]["challenges"]) == 32
    assert len(small) == len(large)


def test_assignment_status_moves_forward_only(therapist, client_record):
    assignment = ChallengeAssignmentFactory(challenge=ChallengeFactory(author=therapist), client=client_record)
    assignment_set_status(assignment=assignment, status=AssignmentStatus.IN_PROGRESS)
    assignment_set_status(assignment=assignment, status=AssignmentStatus.COMPLETED)
    assert assignment.completed_at is not None
    with pytest.raises(ConflictError):
        assignment_set_status(assignment=assignment, status=AssignmentStatus.IN_PROGRESS)
