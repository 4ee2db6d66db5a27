"""Messages between members of one practice: sending, the inbox page's call
(GET /api/messages/conversation/{ownUserId}), a conversation, the conversation list, read
receipts, the recipient's notification, the audit trail, and bodies kept out of logs."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.models import AuditEvent, Message, UserNotification
from practice.serializers import conversation_id
from practice.tests.factories import MessageFactory, TherapistFactory

pytestmark = pytest.mark.django_db

BODY = "Client A. mentioned thoughts of self-harm; please call me."


def _send(api, recipient, **extra):
    return api.post("/api/messages", {"recipientId": str(recipient.pk), "content": BODY, **extra}, format="json")


def test_staff_send_a_message_and_the_therapist_is_notified(staff_api, staff, therapist, caplog):
    with caplog.at_level(logging.DEBUG):
        response = _send(staff_api, therapist, subject="Call back", priority="high")
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["sender_id"] == str(staff.pk)
    assert data["recipient_id"] == str(therapist.pk)
    assert data["recipient_name"] == therapist.full_name
    assert data["sender_role"] == "staff"
    assert data["content"] == BODY
    assert data["read"] is False and data["read_at"] is None
    assert data["conversation_id"] == conversation_id(therapist.pk, staff.pk)
    notification = UserNotification.objects.get(recipient=therapist)
    assert notification.kind == "message_received"
    assert notification.priority == "high"
    assert notification.message == "Call back"
    assert BODY not in notification.title + notification.message
    assert notification.related_entity_id == Message.objects.get().pk
    assert AuditEvent.objects.filter(record_type="message", action="create", actor=staff).count() == 1
    assert BODY not in caplog.text


def test_the_inbox_page_reads_all_of_its_own_messages(api, therapist, staff, other_therapist):
    received = MessageFactory(sender=staff, recipient=therapist)
    sent = MessageFactory(sender=therapist, recipient=other_therapist)
    MessageFactory(sender=staff, recipient=other_therapist)  # not theirs
    response = api.get(f"/api/messages/conversation/{therapist.pk}")
    assert response.status_code == 200
    data = response.json()["data"]
    assert {m["id"] for m in data["messages"]} == {str(received.pk), str(sent.pk)}
    assert data["unreadCount"] == 1
    first = data["messages"][0]
    assert set(first) >= {"id", "sender_id", "sender_name", "sender_role", "recipient_id", "recipient_name"}
    assert set(first) >= {"subject", "content", "read", "priority", "created_at", "parent_message_id"}
    # One audit entry for the page, naming both messages read.
    read = AuditEvent.objects.get(record_type="message", action="view", actor=therapist)
    assert sorted(read.named_record_ids) == sorted([str(received.pk), str(sent.pk)])


def test_a_conversation_holds_only_the_two_members_messages(api, therapist, staff, other_therapist):
    mine = [MessageFactory(sender=staff, recipient=therapist), MessageFactory(sender=therapist, recipient=staff)]
    MessageFactory(sender=other_therapist, recipient=therapist)
    data = api.get(f"/api/messages/conversation/{staff.pk}").json()["data"]
    assert [m["id"] for m in data["messages"]] == [str(mine[1].pk), str(mine[0].pk)]  # newest first
    assert data["unreadCount"] == 1


def test_the_conversation_list(api, therapist, staff, other_therapist):
    MessageFactory(sender=staff, recipient=therapist, content="first")
    MessageFactory(sender=staff, recipient=therapist, content="second")
    MessageFactory(sender=therapist, recipient=other_therapist, content="to a colleague")
    response = api.get("/api/messages/conversations")
    assert response.status_code == 200
    conversations = response.json()["data"]["conversations"]
    assert [c["participant_id"] for c in conversations] == [str(other_therapist.pk), str(staff.pk)]
    colleague, front_desk = conversations
    assert colleague["last_message"] == "to a colleague"
    assert colleague["unread_count"] == 0 and colleague["is_read"] is True
    assert front_desk["last_message"] == "second"
    assert front_desk["unread_count"] == 2 and front_desk["is_read"] is False
    assert front_desk["participant_role"] == "staff"
    assert front_desk["conversation_id"] == conversation_id(staff.pk, therapist.pk)


def test_list_by_folder(api, therapist, staff):
    received = MessageFactory(sender=staff, recipient=therapist)
    sent = MessageFactory(sender=therapist, recipient=staff)
    ids = lambda query: [m["id"] for m in api.get(f"/api/messages?{query}").json()["data"]["messages"]]  # noqa: E731
    assert ids("folder=inbox") == [str(received.pk)]
    assert ids("folder=sent") == [str(sent.pk)]
    assert set(ids("")) == {str(received.pk), str(sent.pk)}
    assert ids("unreadOnly=true") == [str(received.pk)]


def test_read_receipt(api, staff_api, therapist, staff):
    message = MessageFactory(sender=staff, recipient=therapist)
    assert staff_api.put(f"/api/messages/{message.pk}/read").status_code == 403  # the sender
    response = api.put(f"/api/messages/{message.pk}/read")
    assert response.status_code == 200
    assert response.json()["data"]["read"] is True
    message.refresh_from_db()
    first = message.read_at
    assert first is not None
    api.put(f"/api/messages/{message.pk}/read")
    message.refresh_from_db()
    assert message.read_at == first
    # The sender sees the receipt.
    seen = staff_api.get(f"/api/messages/conversation/{therapist.pk}").json()["data"]["messages"][0]
    assert seen["read_at"] is not None


def test_only_participants_reach_a_message(other_therapist_api, other_practice_api, therapist, staff):
    message = MessageFactory(sender=staff, recipient=therapist)
    for caller in (other_therapist_api, other_practice_api):
        assert caller.put(f"/api/messages/{message.pk}/read").status_code == 404
        assert caller.get("/api/messages").json()["data"]["messages"] == []
    assert other_therapist_api.get(f"/api/messages/conversation/{therapist.pk}").json()["data"]["messages"] == []
    message.refresh_from_db()
    assert message.read_at is None


def test_a_member_of_another_practice_is_a_404(api, other_practice_therapist):
    response = _send(api, other_practice_therapist)
    assert response.status_code == 404
    assert api.get(f"/api/messages/conversation/{other_practice_therapist.pk}").status_code == 404
    assert not Message.objects.exists()
    assert not UserNotification.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"recipientId": None, "content": "hi"}, "recipientId"),
        ({"recipientId": "not-a-uuid", "content": "hi"}, "recipientId"),
        ({"content": "   "}, "content"),
        ({"content": 12}, "content"),
        ({"content": "x" * 20_001}, "content"),
        ({"content": "hi", "priority": "whenever"}, "priority"),
        ({"content": "hi", "subject": "s" * 201}, "subject"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(api, staff, body, field):
    body = {key: value for key, value in {"recipientId": str(staff.pk), **body}.items() if value is not None}
    response = api.post("/api/messages", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Message.objects.exists()
    assert not UserNotification.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_message_to_oneself_or_a_foreign_reply_is_a_400(api, therapist, staff, other_therapist):
    assert _send(api, therapist).json()["errors"][0]["field"] == "recipientId"
    foreign = MessageFactory(sender=staff, recipient=other_therapist)
    response = _send(api, staff, parentMessageId=str(foreign.pk))
    assert response.status_code == 400
    assert Message.objects.count() == 1


def test_a_reply_links_to_its_message(api, therapist, staff):
    question = MessageFactory(sender=staff, recipient=therapist)
    response = _send(api, staff, parentMessageId=str(question.pk))
    assert response.json()["data"]["parent_message_id"] == str(question.pk)


def test_read_query_counts_are_constant(api, therapist, staff):
    def measure() -> list[int]:
        sizes = []
        for path in (f"/api/messages/conversation/{therapist.pk}", "/api/messages", "/api/messages/conversations"):
            with CaptureQueriesContext(connection) as queries:
                assert api.get(f"{path}?limit=100").status_code == 200
            sizes.append(len(queries))
        return sizes

    colleagues = TherapistFactory.create_batch(2, practice=therapist.practice)
    for colleague in colleagues:
        MessageFactory(sender=colleague, recipient=therapist)
    small = measure()
    for colleague in TherapistFactory.create_batch(10, practice=therapist.practice):
        MessageFactory.create_batch(4, sender=colleague, recipient=therapist)
        MessageFactory(sender=therapist, recipient=colleague)
    assert measure() == small
