"""Conventions the clinical record endpoints share: the clinical throttle, characters a
database cannot store, and the schema a frontend generates its client from."""

import json

import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings

from practice.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinical_rate_of_two(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "clinical": "2/minute"},
    }
    assert api_settings.DEFAULT_THROTTLE_RATES["clinical"] == "2/minute"
    cache.clear()


@pytest.mark.parametrize("path", ["medical-history", "therapy-goals", "emergency-contact"])
def test_reads_use_the_clinical_throttle_and_a_throttled_read_is_not_audited(
    api, client_record, clinical_rate_of_two, path
):
    url = f"/api/clients/{client_record.pk}/{path}"
    assert [api.get(url).status_code for _ in range(2)] == [200, 200]
    throttled = api.get(url)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert AuditEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("medical-history", {"allergies": ["pea\u0000nut"]}, "allergies.0"),
        ("medical-history", {"previousTherapyDetails": "a\u0000b"}, "previousTherapyDetails"),
        ("therapy-goals", {"goal": "a\u0000b"}, "goal"),
        ("emergency-contact", {"name": "a\u0000b", "phone": "+31612345678"}, "name"),
    ],
)
def test_nul_characters_are_a_400_not_a_database_error(api, client_record, path, body, field):
    response = api.generic(
        "PUT" if path != "therapy-goals" else "POST",
        f"/api/clients/{client_record.pk}/{path}",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]


def test_schema_describes_the_payloads(anon_api):
    spec = anon_api.get("/api/schema/?format=json").json()
    schemas = spec["components"]["schemas"]

    def payload(path, method, status="200"):
        schema = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema["properties"]["data"]

    history = payload("/api/clients/{client_id}/medical-history", "get")
    assert set(schemas[history["$ref"].rsplit("/", 1)[1]]["properties"]) == {
        "currentMedications",
        "allergies",
        "previousTherapy",
        "previousTherapyDetails",
        "medicalConditions",
        "hospitalizations",
        "updatedAt",
    }
    goals = payload("/api/clients/{client_id}/therapy-goals", "get")
    assert goals["properties"]["goals"]["type"] == "array"
    goals_get = spec["paths"]["/api/clients/{client_id}/therapy-goals"]["get"]
    assert {p["name"] for p in goals_get["parameters"]} >= {"status", "page", "limit"}
    contact = payload("/api/clients/{client_id}/emergency-contact", "get")
    assert contact["nullable"] is True
    patch = spec["paths"]["/api/clients/{client_id}/therapy-goals/{id}"]["patch"]
    assert patch["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
