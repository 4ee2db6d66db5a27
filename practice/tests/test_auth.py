from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import authenticated_client
from practice.serializers import UserSerializer
from practice.tests.factories import TherapistFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def user(practice):
    # Signs in with the password alone: two-factor authentication is not set up yet.
    return TherapistFactory(
        practice=practice, email="login@test.example", first_name="Lena", last_name="Login", two_factor=False
    )


def login(api: APIClient, email="login@test.example", password=PASSWORD):
    return api.post("/api/auth/login", {"email": email, "password": password}, format="json")


def test_login_returns_tokens_user_and_cookie(anon_api, user):
    response = login(anon_api)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["message"]
    assert body["accessToken"] and body["refreshToken"]
    assert body["user"]["id"] == str(user.pk)
    assert body["user"]["first_name"] == "Lena"
    assert body["user"]["role"] == "therapist"
    assert body["user"]["practice"]["timezone"] == "Europe/Amsterdam"
    cookie = response.cookies["refreshToken"]
    assert cookie["httponly"]
    assert cookie["path"] == "/api/auth/"
    assert cookie.value == body["refreshToken"]


def test_login_is_case_insensitive_on_email(anon_api, user):
    assert login(anon_api, email="LOGIN@Test.Example").status_code == 200


def test_access_token_authenticates_me(anon_api, user):
    token = login(anon_api).json()["accessToken"]
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = anon_api.get("/api/auth/me")
    assert response.status_code == 200
    user.refresh_from_db()
    assert response.json() == {
        "success": True,
        "data": {
            "id": str(user.pk),
            "email": "login@test.example",
            "role": "therapist",
            "status": "active",
            "first_name": "Lena",
            "last_name": "Login",
            "full_name": "Lena Login",
            "phone": None,
            "preferred_language": "en",  # the practice's default: the user chose none
            "two_factor_enabled": False,
            "two_factor_setup_completed": False,
            "email_verified": False,
            "last_login": user.last_login.isoformat().replace("+00:00", "Z"),
            "created_at": user.date_joined.isoformat().replace("+00:00", "Z"),
            "updated_at": user.updated_at.isoformat().replace("+00:00", "Z"),
            "profile_photo_url": None,
            "practice": {
                "id": str(user.practice.pk),
                "name": user.practice.name,
                "timezone": "Europe/Amsterdam",
                "currency": "EUR",
                "country": "NL",
            },
        },
    }


@pytest.mark.parametrize(
    "email,password", [("login@test.example", "wrong-password"), ("nobody@test.example", PASSWORD)]
)
def test_wrong_credentials_are_a_401_envelope(anon_api, user, email, password):
    response = login(anon_api, email, password)
    assert response.status_code == 401
    body = response.json()
    assert body == {
        "success": False,
        "statusCode": 401,
        "code": "invalid_credentials",
        "message": "Invalid email or password.",
        "errors": [],
    }


def test_login_validates_input(anon_api):
    response = anon_api.post("/api/auth/login", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"email", "password"}


def test_inactive_user_cannot_log_in_and_their_tokens_stop_working(anon_api, user):
    tokens = login(anon_api).json()
    user.is_active = False
    user.save()
    assert login(anon_api).status_code == 401
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    assert anon_api.get("/api/auth/me").status_code == 401
    anon_api.credentials()
    refresh = anon_api.post("/api/auth/refresh-token", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert refresh.status_code == 401
    assert refresh.json()["code"] == "no_active_account"


def test_refresh_rotates_and_the_old_token_is_rejected(anon_api, user):
    first = login(anon_api).json()
    response = anon_api.post("/api/auth/refresh-token", {"refreshToken": first["refreshToken"]}, format="json")
    assert response.status_code == 200
    second = response.json()
    assert second["success"] is True
    assert second["user"]["id"] == str(user.pk)
    assert second["refreshToken"] != first["refreshToken"]
    assert second["accessToken"] != first["accessToken"]

    # Within the grace window (another tab refreshing at the same moment): the same pair.
    again = anon_api.post("/api/auth/refresh-token", {"refreshToken": first["refreshToken"]}, format="json")
    assert again.status_code == 200
    assert (again.json()["refreshToken"], again.json()["accessToken"]) == (
        second["refreshToken"],
        second["accessToken"],
    )

    later = timezone.now() + timedelta(seconds=settings.AUTH_REFRESH_GRACE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        reused = anon_api.post("/api/auth/refresh-token", {"refreshToken": first["refreshToken"]}, format="json")
        assert reused.status_code == 401
        assert reused.json()["code"] == "token_not_valid"

        anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {second['accessToken']}")
        assert anon_api.get("/api/auth/me").status_code == 200


def test_refresh_reads_the_http_only_cookie(user):
    browser = APIClient()
    login(browser)  # the cookie is now in the client's jar
    response = browser.post("/api/auth/refresh-token", {}, format="json")
    assert response.status_code == 200
    assert response.cookies["refreshToken"].value == response.json()["refreshToken"]


def test_refresh_without_a_token_is_a_401(anon_api):
    response = anon_api.post("/api/auth/refresh-token", {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["errors"][0]["field"] == "refreshToken"


def test_a_token_that_is_not_a_string_is_a_400_not_a_logout(anon_api):
    response = anon_api.post("/api/auth/logout", {"refreshToken": 12345}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "refreshToken", "message": "Not a valid string."}]


def test_refresh_with_garbage_is_a_401(anon_api):
    response = anon_api.post("/api/auth/refresh-token", {"refreshToken": "not.a.token"}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_logout_blacklists_the_refresh_token(anon_api, user):
    tokens = login(anon_api).json()
    response = anon_api.post("/api/auth/logout", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert response.status_code == 200
    assert response.cookies["refreshToken"].value == ""
    again = anon_api.post("/api/auth/refresh-token", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert again.status_code == 401


def test_me_requires_authentication(anon_api):
    response = anon_api.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_tampered_token_is_rejected(anon_api, user):
    token = login(anon_api).json()["accessToken"]
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token[:-4]}AAAA")
    response = anon_api.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_login_is_throttled_with_retry_after(anon_api, user, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], login="3/minute")
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [login(anon_api, password="wrong").status_code for _ in range(3)]
        throttled = login(anon_api)
    assert statuses == [401, 401, 401]
    assert throttled.status_code == 429
    body = throttled.json()
    assert body["code"] == "throttled"
    assert body["statusCode"] == 429
    assert int(throttled["Retry-After"]) > 0


def _login_rates(settings, rate: str) -> dict:
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], login=rate)
    return {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_a_forged_forwarded_for_header_does_not_dodge_the_login_throttle(anon_api, user, settings):
    # Without a trusted proxy, X-Forwarded-For is the caller's own text: each new value used
    # to count as a new client.
    settings.TRUSTED_PROXY_COUNT = 0
    with override_settings(REST_FRAMEWORK=_login_rates(settings, "3/minute")):
        statuses = [
            anon_api.post(
                "/api/auth/login",
                {"email": f"spray{n}@test.example", "password": "wrong"},
                format="json",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            ).status_code
            for n in range(8)
        ]
    assert statuses == [401] * 3 + [429] * 5


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(anon_api, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def login_from(address: str, forged: str = "") -> int:
        header = f"{forged}, {address}" if forged else address
        body = {"email": "nobody@test.example", "password": "wrong"}
        return anon_api.post("/api/auth/login", body, format="json", HTTP_X_FORWARDED_FOR=header).status_code

    with override_settings(REST_FRAMEWORK=_login_rates(settings, "2/minute")):
        # The proxy appends the address it saw; what the client put before it is ignored.
        first = [login_from("198.51.100.1", forged=f"10.0.0.{n}") for n in range(3)]
        second = [login_from("198.51.100.2") for _ in range(3)]
    assert first == [401, 401, 429]
    assert second == [401, 401, 429]


def test_me_answers_each_user_their_own_details_one_after_another(practice, therapist, other_therapist, staff):
    """The user's serializer works out its fields once per class: three callers in turn,
    twice, each get their own details, and the practice nested in them."""
    for _ in range(2):
        for user in (therapist, other_therapist, staff):
            data = authenticated_client(user).get("/api/auth/me").json()["data"]
            assert (data["id"], data["email"], data["role"]) == (str(user.pk), user.email, user.role)
            assert data["practice"]["id"] == str(practice.pk)


def test_user_serializer_instances_do_not_share_their_fields(therapist, other_therapist):
    first, second = UserSerializer(therapist), UserSerializer(other_therapist)
    assert first.fields["email"] is not second.fields["email"]
    assert first.fields["email"].parent is first and second.fields["email"].parent is second
    first.fields["email"].label = "Changed on one instance"
    assert UserSerializer(therapist).fields["email"].label != "Changed on one instance"
    assert (first.data["email"], second.data["email"]) == (therapist.email, other_therapist.email)
