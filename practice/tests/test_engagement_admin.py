"""The admin of notifications, messages, challenges and resources: scoped to the staff
member's practice, and never showing a message's or notification's text."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as BrowserClient
from django.urls import reverse

from clinical.tests.factories import ChallengeAssignmentFactory, ChallengeFactory, ResourceFactory
from practice.tests.factories import MessageFactory, StaffFactory, UserNotificationFactory

pytestmark = pytest.mark.django_db

SECRET = "Client disclosed a relapse last night"


@pytest.fixture
def browser(practice):
    user = StaffFactory(practice=practice, email="frontdesk@test.example")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["practice", "clinical"]))
    client = BrowserClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "app,model", [("practice", "message"), ("practice", "usernotification"), ("clinical", "challenge")]
)
def test_lists_show_only_the_own_practice(
    browser, therapist, staff, other_practice_therapist, client_record, app, model
):
    other_staff = StaffFactory(practice=other_practice_therapist.practice)
    mine, theirs = {
        "message": lambda: (
            MessageFactory(sender=staff, recipient=therapist, content=SECRET, subject=SECRET),
            MessageFactory(sender=other_staff, recipient=other_practice_therapist),
        ),
        "usernotification": lambda: (
            UserNotificationFactory(recipient=therapist, message=SECRET),
            UserNotificationFactory(recipient=other_practice_therapist),
        ),
        "challenge": lambda: (ChallengeFactory(author=therapist), ChallengeFactory(author=other_practice_therapist)),
    }[model]()
    listing = browser.get(reverse(f"admin:{app}_{model}_changelist")).content.decode()
    assert str(mine.pk) in listing
    assert str(theirs.pk) not in listing
    detail = browser.get(reverse(f"admin:{app}_{model}_change", args=[mine.pk]))
    assert detail.status_code == 200
    assert SECRET not in listing + detail.content.decode()
    assert browser.get(reverse(f"admin:{app}_{model}_change", args=[theirs.pk])).status_code == 302


def test_assignment_and_resource_pages_load(browser, therapist, client_record):
    assignment = ChallengeAssignmentFactory(challenge=ChallengeFactory(author=therapist), client=client_record)
    resource = ResourceFactory(author=therapist)
    assert browser.get(reverse("admin:clinical_challengeassignment_changelist")).status_code == 200
    assert browser.get(reverse("admin:clinical_challengeassignment_change", args=[assignment.pk])).status_code == 200
    assert browser.get(reverse("admin:clinical_resource_change", args=[resource.pk])).status_code == 200
