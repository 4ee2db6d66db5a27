"""Tokens that must not work, stolen refresh tokens, and password guessing."""

import base64
import json
from datetime import timedelta

import jwt
import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from practice.models import RevokedTokenFamily
from practice.tests.factories import TherapistFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def user(practice):
    return TherapistFactory(practice=practice, email="guarded@test.example", two_factor=False)


def _login(api, password=PASSWORD):
    return api.post("/api/auth/login", {"email": "guarded@test.example", "password": password}, format="json")


def _me_status(api, token: str) -> int:
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    status = api.get("/api/auth/me").status_code
    api.credentials()
    return status


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_expired_access_token_is_rejected(anon_api, user):
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        token = str(AccessToken.for_user(user))
    assert _me_status(anon_api, token) == 401


def test_alg_none_token_is_rejected(anon_api, user):
    valid = AccessToken.for_user(user)
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(dict(valid.payload))}."
    assert _me_status(anon_api, unsigned) == 401


def test_token_signed_with_another_key_is_rejected(anon_api, user):
    payload = dict(AccessToken.for_user(user).payload)
    forged = jwt.encode(payload, "not-the-server-key-" + "x" * 40, algorithm="HS256")
    assert _me_status(anon_api, forged) == 401


def test_refresh_token_is_not_an_access_token(anon_api, user):
    refresh = _login(anon_api).json()["refreshToken"]
    assert _me_status(anon_api, refresh) == 401


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(anon_api, user):
    stolen = _login(anon_api).json()["refreshToken"]
    rotated = anon_api.post("/api/auth/refresh-token", {"refreshToken": stolen}, format="json").json()
    # The thief replays the old token after the grace window: refused, and the family is revoked...
    later = timezone.now() + timedelta(seconds=settings.AUTH_REFRESH_GRACE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        replay = anon_api.post("/api/auth/refresh-token", {"refreshToken": stolen}, format="json")
    assert replay.status_code == 401
    assert RevokedTokenFamily.objects.filter(reason="reuse").count() == 1
    # ...so the legitimate newer token stops refreshing too.
    legit = anon_api.post("/api/auth/refresh-token", {"refreshToken": rotated["refreshToken"]}, format="json")
    assert legit.status_code == 401
    assert legit.json()["code"] == "token_not_valid"
    # A fresh login starts a new family that works.
    fresh = _login(anon_api).json()["refreshToken"]
    assert anon_api.post("/api/auth/refresh-token", {"refreshToken": fresh}, format="json").status_code == 200


def test_forged_refresh_token_with_a_real_jti_is_rejected_and_revokes_nothing(anon_api, user):
    real = _login(anon_api).json()["refreshToken"]
    payload = jwt.decode(real, options={"verify_signature": False})
    forged = jwt.encode(payload, "not-the-server-key-" + "x" * 40, algorithm="HS256")
    response = anon_api.post("/api/auth/refresh-token", {"refreshToken": forged}, format="json")
    assert response.status_code == 401
    assert not RevokedTokenFamily.objects.exists()
    assert anon_api.post("/api/auth/refresh-token", {"refreshToken": real}, format="json").status_code == 200


def test_logout_ends_the_family(anon_api, user):
    tokens = _login(anon_api).json()
    anon_api.post("/api/auth/logout", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert RevokedTokenFamily.objects.filter(reason="logout").exists()


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(anon_api, user):
    limit = settings.LOGIN_FAILURE_LIMIT
    assert [_login(anon_api, "wrong").status_code for _ in range(limit)] == [401] * limit
    locked = _login(anon_api)
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    assert 0 < int(locked["Retry-After"]) <= settings.LOGIN_LOCKOUT_SECONDS
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS + 1)):
        assert _login(anon_api).status_code == 200


def test_a_successful_login_resets_the_failure_count(anon_api, user):
    limit = settings.LOGIN_FAILURE_LIMIT
    for _ in range(limit - 1):
        _login(anon_api, "wrong")
    assert _login(anon_api).status_code == 200
    for _ in range(limit - 1):
        assert _login(anon_api, "wrong").status_code == 401
    assert _login(anon_api).status_code == 200


def test_lockout_is_per_account(anon_api, user, practice):
    TherapistFactory(practice=practice, email="neighbour@test.example", two_factor=False)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(anon_api, "wrong")
    locked = _login(anon_api)
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    other = anon_api.post("/api/auth/login", {"email": "neighbour@test.example", "password": PASSWORD}, format="json")
    assert other.status_code == 200
    assert _login(anon_api).status_code == 429  # the neighbour's success unlocks nothing


def test_cors_allows_the_frontend_origin_with_credentials(anon_api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.practice.example"]
    response = anon_api.options(
        "/api/auth/login",
        HTTP_ORIGIN="https://app.practice.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,authorization",
    )
    assert response["Access-Control-Allow-Origin"] == "https://app.practice.example"
    assert response["Access-Control-Allow-Credentials"] == "true"
    foreign = anon_api.options(
        "/api/auth/login", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in foreign


def _admin_login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "guarded@test.example", "password": password})


def test_the_admin_login_is_covered_by_the_same_lockout(client, anon_api, user):
    user.is_staff = True
    user.save()
    # Eight wrong passwords in the admin, then the right one: refused, there and in the API.
    for _ in range(8):
        assert _admin_login(client, "wrong").status_code == 200
    refused = _admin_login(client, PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed sign-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(anon_api).status_code == 429


def test_failures_in_the_api_lock_the_admin_too(client, anon_api, user):
    user.is_staff = True
    user.save()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(anon_api, "wrong")
    assert "Too many failed sign-ins" in _admin_login(client, PASSWORD).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS + 1)):
        assert _admin_login(client, PASSWORD).status_code == 302
