"""/api/clients/{id}/therapy-goals (seed #3): list, add and update goals; assigned
therapists only, every request audited once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.models import TherapyGoal
from clinical.tests.factories import TherapyGoalFactory
from conftest import authenticated_client
from practice.models import AuditEvent
from practice.services.audit import audit_seal
from practice.tests.factories import ClientFactory
from practice.tests.queries import data_statements

pytestmark = pytest.mark.django_db

# 23:30 UTC is already the next day in Amsterdam (the practice's time zone).
NOW = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC)
LOCAL_TODAY = "2026-03-11"


@pytest.fixture
def frozen_api(therapist):
    """The therapist's API at NOW (the token is issued in the frozen time too)."""
    with time_machine.travel(NOW, tick=False):
        yield authenticated_client(therapist)


def url(client, goal=None) -> str:
    base = f"/api/clients/{client.pk}/therapy-goals"
    return f"{base}/{goal.pk}" if goal else base


def iso(value: datetime.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def test_list_returns_the_seed_payload_in_the_page_envelope(api, client_record, therapist):
    goal = TherapyGoalFactory(
        client=client_record, goal="Sleep 7 hours", progress=40, target_date=datetime.date(2026, 6, 1)
    )
    response = api.get(url(client_record))
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["data"] == {
        "goals": [
            {
                "id": str(goal.pk),
                "goal": "Sleep 7 hours",
                "status": "active",
                "progress": 40,
                "createdAt": iso(goal.created_at),
                "targetDate": "2026-06-01",
                "updatedAt": iso(goal.updated_at),
                "completedAt": None,
            }
        ]
    }
    assert body["pagination"] == {
        "page": 1,
        "limit": 20,
        "total": 1,
        "totalPages": 1,
        "hasNext": False,
        "hasPrev": False,
    }


def test_list_filters_by_status_and_rejects_unknown_status(api, client_record):
    TherapyGoalFactory(client=client_record, status="active")
    paused = TherapyGoalFactory(client=client_record, status="paused")
    TherapyGoalFactory(client=client_record, status="completed", progress=100)
    body = api.get(url(client_record) + "?status=paused&_t=1").json()
    assert [g["id"] for g in body["data"]["goals"]] == [str(paused.pk)]
    bad = api.get(url(client_record) + "?status=finished")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "status"
    assert AuditEvent.objects.count() == 1  # the failed request left none


def test_list_shows_only_this_clients_goals_from_every_assigned_therapist(
    api, practice, therapist, other_therapist, client_record
):
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    mine = TherapyGoalFactory(client=shared, therapist=therapist)
    theirs = TherapyGoalFactory(client=shared, therapist=other_therapist)
    TherapyGoalFactory(client=client_record)
    goals = api.get(url(shared)).json()["data"]["goals"]
    assert [g["id"] for g in goals] == [str(mine.pk), str(theirs.pk)]


def test_create_a_goal(frozen_api, client_record, therapist):
    response = frozen_api.post(url(client_record), {"goal": "  Walk daily  ", "targetDate": LOCAL_TODAY}, format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    goal = TherapyGoal.objects.get()
    assert data == {
        "id": str(goal.pk),
        "goal": "Walk daily",
        "status": "active",
        "progress": 0,
        "createdAt": "2026-03-10T23:30:00Z",
        "targetDate": LOCAL_TODAY,
        "updatedAt": "2026-03-10T23:30:00Z",
        "completedAt": None,
    }
    assert goal.therapist == therapist
    assert goal.client == client_record


def test_a_new_goal_with_a_past_target_date_is_a_400(frozen_api, client_record):
    # 2026-03-10 is still today in UTC, but yesterday in the practice's time zone.
    response = frozen_api.post(url(client_record), {"goal": "Walk", "targetDate": "2026-03-10"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "targetDate", "message": "The target date of a new goal cannot be in the past."}
    ]
    assert not TherapyGoal.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_goal_created_completed_has_progress_100(frozen_api, client_record):
    data = frozen_api.post(url(client_record), {"goal": "Done", "status": "completed", "progress": 20}, format="json")
    assert data.status_code == 201
    assert data.json()["data"]["progress"] == 100
    assert data.json()["data"]["completedAt"] == "2026-03-10T23:30:00Z"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "goal"),
        ({"goal": ""}, "goal"),
        ({"goal": "x" * 100_000}, "goal"),
        ({"goal": ["x"]}, "goal"),
        ({"goal": "x", "status": "finished"}, "status"),
        ({"goal": "x", "progress": 101}, "progress"),
        ({"goal": "x", "progress": -1}, "progress"),
        ({"goal": "x", "progress": "lots"}, "progress"),
        ({"goal": "x", "progress": 50.5}, "progress"),
        ({"goal": "x", "targetDate": "2026-02-30"}, "targetDate"),
        ({"goal": "x", "targetDate": "soon"}, "targetDate"),
    ],
)
def test_create_bad_input_is_a_400_and_writes_nothing(api, client_record, body, field):
    response = api.post(url(client_record), body, format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not TherapyGoal.objects.exists()
    assert not AuditEvent.objects.exists()


def test_update_progress_text_and_target_date(api, client_record):
    goal = TherapyGoalFactory(client=client_record, progress=10)
    response = api.patch(
        url(client_record, goal), {"progress": 55, "goal": "Sleep better", "targetDate": "2020-01-01"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()["data"]
    # A past target date is accepted on an existing goal (the rule is for new goals).
    assert (data["progress"], data["goal"], data["targetDate"]) == (55, "Sleep better", "2020-01-01")
    goal.refresh_from_db()
    assert (goal.progress, goal.goal, goal.target_date) == (55, "Sleep better", datetime.date(2020, 1, 1))
    assert api.patch(url(client_record, goal), {"targetDate": None}, format="json").json()["data"]["targetDate"] is None


def test_completing_sets_progress_100_and_reopening_clears_completed_at(frozen_api, client_record):
    goal = TherapyGoalFactory(client=client_record, progress=30)
    done = frozen_api.patch(url(client_record, goal), {"status": "completed"}, format="json").json()["data"]
    assert (done["status"], done["progress"], done["completedAt"]) == ("completed", 100, "2026-03-10T23:30:00Z")

    lowered = frozen_api.patch(url(client_record, goal), {"progress": 80}, format="json")
    assert lowered.status_code == 400
    assert lowered.json()["errors"][0]["field"] == "progress"

    reopened = frozen_api.patch(url(client_record, goal), {"status": "active", "progress": 80}, format="json").json()[
        "data"
    ]
    assert (reopened["status"], reopened["progress"], reopened["completedAt"]) == ("active", 80, None)
    paused = frozen_api.patch(url(client_record, goal), {"status": "paused"}, format="json").json()["data"]
    assert (paused["status"], paused["progress"]) == ("paused", 80)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, None),
        ({"status": "finished"}, "status"),
        ({"status": None}, "status"),
        ({"progress": 101}, "progress"),
        ({"progress": True}, "progress"),
        ({"goal": "x" * 100_000}, "goal"),
        ({"goal": None}, "goal"),
        ({"targetDate": "2026-13-01"}, "targetDate"),
    ],
)
def test_update_bad_input_is_a_400_and_changes_nothing(api, client_record, body, field):
    goal = TherapyGoalFactory(client=client_record, progress=30)
    response = api.patch(url(client_record, goal), body, format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    goal.refresh_from_db()
    assert (goal.status, goal.progress) == ("active", 30)
    assert not AuditEvent.objects.exists()


def test_a_goal_of_another_client_is_a_404(api, practice, therapist, client_record):
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    goal = TherapyGoalFactory(client=other_client, progress=30)
    response = api.patch(f"/api/clients/{client_record.pk}/therapy-goals/{goal.pk}", {"progress": 90}, format="json")
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.progress == 30


def test_put_and_delete_are_not_allowed(api, client_record):
    goal = TherapyGoalFactory(client=client_record)
    assert api.put(url(client_record, goal), {"progress": 1}, format="json").status_code == 405
    assert api.delete(url(client_record, goal)).status_code == 405
    assert TherapyGoal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize("caller", ["other_therapist_api", "staff_api", "other_practice_api"])
def test_others_get_a_404_and_change_nothing(request, caller, client_record):
    goal = TherapyGoalFactory(client=client_record, progress=30)
    api = request.getfixturevalue(caller)
    responses = [
        api.get(url(client_record)),
        api.post(url(client_record), {"goal": "Sneaky"}, format="json"),
        api.patch(url(client_record, goal), {"progress": 99}, format="json"),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert {r.json()["code"] for r in responses} == {"not_found"}
    assert list(TherapyGoal.objects.values_list("goal", "progress")) == [(goal.goal, 30)]
    assert not AuditEvent.objects.exists()


def test_anonymous_is_a_401(anon_api, client_record):
    assert anon_api.get(url(client_record)).status_code == 401


def test_every_request_writes_exactly_one_audit_entry(api, client_record, therapist):
    TherapyGoalFactory.create_batch(3, client=client_record)
    api.get(url(client_record))
    created = api.post(url(client_record), {"goal": "Journal", "progress": 10}, format="json").json()["data"]
    api.patch(f"{url(client_record)}/{created['id']}", {"status": "completed"}, format="json")
    audit_seal()
    entries = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.action, e.record_type, e.record_id, e.changed_fields) for e in entries] == [
        ("view", "therapy_goal_list", str(client_record.pk), []),
        ("create", "therapy_goal", created["id"], ["goal", "progress", "status"]),
        ("update", "therapy_goal", created["id"], ["completed_at", "progress", "status"]),
    ]
    assert {(e.actor_id, e.client_id) for e in entries} == {(therapist.pk, client_record.pk)}
    assert "Journal" not in str(AuditEvent.objects.values_list())


def test_list_query_count_is_constant(api, client_record):
    TherapyGoalFactory.create_batch(2, client=client_record)
    with CaptureQueriesContext(connection) as small:
        assert api.get(url(client_record) + "?limit=100").status_code == 200
    TherapyGoalFactory.create_batch(60, client=client_record)
    with CaptureQueriesContext(connection) as large:
        body = api.get(url(client_record) + "?limit=100").json()
    assert len(body["data"]["goals"]) == 62
    assert len(small) == len(large)
    with CaptureQueriesContext(connection) as again:
        api.get(url(client_record))
    assert len(data_statements(again)) <= 11


def test_write_query_counts_are_bounded(api, client_record, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        created = api.post(url(client_record), {"goal": "Journal"}, format="json")
    goal_id = created.json()["data"]["id"]
    with django_assert_max_num_queries(13):
        assert api.patch(f"{url(client_record)}/{goal_id}", {"progress": 50}, format="json").status_code == 200
