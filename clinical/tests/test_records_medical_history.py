"""GET/PUT /api/clients/{id}/medical-history (seed #2): assigned therapists only, audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical.models import MedicalHistory
from clinical.tests.factories import MedicalHistoryFactory
from conftest import authenticated_client
from practice.models import AuditEvent
from practice.services.audit import audit_seal
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

EMPTY = {
    "currentMedications": [],
    "allergies": [],
    "previousTherapy": False,
    "previousTherapyDetails": "",
    "medicalConditions": [],
    "hospitalizations": [],
    "updatedAt": None,
}
FULL = {
    "currentMedications": ["Sertraline 50mg", "Melatonin"],
    "allergies": ["Penicillin"],
    "previousTherapy": True,
    "previousTherapyDetails": "CBT for 6 months in 2021.",
    "medicalConditions": ["Asthma"],
    "hospitalizations": ["2019: appendectomy"],
}


def url(client) -> str:
    return f"/api/clients/{client.pk}/medical-history"


def test_get_returns_the_seed_payload(api, client_record):
    history = MedicalHistoryFactory(client=client_record)
    response = api.get(url(client_record))
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["data"] == {
        "currentMedications": ["Sertraline 50mg"],
        "allergies": ["Penicillin"],
        "previousTherapy": True,
        "previousTherapyDetails": "CBT in 2021",
        "medicalConditions": ["Asthma"],
        "hospitalizations": [],
        "updatedAt": history.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_get_without_history_is_the_empty_shape_not_a_404(api, client_record):
    response = api.get(url(client_record))
    assert response.status_code == 200
    assert response.json()["data"] == EMPTY
    assert not MedicalHistory.objects.exists()  # reading never creates one


def test_put_creates_then_updates_only_the_fields_sent(api, client_record, therapist):
    created = api.put(url(client_record), FULL, format="json")
    assert created.status_code == 200
    data = created.json()["data"]
    assert {k: v for k, v in data.items() if k != "updatedAt"} == FULL
    assert data["updatedAt"].endswith("Z")

    updated = api.put(url(client_record), {"allergies": [], "previousTherapy": False}, format="json")
    assert updated.status_code == 200
    assert updated.json()["data"]["allergies"] == []
    assert updated.json()["data"]["previousTherapy"] is False
    assert updated.json()["data"]["currentMedications"] == FULL["currentMedications"]

    history = MedicalHistory.objects.get(client=client_record)
    assert history.updated_by == therapist
    assert api.get(url(client_record)).json()["data"]["allergies"] == []


def test_any_assigned_therapist_may_read_and_write(practice, therapist, other_therapist, other_therapist_api):
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    assert other_therapist_api.put(url(shared), {"allergies": ["Latex"]}, format="json").status_code == 200
    assert other_therapist_api.get(url(shared)).json()["data"]["allergies"] == ["Latex"]


@pytest.mark.parametrize("caller", ["other_therapist_api", "staff_api", "other_practice_api"])
def test_others_get_a_404_and_change_nothing(request, caller, client_record):
    MedicalHistoryFactory(client=client_record, allergies=["Penicillin"])
    api = request.getfixturevalue(caller)
    for response in (api.get(url(client_record)), api.put(url(client_record), FULL, format="json")):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert MedicalHistory.objects.get(client=client_record).allergies == ["Penicillin"]
    assert not AuditEvent.objects.exists()


def test_unknown_and_unassigned_clients_are_the_same_404(api, practice):
    unassigned = ClientFactory(practice=practice)  # exists in the caller's practice, not assigned
    MedicalHistoryFactory(client=unassigned, allergies=["Latex"])
    unknown = api.get("/api/clients/00000000-0000-0000-0000-000000000000/medical-history")
    hidden = api.get(url(unassigned))
    assert unknown.status_code == hidden.status_code == 404
    assert hidden.json() == unknown.json()
    assert hidden.json()["code"] == "not_found"
    assert not AuditEvent.objects.exists()


def test_anonymous_is_a_401(anon_api, client_record):
    assert anon_api.get(url(client_record)).status_code == 401
    assert anon_api.put(url(client_record), FULL, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"allergies": "Penicillin"}, "allergies"),  # not a list
        ({"allergies": {"a": 1}}, "allergies"),
        ({"allergies": None}, "allergies"),
        ({"currentMedications": [1, ["x"]]}, "currentMedications.1"),
        ({"currentMedications": ["ok", ""]}, "currentMedications.1"),
        ({"medicalConditions": ["x" * 100_000]}, "medicalConditions.0"),
        ({"hospitalizations": ["x"] * 51}, "hospitalizations"),
        ({"previousTherapyDetails": "x" * 100_000}, "previousTherapyDetails"),
        ({"previousTherapy": "maybe"}, "previousTherapy"),
        ({"previousTherapy": None}, "previousTherapy"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_writes_nothing(api, client_record, body, field):
    MedicalHistoryFactory(client=client_record, allergies=["Penicillin"])
    response = api.put(url(client_record), body, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "validation_error"
    assert field in [error["field"] for error in payload["errors"]]
    assert MedicalHistory.objects.get(client=client_record).allergies == ["Penicillin"]
    assert not AuditEvent.objects.exists()


def test_body_that_is_not_an_object_is_a_400(api, client_record):
    response = api.put(url(client_record), ["allergies"], format="json")
    assert response.status_code == 400
    assert not MedicalHistory.objects.exists()


def test_every_request_writes_exactly_one_audit_entry_without_values(api, client_record, therapist):
    api.get(url(client_record))
    api.put(url(client_record), FULL, format="json")
    api.put(url(client_record), {"allergies": ["Latex"], "previousTherapy": True}, format="json")
    api.get(url(client_record))
    history = MedicalHistory.objects.get(client=client_record)
    audit_seal()
    entries = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.action, e.record_type, e.record_id, e.changed_fields) for e in entries] == [
        ("view", "medical_history", str(client_record.pk), []),  # none yet: the client is the record
        ("create", "medical_history", str(history.pk), sorted(FULL_FIELDS)),
        ("update", "medical_history", str(history.pk), ["allergies"]),  # previousTherapy was already true
        ("view", "medical_history", str(history.pk), []),
    ]
    assert {(e.actor_id, e.client_id, e.ip_address) for e in entries} == {(therapist.pk, client_record.pk, "127.0.0.1")}
    assert "Latex" not in str(AuditEvent.objects.values_list())


FULL_FIELDS = [
    "current_medications",
    "allergies",
    "previous_therapy",
    "previous_therapy_details",
    "medical_conditions",
    "hospitalizations",
]


def test_query_count_is_constant(api, client_record, django_assert_max_num_queries):
    MedicalHistoryFactory(client=client_record, current_medications=["a"])
    with CaptureQueriesContext(connection) as small:
        assert api.get(url(client_record)).status_code == 200
    MedicalHistory.objects.filter(client=client_record).update(current_medications=[f"m{i}" for i in range(50)])
    with CaptureQueriesContext(connection) as large:
        assert api.get(url(client_record)).status_code == 200
    assert len(small) == len(large)
    with django_assert_max_num_queries(9):
        api.get(url(client_record))
    with django_assert_max_num_queries(13):
        assert api.put(url(client_record), FULL, format="json").status_code == 200


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_create_one_history(practice, therapist, client_record):
    callers = [authenticated_client(therapist) for _ in range(4)]

    def write(index):
        return callers[index].put(url(client_record), {"allergies": [f"A{index}"]}, format="json").status_code

    assert run_concurrently(write, 4) == [200] * 4
    assert MedicalHistory.objects.filter(client=client_record).count() == 1
    actions = sorted(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["create", "update", "update", "update"]
