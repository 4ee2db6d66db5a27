"""GET/PUT /api/clients/{id}/emergency-contact (seed #8): staff and assigned therapists,
phone numbers in E.164, every request audited once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import authenticated_client
from practice.models import AuditEvent, EmergencyContact
from practice.services.audit import audit_seal
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory, EmergencyContactFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Maria Jansen",
    "relationship": "mother",
    "phone": "06 12345678",  # national format: read in the practice's country (NL)
    "alternatePhone": "+44 20 7946 0958",
    "email": "maria@example.com",
}

# Valid whatever the caller's practice country, so that only access decides the answer.
INTERNATIONAL = {**CONTACT, "phone": "+31 6 12345678"}


def url(client) -> str:
    return f"/api/clients/{client.pk}/emergency-contact"


def test_get_returns_the_contact(api, client_record):
    contact = EmergencyContactFactory(client=client_record, phone="+31623000001", alternate_phone="")
    response = api.get(url(client_record))
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "data": {
            "name": contact.name,
            "relationship": "partner",
            "phone": "+31623000001",
            "alternatePhone": "",
            "email": contact.email,
            "updatedAt": contact.updated_at.isoformat().replace("+00:00", "Z"),
        },
    }


def test_get_without_a_contact_is_data_null(api, client_record):
    response = api.get(url(client_record))
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": None}


def test_put_creates_with_numbers_in_e164(api, client_record):
    response = api.put(url(client_record), CONTACT, format="json")
    assert response.status_code == 200
    data = response.json()["data"]
    assert {k: v for k, v in data.items() if k != "updatedAt"} == {
        "name": "Maria Jansen",
        "relationship": "mother",
        "phone": "+31612345678",
        "alternatePhone": "+442079460958",
        "email": "maria@example.com",
    }
    contact = EmergencyContact.objects.get(client=client_record)
    assert str(contact.phone) == "+31612345678"
    assert str(contact.alternate_phone) == "+442079460958"


def test_phone_numbers_are_read_in_the_practice_country(other_practice_api, other_practice, other_practice_therapist):
    client = ClientFactory(practice=other_practice, therapists=[other_practice_therapist])
    response = other_practice_api.put(url(client), {"name": "Sam", "phone": "(212) 555-0123"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["phone"] == "+12125550123"


def test_put_updates_and_clears_optional_fields(api, client_record):
    EmergencyContactFactory(client=client_record, relationship="partner", email="old@example.com")
    response = api.put(url(client_record), {"name": "New Name", "phone": "+31612345678", "email": None}, format="json")
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["relationship"], data["email"]) == ("New Name", "partner", "")
    assert EmergencyContact.objects.get(client=client_record).email == ""


def test_staff_may_read_and_update(staff_api, client_record, practice):
    unassigned = ClientFactory(practice=practice)
    for client in (client_record, unassigned):
        assert staff_api.put(url(client), CONTACT, format="json").status_code == 200
        assert staff_api.get(url(client)).json()["data"]["name"] == "Maria Jansen"


@pytest.mark.parametrize("caller", ["other_therapist_api", "other_practice_api"])
def test_others_get_a_404_and_change_nothing(request, caller, client_record):
    EmergencyContactFactory(client=client_record, name="Kept")
    api = request.getfixturevalue(caller)
    for response in (api.get(url(client_record)), api.put(url(client_record), INTERNATIONAL, format="json")):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert EmergencyContact.objects.get(client=client_record).name == "Kept"
    assert not AuditEvent.objects.exists()


def test_another_practices_client_is_a_404_for_staff(staff_api, other_practice):
    foreign = ClientFactory(practice=other_practice)
    assert staff_api.get(url(foreign)).status_code == 404
    assert staff_api.put(url(foreign), INTERNATIONAL, format="json").status_code == 404
    assert not EmergencyContact.objects.exists()


def test_anonymous_is_a_401(anon_api, client_record):
    assert anon_api.get(url(client_record)).status_code == 401
    assert anon_api.put(url(client_record), CONTACT, format="json").status_code == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 100_000}, "name"),
        ({"phone": None}, "phone"),
        ({"phone": ""}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"phone": "not a number"}, "phone"),
        ({"phone": "+31 6 1234"}, "phone"),
        ({"phone": "1" * 100_000}, "phone"),
        ({"phone": 612345678}, "phone"),
        ({"alternatePhone": "+999 123"}, "alternatePhone"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@" + "b" * 100_000 + ".com"}, "email"),
        ({"relationship": "x" * 101}, "relationship"),
        ({"relationship": ["mother"]}, "relationship"),
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(api, client_record, changes, field):
    EmergencyContactFactory(client=client_record, name="Kept")
    response = api.put(url(client_record), {**CONTACT, **changes}, format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert EmergencyContact.objects.get(client=client_record).name == "Kept"
    assert not AuditEvent.objects.exists()


def test_missing_name_and_phone_are_both_reported(api, client_record):
    response = api.put(url(client_record), {"relationship": "friend"}, format="json")
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"name", "phone"}
    assert not EmergencyContact.objects.exists()


def test_every_request_writes_exactly_one_audit_entry(staff_api, staff, client_record):
    staff_api.get(url(client_record))
    staff_api.put(url(client_record), CONTACT, format="json")
    staff_api.put(url(client_record), {**CONTACT, "phone": "+31 6 87654321", "email": "new@example.com"}, format="json")
    staff_api.put(url(client_record), {"name": CONTACT["name"], "phone": "0687654321"}, format="json")  # same values
    staff_api.get(url(client_record))
    contact = EmergencyContact.objects.get(client=client_record)
    audit_seal()
    entries = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.action, e.record_type, e.record_id, e.changed_fields) for e in entries] == [
        ("view", "emergency_contact", str(client_record.pk), []),  # none yet: the client is the record
        ("create", "emergency_contact", str(contact.pk), ["alternate_phone", "email", "name", "phone", "relationship"]),
        ("update", "emergency_contact", str(contact.pk), ["email", "phone"]),
        ("update", "emergency_contact", str(contact.pk), []),
        ("view", "emergency_contact", str(contact.pk), []),
    ]
    assert {(e.actor_id, e.client_id) for e in entries} == {(staff.pk, client_record.pk)}
    assert "87654321" not in str(AuditEvent.objects.values_list())


def test_query_counts(api, client_record, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as missing:
        assert api.get(url(client_record)).status_code == 200
    EmergencyContactFactory(client=client_record)
    with CaptureQueriesContext(connection) as present:
        assert api.get(url(client_record)).status_code == 200
    assert len(missing) == len(present)
    with django_assert_max_num_queries(9):
        api.get(url(client_record))
    with django_assert_max_num_queries(14):
        assert api.put(url(client_record), CONTACT, format="json").status_code == 200


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_create_one_contact(practice, therapist, staff, client_record):
    callers = [authenticated_client(user) for user in [therapist, staff] * 2]

    def write(index):
        body = {"name": f"Name {index}", "phone": "+31612345678"}
        return callers[index].put(url(client_record), body, format="json").status_code

    assert run_concurrently(write, 4) == [200] * 4
    assert EmergencyContact.objects.filter(client=client_record).count() == 1
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == ["create", "update", "update", "update"]
