"""The audit trail and the clinical records in the admin: filterable by client (without
listing every client), actor, action and date; read-only; no clinical content shown."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as BrowserClient
from django.utils import timezone

from clinical.tests.factories import MedicalHistoryFactory, TherapyGoalFactory
from practice.models import AuditEvent
from practice.services.audit import AuditTarget, audit_log, audit_seal
from practice.tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDIT_URL = "/admin/practice/auditevent/"


@pytest.fixture
def browser(practice):
    admin_user = UserFactory(practice=practice, role="staff", is_staff=True, is_superuser=True)
    browser = BrowserClient()
    browser.force_login(admin_user)
    return browser


@pytest.fixture
def trail(practice, therapist, other_therapist):
    """Entries about two clients, by two therapists, with two actions."""
    anna = ClientFactory(practice=practice, first_name="Anna", last_name="Aalders", therapists=[therapist])
    bram = ClientFactory(practice=practice, first_name="Bram", last_name="Bakker", therapists=[other_therapist])
    audit_log(actor=therapist, action="view", targets=[AuditTarget("medical_history", anna.pk, anna.pk)])
    audit_log(actor=therapist, action="update", targets=[AuditTarget("medical_history", anna.pk, anna.pk)])
    audit_log(actor=other_therapist, action="view", targets=[AuditTarget("therapy_goal_list", bram.pk, bram.pk)])
    return anna, bram


def client_filter(response):
    specs = response.context["cl"].filter_specs
    return next((spec for spec in specs if getattr(spec, "parameter_name", None) == "client"), None)


def listed(response) -> list[AuditEvent]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_filter_by_client_shows_only_that_clients_entries(browser, trail):
    anna, _ = trail
    entries = listed(browser.get(AUDIT_URL, {"client": str(anna.pk)}))
    assert len(entries) == 2
    assert {e.client_id for e in entries} == {anna.pk}


def test_filter_by_client_includes_a_list_page_that_showed_them_among_others(browser, trail, therapist, practice):
    anna, bram = trail
    unshown = ClientFactory(practice=practice)
    audit_log(
        actor=therapist,
        action="view",
        targets=[AuditTarget("session", "s-1", anna.pk), AuditTarget("session", "s-2", bram.pk)],
    )
    for client, count in ((anna, 3), (bram, 2)):
        entries = listed(browser.get(AUDIT_URL, {"client": str(client.pk)}))
        assert len(entries) == count
        assert "session" in {e.record_type for e in entries}
    assert listed(browser.get(AUDIT_URL, {"client": str(unshown.pk)})) == []
    # The list says how many clients the page showed; the detail page names them.
    page = AuditEvent.objects.get(record_type="session")
    assert "2 clients" in browser.get(AUDIT_URL).content.decode()
    detail = browser.get(f"{AUDIT_URL}{page.pk}/change/").content.decode()
    assert str(anna.pk) in detail and str(bram.pk) in detail
    # Searching a record's id finds the page that showed it.
    assert listed(browser.get(AUDIT_URL, {"q": "s-2"})) == [page]


def test_client_filter_lists_only_the_selected_client(browser, trail, practice):
    anna, _ = trail
    ClientFactory.create_batch(5, practice=practice)
    unfiltered = browser.get(AUDIT_URL).content.decode()
    assert "Aalders" in unfiltered  # the client column links to their entries
    assert f"?client={anna.pk}" in unfiltered
    assert client_filter(browser.get(AUDIT_URL)) is None  # nothing listed until a client is picked
    picked = client_filter(browser.get(AUDIT_URL, {"client": str(anna.pk)}))
    assert picked.lookup_choices == [(str(anna.pk), "Anna Aalders")]


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_client_matches_nothing(browser, trail, value):
    response = browser.get(AUDIT_URL, {"client": value})
    assert listed(response) == []
    assert client_filter(response).lookup_choices == [(value, "Unknown client")]


def test_search_by_client_name(browser, trail):
    entries = listed(browser.get(AUDIT_URL, {"q": "bakker"}))
    assert [e.record_type for e in entries] == ["therapy_goal_list"]


def test_filter_by_actor_action_and_date(browser, trail, therapist, other_therapist):
    by_actor = listed(browser.get(AUDIT_URL, {"actor": str(other_therapist.pk)}))
    assert {e.actor_id for e in by_actor} == {other_therapist.pk}
    assert len(by_actor) == 1
    updates = listed(browser.get(AUDIT_URL, {"action__exact": "update"}))
    assert [(e.action, e.actor_id) for e in updates] == [("update", therapist.pk)]
    # The date filter's own links, as the sidebar offers them.
    date_filter = next(spec for spec in browser.get(AUDIT_URL).context["cl"].filter_specs if spec.title == "when")
    links = dict(date_filter.links)
    assert len(listed(browser.get(AUDIT_URL, links["Today"]))) == 3
    day_before = {
        "created_at__gte": str(timezone.now() - datetime.timedelta(days=3)),
        "created_at__lt": str(timezone.now() - datetime.timedelta(days=2)),
    }
    assert listed(browser.get(AUDIT_URL, day_before)) == []


def test_audit_trail_is_read_only_in_the_admin(browser, trail):
    entry = AuditEvent.objects.order_by("sequence").first()
    assert browser.get(f"{AUDIT_URL}{entry.pk}/change/").status_code == 200
    assert browser.get(f"{AUDIT_URL}add/").status_code == 403
    assert browser.post(f"{AUDIT_URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == 3


def test_clinical_records_show_metadata_only_and_are_read_only(browser, client_record):
    history = MedicalHistoryFactory(client=client_record, allergies=["Peanut-secret"])
    goal = TherapyGoalFactory(client=client_record, goal="Goal-secret")
    for base, obj in (("/admin/clinical/medicalhistory/", history), ("/admin/clinical/therapygoal/", goal)):
        response = browser.get(base)
        assert response.status_code == 200
        assert client_record.last_name in response.content.decode()
        assert b"secret" not in response.content
        assert browser.get(f"{base}{obj.pk}/change/").status_code == 403
        assert browser.get(f"{base}add/").status_code == 403
        assert browser.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    goal.refresh_from_db()
    assert goal.goal == "Goal-secret"


@pytest.fixture
def staff_browser(staff):
    staff.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    browser = BrowserClient()
    browser.force_login(staff)
    return browser


def test_practice_staff_see_only_their_own_practices_trail(
    staff_browser, trail, other_practice, other_practice_therapist
):
    anna, _ = trail
    foreigner = ClientFactory(practice=other_practice, last_name="Faraway")
    audit_log(
        actor=other_practice_therapist,
        action="view",
        targets=[AuditTarget("medical_history", foreigner.pk, foreigner.pk)],
    )
    response = staff_browser.get(AUDIT_URL)
    assert len(listed(response)) == 3
    assert "Faraway" not in response.content.decode()
    specs = response.context["cl"].filter_specs
    actor_filter = next(spec for spec in specs if getattr(spec, "parameter_name", None) == "actor")
    assert other_practice_therapist.email not in str(actor_filter.lookup_choices)
    assert other_practice.name not in response.content.decode()  # no practice filter for staff
    assert listed(staff_browser.get(AUDIT_URL, {"actor": str(other_practice_therapist.pk)})) == []
    assert listed(staff_browser.get(AUDIT_URL, {"q": "Faraway"})) == []
    picked = client_filter(staff_browser.get(AUDIT_URL, {"client": str(foreigner.pk)}))
    assert picked.lookup_choices == [(str(foreigner.pk), "Unknown client")]
    assert listed(staff_browser.get(AUDIT_URL, {"client": str(anna.pk)})) != []


def test_an_entry_not_yet_sealed_says_so_in_the_list_and_on_its_page(browser, trail):
    entry = AuditEvent.objects.order_by("created_at", "id").first()
    listing = browser.get(AUDIT_URL).content.decode()
    assert listing.count('<td class="field-chain_position">not yet sealed</td>') == 3
    page = browser.get(f"{AUDIT_URL}{entry.pk}/change/").content.decode()
    assert '<div class="readonly">not yet sealed</div>' in page

    audit_seal()
    entry.refresh_from_db()
    listing = browser.get(AUDIT_URL).content.decode()
    assert "not yet sealed" not in listing
    assert f'<td class="field-chain_position">{entry.sequence}</td>' in listing
    page = browser.get(f"{AUDIT_URL}{entry.pk}/change/").content.decode()
    assert f'<div class="readonly">{entry.sequence}</div>' in page
    assert f'<div class="readonly">{entry.hash}</div>' in page
