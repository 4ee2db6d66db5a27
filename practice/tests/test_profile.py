"""PUT /api/profile as the therapist profile page sends it: its whole profile object in
camelCase, read-only values included; GET /api/profile reads back what was stored."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.models import Therapist, User
from practice.tests.queries import data_statements
from practice.tests.test_permission_matrix import database_snapshot

pytestmark = pytest.mark.django_db


def page_body(**overrides) -> dict:
    """What the profile page's save button sends (its profile object, edited)."""
    body = {
        "id": "00000000-0000-4000-8000-000000000001",
        "email": "someone.else@example.com",
        "firstName": "Sarah",
        "lastName": "de Vries",
        "phone": "+31 6 12345678",
        "address": {"street": "Therapielaan 12", "city": "Utrecht", "postalCode": "3511 AB", "country": "Nederland"},
        "specializations": ["Trauma Therapy", "EMDR"],
        "qualifications": [
            {"degree": "MSc Clinical Psychology", "institution": "Universiteit Utrecht", "year": 2012},
            {"degree": "EMDR Europe practitioner", "institution": "", "year": 2016},
        ],
        "languages": ["Dutch", "English"],
        "yearsOfExperience": 11,
        "bio": "Ik werk met volwassenen met trauma- en angstklachten.",
        "registrationNumber": "BIG 19012345601",
        "insuranceAccepted": ["CZ", "VGZ"],
        "sessionTypes": ["Individual Therapy", "Online Sessions"],
        "targetAge": ["Adults (18-65)"],
        "availability": {"days": ["Monday", "Tuesday", "Thursday"], "hours": "9:00 - 17:00"},
        "rating": 4.8,
        "totalReviews": 127,
        "totalClients": 89,
        "completedSessions": 1234,
    }
    body.update(overrides)
    return body


def test_the_profile_page_saves_everything_it_sends(api, therapist):
    email = therapist.email
    response = api.put("/api/profile", page_body(), format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["id"] == str(therapist.pk)
    assert data["email"] == email
    assert data["first_name"] == "Sarah"
    assert data["last_name"] == "de Vries"
    assert data["phone"] == "+31612345678"
    assert data["profile_photo_url"] is None
    assert data["therapist_profile"] == {
        "bio": "Ik werk met volwassenen met trauma- en angstklachten.",
        "specializations": ["Trauma Therapy", "EMDR"],
        "qualifications": [
            {"degree": "MSc Clinical Psychology", "institution": "Universiteit Utrecht", "year": 2012},
            {"degree": "EMDR Europe practitioner", "institution": "", "year": 2016},
        ],
        "languages": ["Dutch", "English"],
        "years_of_experience": 11,
        "registration_number": "BIG 19012345601",
        "insurance_accepted": ["CZ", "VGZ"],
        "session_types": ["Individual Therapy", "Online Sessions"],
        "target_age": ["Adults (18-65)"],
        "availability": {"days": ["Monday", "Tuesday", "Thursday"], "hours": "9:00 - 17:00"},
        "address": {"street": "Therapielaan 12", "postal_code": "3511 AB", "city": "Utrecht", "country": "Nederland"},
    }
    assert api.get("/api/profile").json()["data"] == data
    therapist.refresh_from_db()
    assert therapist.email == email  # the sign-in name is not changed here
    assert str(therapist.phone) == "+31612345678"
    profile = Therapist.objects.get(user=therapist)
    assert profile.specialties == ["Trauma Therapy", "EMDR"]
    assert profile.license_number == "BIG 19012345601"


def test_snake_case_is_accepted_too_and_fields_left_out_keep_their_value(api, therapist):
    api.put("/api/profile", page_body(), format="json")
    response = api.put(
        "/api/profile",
        {"first_name": "Sanne", "preferred_language": "en", "years_of_experience": None, "address": {"city": "Delft"}},
        format="json",
    )
    data = response.json()["data"]
    assert data["first_name"] == "Sanne"
    assert data["last_name"] == "de Vries"
    assert data["preferred_language"] == "en"
    assert data["therapist_profile"]["years_of_experience"] is None
    assert data["therapist_profile"]["address"]["city"] == "Delft"
    assert data["therapist_profile"]["address"]["street"] == "Therapielaan 12"
    assert data["therapist_profile"]["bio"].startswith("Ik werk")


def test_a_national_number_is_read_in_the_practices_country(api, therapist, other_practice_api):
    assert api.put("/api/profile", {"phone": "06 12345678"}, format="json").json()["data"]["phone"] == "+31612345678"
    us = other_practice_api.put("/api/profile", {"phone": "(201) 555-0123"}, format="json")
    assert us.json()["data"]["phone"] == "+12015550123"
    assert api.put("/api/profile", {"phone": ""}, format="json").json()["data"]["phone"] == ""


def test_staff_update_their_name_but_have_no_professional_profile(staff_api, staff):
    response = staff_api.put("/api/profile", {"firstName": "Petra", "preferredLanguage": "nl"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["therapist_profile"] is None
    before = database_snapshot()
    refused = staff_api.put("/api/profile", {"firstName": "Other", "bio": "Not mine"}, format="json")
    assert refused.status_code == 400
    # In Dutch: the staff member just chose it.
    assert refused.json()["errors"] == [{"field": "bio", "message": "Alleen therapeuten hebben een beroepsprofiel."}]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "12"}, "phone"),
        ({"phone": 612345678}, "phone"),
        ({"preferredLanguage": "de"}, "preferredLanguage"),
        ({"firstName": ""}, "firstName"),
        ({"firstName": 7}, "firstName"),
        ({"specializations": "EMDR"}, "specializations"),
        ({"specializations": [1]}, "specializations.0"),
        ({"qualifications": [{"institution": "UvA"}]}, "qualifications.0.degree"),
        ({"qualifications": [{"degree": "MSc", "year": "2012"}]}, "qualifications.0.year"),
        ({"yearsOfExperience": -1}, "yearsOfExperience"),
        ({"yearsOfExperience": "11"}, "yearsOfExperience"),
        ({"availability": ["Monday"]}, "availability"),
        ({"address": {"postalCode": "x" * 21}}, "address.postalCode"),
        ({"languages": ["Dutch"] * 31}, "languages"),
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(api, therapist, body, field):
    api.put("/api/profile", page_body(), format="json")
    before = database_snapshot()
    response = api.put("/api/profile", {**page_body(firstName="Changed"), **body}, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["success"] is False
    assert payload["code"] == "validation_error"
    assert field in [error["field"] for error in payload["errors"]]
    assert database_snapshot() == before


def test_another_users_profile_cannot_be_reached(api, therapist, other_therapist):
    # The body's id is ignored: the profile is always the caller's.
    api.put("/api/profile", page_body(id=str(other_therapist.pk), firstName="Hijack"), format="json")
    other_therapist.refresh_from_db()
    assert other_therapist.first_name != "Hijack"
    assert User.objects.get(pk=therapist.pk).first_name == "Hijack"


def test_a_profile_write_runs_a_constant_number_of_queries(api, therapist):
    counts = []
    for size in (1, 25):
        body = page_body(
            firstName=f"Sarah {size}",
            specializations=[f"Area {n}" for n in range(size)],
            qualifications=[{"degree": f"Degree {n}", "year": 2000 + n} for n in range(size)],
        )
        with CaptureQueriesContext(connection) as queries:
            assert api.put("/api/profile", body, format="json").status_code == 200
        counts.append(len(data_statements(queries)))
    # The caller and their practice, the user row locked and updated, the profile locked and
    # updated, the profile read back.
    assert counts == [7, 7]
