"""Practice staff in the admin see, filter and pick only their own practice's rows."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as BrowserClient
from django.urls import reverse

from clinical.tests.factories import SessionTemplateFactory
from practice.models import User
from practice.tests.factories import ClientFactory, StaffFactory
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_staff(practice):
    user = StaffFactory(practice=practice, email="frontdesk@test.example")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["practice", "scheduling", "clinical"])
    )
    return user


@pytest.fixture
def browser(admin_staff):
    client = BrowserClient()
    client.force_login(admin_staff)
    return client


@pytest.fixture
def worlds(practice, other_practice, therapist, other_practice_therapist):
    mine = ClientFactory(practice=practice, therapists=[therapist], last_name="Ourclient")
    theirs = ClientFactory(practice=other_practice, therapists=[other_practice_therapist], last_name="Theirclient")
    return {
        "client": (mine, theirs),
        "appointment": (
            AppointmentFactory(therapist=therapist, client=mine),
            AppointmentFactory(therapist=other_practice_therapist, client=theirs),
        ),
        "sessiontemplate": (
            SessionTemplateFactory(practice=practice, name="Ours"),
            SessionTemplateFactory(practice=other_practice, name="Theirs"),
        ),
        "user": (therapist, other_practice_therapist),
    }


@pytest.mark.parametrize(
    "app,model",
    [("practice", "client"), ("scheduling", "appointment"), ("clinical", "sessiontemplate"), ("practice", "user")],
)
def test_change_lists_and_pages_show_only_the_own_practice(browser, worlds, app, model):
    mine, theirs = worlds[model]
    listing = browser.get(reverse(f"admin:{app}_{model}_changelist"))
    assert listing.status_code == 200
    assert str(mine.pk) in listing.content.decode()
    assert str(theirs.pk) not in listing.content.decode()
    assert browser.get(reverse(f"admin:{app}_{model}_change", args=[mine.pk])).status_code == 200
    # Another practice's record is as if it did not exist (the admin redirects to its index).
    foreign = browser.get(reverse(f"admin:{app}_{model}_change", args=[theirs.pk]))
    assert foreign.status_code == 302


def test_other_practices_are_not_offered_in_filters_or_choices(browser, worlds, other_practice):
    listing = browser.get(reverse("admin:scheduling_appointment_changelist")).content.decode()
    assert other_practice.name not in listing
    form = browser.get(reverse("admin:scheduling_appointment_add")).content.decode()
    assert other_practice.name not in form


def test_autocomplete_offers_only_the_own_practices_clients(browser, worlds):
    response = browser.get(
        reverse("admin:autocomplete"),
        {"app_label": "scheduling", "model_name": "appointment", "field_name": "client", "term": "client"},
    )
    ids = {item["id"] for item in response.json()["results"]}
    mine, theirs = worlds["client"]
    assert str(mine.pk) in ids
    assert str(theirs.pk) not in ids


def test_staff_cannot_grant_themselves_superuser(browser, admin_staff):
    page = browser.get(reverse("admin:practice_user_change", args=[admin_staff.pk]))
    assert page.status_code == 200
    browser.post(
        reverse("admin:practice_user_change", args=[admin_staff.pk]),
        {
            "email": admin_staff.email,
            "first_name": "Front",
            "last_name": "Desk",
            "role": "staff",
            "preferred_language": "nl",
            "practice": str(admin_staff.practice_id),
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    admin_staff.refresh_from_db()
    assert admin_staff.first_name == "Front"  # the change itself went through
    assert admin_staff.is_superuser is False


def test_superusers_see_every_practice(worlds, practice):
    root = User.objects.create_superuser(email="root@test.example", password="x-long-password")
    browser = BrowserClient()
    browser.force_login(root)
    listing = browser.get(reverse("admin:practice_client_changelist")).content.decode()
    mine, theirs = worlds["client"]
    assert str(mine.pk) in listing and str(theirs.pk) in listing
