"""Wrong JSON types in request bodies are a 400 naming the field, and write nothing: a
number is not a string, a string is not a number, and only true and false are booleans."""

import json

import pytest

from practice.tests.test_permission_matrix import api_for, database_snapshot, path_values

CASES = [
    ("POST", "/api/appointments/{upcoming}/cancel", {"reason": 12}, "reason"),
    ("PATCH", "/api/appointments/{upcoming}", {"notes": 12}, "notes"),
    ("PUT", "/api/appointments/{upcoming}/preparation", {"reviewPreviousSession": "yes"}, "reviewPreviousSession"),
    ("PUT", "/api/appointments/{upcoming}/preparation", {"focusAreas": [7]}, "focusAreas.0"),
    ("POST", "/api/appointments/{due}/no-show-policy", {"reason": 0}, "reason"),
    (
        "POST",
        "/api/appointments/{due}/no-show-policy",
        {"reason": "x", "applyFee": True, "feeAmount": "75.5"},
        "feeAmount",
    ),
    ("POST", "/api/sessions/start", {"appointmentId": "{upcoming}", "initialMood": "5"}, "initialMood"),
    ("PUT", "/api/sessions/{active_session}/progress", {"interventionsApplied": [0]}, "interventionsApplied.0"),
    ("PUT", "/api/sessions/{active_session}/progress", {"clientMoodCurrent": True}, "clientMoodCurrent"),
    ("POST", "/api/sessions/{active_session}/end", {"homeworkAssigned": 0}, "homeworkAssigned"),
    ("PATCH", "/api/clients/{client}/therapy-goals/{goal}", {"progress": "60"}, "progress"),
    ("PUT", "/api/clients/{client}/medical-history", {"previousTherapy": 1}, "previousTherapy"),
    ("PUT", "/api/clients/{client}/medical-history", {"allergies": [1]}, "allergies.0"),
    ("PUT", "/api/clients/{client}/emergency-contact", {"name": 5, "phone": "+31612345678"}, "name"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), CASES, ids=[f"{c[0]} {c[1]} {c[3]}" for c in CASES])
def test_a_wrong_json_type_is_a_400_that_writes_nothing(method, path, body, field, world):
    values = path_values(world)
    body = {key: value.format(**values) if isinstance(value, str) else value for key, value in body.items()}
    api = api_for(world, "owner")
    before = database_snapshot()
    response = api.generic(method, path.format(**values), json.dumps(body), "application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert database_snapshot() == before
