"""In-app notifications: the bell (GET /api/notifications, mark read, mark all read,
delete), the sidebar counts, and ``user_notify`` writing inside the caller's transaction."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from practice.models import UserNotification
from practice.services.notifications import user_notify
from practice.tests.factories import MessageFactory, UserNotificationFactory

pytestmark = pytest.mark.django_db


def test_the_bell_reads_its_notifications_and_the_unread_count(api, therapist, other_therapist):
    older = UserNotificationFactory(recipient=therapist, title="Older", is_read=True, read_at="2026-01-01T00:00Z")
    newer = UserNotificationFactory(recipient=therapist, kind=UserNotification.Kind.APPOINTMENT_CANCELLED)
    UserNotificationFactory(recipient=other_therapist)
    # As NotificationBell.tsx asks.
    response = api.get("/api/notifications?limit=20&unreadOnly=false")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["data"]["unreadCount"] == 1
    items = body["data"]["notifications"]
    assert [item["id"] for item in items] == [str(newer.pk), str(older.pk)]
    assert items[0]["type"] == "appointment"
    assert items[0]["kind"] == "appointment_cancelled"
    assert set(items[0]) >= {"id", "title", "message", "type", "priority", "is_read", "created_at", "action_url"}
    assert body["pagination"]["total"] == 2


@pytest.mark.parametrize("query", ["unreadOnly=true", "isRead=false"])
def test_unread_filters(api, therapist, query):
    UserNotificationFactory(recipient=therapist, is_read=True, read_at="2026-01-01T00:00Z")
    unread = UserNotificationFactory(recipient=therapist)
    items = api.get(f"/api/notifications?{query}&limit=5").json()["data"]["notifications"]
    assert [item["id"] for item in items] == [str(unread.pk)]


def test_bad_filter_value_is_a_400(api):
    response = api.get("/api/notifications?unreadOnly=perhaps")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_mark_read_mark_all_and_delete(api, therapist):
    first, _second, third = UserNotificationFactory.create_batch(3, recipient=therapist)
    response = api.put(f"/api/notifications/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["data"]["is_read"] is True
    first.refresh_from_db()
    read_at = first.read_at
    api.put(f"/api/notifications/{first.pk}/read")
    first.refresh_from_db()
    assert first.read_at == read_at  # marking again keeps the first time

    response = api.put("/api/notifications/mark-all-read")
    assert response.status_code == 200
    assert response.json()["data"] == {"updated": 2}
    assert not UserNotification.objects.filter(recipient=therapist, is_read=False).exists()

    assert api.delete(f"/api/notifications/{third.pk}").status_code == 200
    assert not UserNotification.objects.filter(pk=third.pk).exists()


def test_each_user_reaches_only_their_own(api, other_therapist_api, staff_api, other_practice_api, therapist):
    mine = UserNotificationFactory(recipient=therapist)
    for caller in (other_therapist_api, staff_api, other_practice_api):
        assert caller.put(f"/api/notifications/{mine.pk}/read").status_code == 404
        assert caller.delete(f"/api/notifications/{mine.pk}").status_code == 404
        assert caller.put("/api/notifications/mark-all-read").json()["data"] == {"updated": 0}
        assert caller.get("/api/notifications").json()["data"]["notifications"] == []
    mine.refresh_from_db()
    assert mine.is_read is False


def test_sidebar_counts(api, therapist, staff):
    UserNotificationFactory(recipient=therapist, kind=UserNotification.Kind.APPOINTMENT_MOVED)
    UserNotificationFactory(recipient=therapist, kind=UserNotification.Kind.APPOINTMENT_NO_SHOW)
    UserNotificationFactory(recipient=therapist, kind=UserNotification.Kind.SURVEY_FLAGGED)
    UserNotificationFactory(recipient=therapist, kind=UserNotification.Kind.MESSAGE_RECEIVED)
    UserNotificationFactory(
        recipient=therapist, kind=UserNotification.Kind.APPOINTMENT_BOOKED, is_read=True, read_at="2026-01-01T00:00Z"
    )
    MessageFactory.create_batch(2, sender=staff, recipient=therapist)
    response = api.get("/api/therapist/notifications/counts")
    assert response.status_code == 200
    # Two unread messages counted once each, not again through their notification.
    assert response.json()["data"] == {"clients": 1, "appointments": 2, "messages": 2, "total": 5}


def test_user_notify_writes_inside_the_callers_transaction(therapist, other_therapist):
    with transaction.atomic():
        user_notify(recipients=[therapist, therapist, other_therapist], kind="system", title="Hello")
        transaction.set_rollback(True)
    assert not UserNotification.objects.exists()
    rows = user_notify(recipients=[therapist, therapist], kind="system", title="x" * 500)
    assert len(rows) == 1  # once per recipient
    assert len(UserNotification.objects.get().title) == 200


def test_user_notify_refuses_an_unknown_kind(therapist):
    with pytest.raises(ValueError):
        user_notify(recipients=[therapist], kind="gossip", title="Hello")


def test_list_and_counts_query_counts_are_constant(api, therapist):
    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as listing:
            assert api.get("/api/notifications?limit=100").status_code == 200
        with CaptureQueriesContext(connection) as counts:
            assert api.get("/api/therapist/notifications/counts").status_code == 200
        return len(listing), len(counts)

    UserNotificationFactory.create_batch(3, recipient=therapist)
    small = measure()
    UserNotificationFactory.create_batch(60, recipient=therapist)
    assert measure() == small
