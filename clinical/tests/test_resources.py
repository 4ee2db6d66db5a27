"""Resources as ResourcesManagementInline.tsx uses them: list (data.resources), create,
update, delete and assign; the session page assigns with the client only."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.models import AssignmentStatus, Resource, ResourceAssignment
from clinical.tests.factories import ResourceAssignmentFactory, ResourceFactory
from practice.models import AuditEvent
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

#: What the page sends to create a resource.
CREATE_BODY = {
    "title": "Understanding anxiety",
    "description": "Why anxiety rises and falls.",
    "type": "article",
    "category": "mental_health",
    "contentBody": "Anxiety is the body's alarm system...",
    "contentUrl": "https://example.org/anxiety",
    "difficulty": "beginner",
    "tags": ["anxiety", "psychoeducation"],
    "isPublic": False,
}
#: What the page reads of each resource.
PAGE_FIELDS = {
    "id",
    "title",
    "description",
    "type",
    "category",
    "difficulty",
    "tags",
    "contentBody",
    "url",
    "isPublic",
    "status",
    "assignmentCount",
    "viewCount",
    "createdAt",
    "createdBy",
}


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def test_create_list_and_read_back(api, therapist):
    response = api.post("/api/resources", CREATE_BODY, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()["data"]
    resource = Resource.objects.get(pk=created["id"])
    assert resource.content_url == "https://example.org/anxiety"
    assert resource.status == "published"
    body = api.get("/api/resources").json()
    item = body["data"]["resources"][0]
    assert set(item) >= PAGE_FIELDS
    assert item["url"] == item["content_url"] == "https://example.org/anxiety"
    assert item["createdBy"] == str(therapist.pk)
    assert item["author_name"] == therapist.full_name
    assert body["pagination"]["total"] == 1


def test_a_text_resource_without_an_address(api):
    body = {k: v for k, v in CREATE_BODY.items() if k != "contentUrl"}
    response = api.post("/api/resources", body, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["url"] == ""


@pytest.mark.parametrize(
    "change,field",
    [
        ({"contentUrl": "javascript:alert(1)"}, "contentUrl"),
        ({"contentUrl": "ftp://example.org/file"}, "contentUrl"),
        ({"contentUrl": "file:///etc/passwd"}, "contentUrl"),
        ({"contentUrl": "https://"}, "contentUrl"),
        ({"title": "  "}, "title"),
        ({"type": "podcast"}, "type"),
        ({"tags": "anxiety"}, "tags"),
        ({"tags": [1]}, "tags.0"),
        ({"isPublic": 1}, "isPublic"),
        ({"status": "deleted"}, "status"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(api, change, field):
    response = api.post("/api/resources", {**CREATE_BODY, **change}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Resource.objects.exists()


def test_update_as_the_page_sends_it(api, therapist):
    resource = ResourceFactory(author=therapist)
    body = {
        **CREATE_BODY,
        "title": "Anxiety, explained",
        "shortDescription": CREATE_BODY["description"][:100],
        "contentUrl": "http://example.org/v2",
        "status": "archived",
        "isPublic": True,
    }
    response = api.put(f"/api/resources/{resource.pk}", body, format="json")
    assert response.status_code == 200, response.json()
    resource.refresh_from_db()
    assert (resource.title, resource.content_url, resource.status, resource.is_public) == (
        "Anxiety, explained",
        "http://example.org/v2",
        "archived",
        True,
    )
    # Only what is sent changes.
    assert api.put(f"/api/resources/{resource.pk}", {"title": "Short"}, format="json").status_code == 200
    resource.refresh_from_db()
    assert (resource.title, resource.status) == ("Short", "archived")


def test_bad_update_writes_nothing(api, therapist):
    resource = ResourceFactory(author=therapist, title="Kept")
    response = api.put(f"/api/resources/{resource.pk}", {"title": "New", "contentUrl": "data:x"}, format="json")
    assert response.status_code == 400
    resource.refresh_from_db()
    assert resource.title == "Kept"


def test_who_may_change_and_delete(api, other_therapist_api, staff_api, other_practice_api, therapist):
    shared = ResourceFactory(author=therapist, is_public=True, title="Shared")
    own = ResourceFactory(author=therapist, title="Own")
    assert other_therapist_api.put(f"/api/resources/{shared.pk}", {"title": "x"}, format="json").status_code == 403
    assert other_therapist_api.put(f"/api/resources/{own.pk}", {"title": "x"}, format="json").status_code == 404
    assert other_practice_api.put(f"/api/resources/{shared.pk}", {"title": "x"}, format="json").status_code == 404
    assert other_therapist_api.delete(f"/api/resources/{shared.pk}").status_code == 403
    assert staff_api.delete(f"/api/resources/{own.pk}").status_code == 404
    assert {r.title for r in Resource.objects.all()} == {"Shared", "Own"}
    assert staff_api.put(f"/api/resources/{shared.pk}", {"status": "archived"}, format="json").status_code == 200
    assert api.delete(f"/api/resources/{own.pk}").status_code == 200
    assert not Resource.objects.filter(pk=own.pk).exists()


def test_delete_hides_an_assigned_resource(api, therapist, client_record):
    resource = ResourceFactory(author=therapist)
    ResourceAssignmentFactory(resource=resource, client=client_record)
    assert api.delete(f"/api/resources/{resource.pk}").status_code == 200
    resource.refresh_from_db()
    assert resource.deleted_at is not None
    assert api.get("/api/resources").json()["data"]["resources"] == []


def test_assign_as_the_page_sends_it(api, therapist, client_record):
    resource = ResourceFactory(author=therapist)
    body = {"clientId": str(client_record.pk), "dueDate": "2026-03-10", "priority": "normal", "notes": ""}
    response = api.post(f"/api/resources/{resource.pk}/assign", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert (data["status"], data["due_date"], data["priority"]) == ("assigned", "2026-03-10", "normal")
    assert AuditEvent.objects.filter(record_type="resource_assignment", client=client_record).count() == 1
    again = api.post(f"/api/resources/{resource.pk}/assign", {"clientId": str(client_record.pk)}, format="json")
    assert again.status_code == 409
    assert ResourceAssignment.objects.count() == 1


def test_session_page_assigns_with_the_client_only(api, therapist, client_record):
    resource = ResourceFactory(author=therapist)
    response = api.post(f"/api/resources/{resource.pk}/assign", {"clientId": str(client_record.pk)}, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["due_date"] is None


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_only_a_published_resource_is_assigned(api, therapist, client_record, status):
    resource = ResourceFactory(author=therapist, status=status)
    response = api.post(f"/api/resources/{resource.pk}/assign", {"clientId": str(client_record.pk)}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "not_assignable"


def test_assign_bad_input_and_foreign_clients(api, therapist, practice, other_therapist, client_record):
    resource = ResourceFactory(author=therapist)
    url = f"/api/resources/{resource.pk}/assign"
    colleague_client = ClientFactory(practice=practice, therapists=[other_therapist])
    for body, field in [
        ({"clientId": str(colleague_client.pk)}, "clientId"),
        ({"clientId": str(client_record.pk), "dueDate": "2026-02-01"}, "dueDate"),
        ({"clientId": str(client_record.pk), "priority": "asap"}, "priority"),
        ({"clientId": str(client_record.pk), "notes": 3}, "notes"),
    ]:
        response = api.post(url, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["field"] == field
    assert not ResourceAssignment.objects.exists()


def test_view_count_counts_opened_assignments(api, therapist, practice):
    resource = ResourceFactory(author=therapist)
    for status in (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS):
        ResourceAssignmentFactory(
            resource=resource, client=ClientFactory(practice=practice, therapists=[therapist]), status=status
        )
    item = api.get("/api/resources").json()["data"]["resources"][0]
    assert (item["assignmentCount"], item["viewCount"]) == (2, 1)


def test_list_query_count_is_constant(api, therapist, practice):
    def add(count: int) -> None:
        for _ in range(count):
            client = ClientFactory(practice=practice, therapists=[therapist])
            ResourceAssignmentFactory(resource=ResourceFactory(author=therapist), client=client)

    add(2)
    with CaptureQueriesContext(connection) as small:
        assert len(api.get("/api/resources?limit=100").json()["data"]["resources"]) == 2
    add(30)
    with CaptureQueriesContext(connection) as large:
        assert len(api.get("/api/resources?limit=100").json()["data"]["resources"]) == 32
    assert len(small) == len(large)
