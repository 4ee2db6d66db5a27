import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_states_the_definitions_and_the_query(anon_api):
    spec = anon_api.get("/api/schema/?format=json").json()
    stats = spec["paths"]["/api/therapists/{id}/session-stats"]["get"]
    assert {p["name"] for p in stats["parameters"] if p["in"] == "query"} == {"startDate", "endDate"}
    assert "two or more completed appointments" in stats["description"]
    assert stats["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    summary = spec["paths"]["/api/clients/{id}/session-summary"]["get"]
    assert "ties go to the most recent" in summary["description"]
    payload = spec["components"]["schemas"]["ClientSessionSummary"]["properties"]
    assert payload["commonThemes"]["maxItems"] == 5
    assert payload["lastSessionDate"]["nullable"] is True
