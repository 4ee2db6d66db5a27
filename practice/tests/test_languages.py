"""Which language the API answers in: the user's own, else Accept-Language, else the
practice's default; anonymous requests follow Accept-Language. Content-Language says it."""

import pytest

from conftest import authenticated_client

pytestmark = pytest.mark.django_db

MISSING = "/api/clients/00000000-0000-0000-0000-000000000000/emergency-contact"


def _message(api, **headers):
    response = api.get(MISSING, **headers)
    assert response.status_code == 404
    return response["Content-Language"], response.json()["message"]


def test_the_users_own_language_wins(therapist):
    therapist.preferred_language = "nl"
    therapist.save(update_fields=["preferred_language"])
    api = authenticated_client(therapist)
    assert _message(api, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9") == ("nl", "Cliënt niet gevonden.")


def test_without_a_choice_the_browser_decides(therapist):
    api = authenticated_client(therapist)
    assert _message(api, HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5") == ("nl", "Cliënt niet gevonden.")
    assert _message(api, HTTP_ACCEPT_LANGUAGE="fr-FR, en;q=0.5") == ("en", "Client not found.")


def test_without_either_the_practice_default(therapist, practice):
    practice.default_language = "nl"
    practice.save(update_fields=["default_language"])
    api = authenticated_client(therapist)
    assert _message(api) == ("nl", "Cliënt niet gevonden.")
    assert _message(api, HTTP_ACCEPT_LANGUAGE="de-DE") == ("nl", "Cliënt niet gevonden.")
    me = api.get("/api/auth/me").json()["data"]
    assert me["preferred_language"] == "nl"


def test_validation_messages_from_drf_are_translated_too(therapist):
    therapist.preferred_language = "nl"
    therapist.save(update_fields=["preferred_language"])
    api = authenticated_client(therapist)
    response = api.post("/api/messages", {"recipientId": "not-a-uuid", "content": "Hallo"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "recipientId"
    assert body["errors"][0]["message"] == "Vul een geldige UUID in."


def test_anonymous_requests_follow_accept_language(anon_api):
    response = anon_api.post(
        "/api/auth/login",
        {"email": "nobody@test.example", "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 401
    assert response["Content-Language"] == "nl"
    assert response.json()["message"] == "Onjuist e-mailadres of wachtwoord."
    english = anon_api.get("/api/auth/me")
    assert english["Content-Language"] == "en"
