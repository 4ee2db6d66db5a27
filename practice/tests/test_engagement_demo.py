"""The demo shows the engagement pages filled: therapist1's bell, sidebar counts, their
conversation with staff, and a challenge and resource library with assignments."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from conftest import demo_sign_in
from practice.models import User

pytestmark = pytest.mark.django_db


def _signed_in(email: str) -> APIClient:
    api = APIClient()
    tokens = demo_sign_in(api, email, "pw")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    return api


def test_the_demo_therapist_sees_notifications_messages_and_homework():
    call_command("seed_demo", "--password", "pw", "--with-2fa")
    api = _signed_in("therapist1@demo.example")
    bell = api.get("/api/notifications?limit=20&unreadOnly=false").json()["data"]
    kinds = {item["kind"] for item in bell["notifications"]}
    assert {"appointment_booked", "appointment_cancelled", "message_received"} <= kinds
    assert bell["unreadCount"] > 0
    counts = api.get("/api/therapist/notifications/counts").json()["data"]
    assert counts["appointments"] > 0 and counts["messages"] == 2
    staff = User.objects.get(email="staff@demo.example")
    conversation = api.get(f"/api/messages/conversation/{staff.pk}").json()["data"]["messages"]
    assert len(conversation) == 4
    challenges = api.get("/api/challenges").json()["data"]["challenges"]
    assert len(challenges) == 4 and any(c["assignedCount"] for c in challenges)
    resources = api.get("/api/resources").json()["data"]["resources"]
    assert len(resources) == 4 and any(r["assignmentCount"] for r in resources)
    # Another therapist of the practice sees the practice-wide library, not therapist1's own challenge.
    other = _signed_in("therapist2@demo.example")
    assert len(other.get("/api/challenges").json()["data"]["challenges"]) == 3
    call_command("seed_demo", "--reset", "--password", "pw", "--with-2fa")
    again = _signed_in("therapist1@demo.example").get("/api/messages/conversations").json()["data"]
    assert len(again["conversations"]) == 2
