"""Two tabs must not sign a therapist out: the grace window of refresh-token rotation; and
logout ends the access token at once."""

from datetime import timedelta

import jwt
import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from practice.models import RefreshTokenRotation, RevokedTokenFamily
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import TherapistFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TABS = 10


@pytest.fixture
def user(practice):
    return TherapistFactory(practice=practice, email="tabs@test.example", two_factor=False)


def _login(api=None) -> dict:
    api = api or APIClient()
    return api.post("/api/auth/login", {"email": "tabs@test.example", "password": PASSWORD}, format="json").json()


def _refresh(token: str):
    return APIClient().post("/api/auth/refresh-token", {"refreshToken": token}, format="json")


def _me(access: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api.get("/api/auth/me").status_code


def _after_the_window():
    return time_machine.travel(timezone.now() + timedelta(seconds=settings.AUTH_REFRESH_GRACE_SECONDS + 1), tick=False)


def test_within_the_window_the_rotated_token_answers_with_the_same_successor(user):
    tokens = _login()
    first = _refresh(tokens["refreshToken"]).json()
    second = _refresh(tokens["refreshToken"])
    assert second.status_code == 200
    assert second.json()["refreshToken"] == first["refreshToken"]
    assert second.json()["accessToken"] == first["accessToken"]
    assert second.cookies["refreshToken"].value == first["refreshToken"]
    assert not RevokedTokenFamily.objects.exists()
    assert _refresh(first["refreshToken"]).status_code == 200  # the family goes on


def test_after_the_window_the_rotated_token_revokes_the_family(user):
    tokens = _login()
    successor = _refresh(tokens["refreshToken"]).json()
    with _after_the_window():
        reused = _refresh(tokens["refreshToken"])
        assert reused.status_code == 401
        assert RevokedTokenFamily.objects.filter(reason="reuse").count() == 1
        assert _refresh(successor["refreshToken"]).status_code == 401


def test_once_the_successor_was_used_the_old_token_is_reuse_even_within_the_window(user):
    tokens = _login()
    successor = _refresh(tokens["refreshToken"]).json()
    assert _refresh(successor["refreshToken"]).status_code == 200
    assert _refresh(tokens["refreshToken"]).status_code == 401
    assert RevokedTokenFamily.objects.filter(reason="reuse").exists()


def test_a_logged_out_family_gets_no_grace(user):
    tokens = _login()
    successor = _refresh(tokens["refreshToken"]).json()
    APIClient().post("/api/auth/logout", {"refreshToken": successor["refreshToken"]}, format="json")
    assert _refresh(tokens["refreshToken"]).status_code == 401


@pytest.mark.parametrize("method", ["delete", "post"])
def test_logout_ends_the_access_token_at_once(user, method):
    browser = APIClient()
    tokens = _login(browser)
    browser.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    assert getattr(browser, method)("/api/auth/logout").status_code == 200
    refused = browser.get("/api/auth/me")
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"
    # The refresh cookie no longer refreshes either.
    browser.credentials()
    browser.cookies["refreshToken"] = tokens["refreshToken"]
    assert browser.post("/api/auth/refresh-token", {}, format="json").status_code == 401
    # A new sign-in works as before.
    assert _me(_login()["accessToken"]) == 200


def test_a_forged_token_at_logout_ends_nothing(user):
    tokens = _login()
    forged_access = jwt.encode(
        jwt.decode(tokens["accessToken"], options={"verify_signature": False}), "x" * 50, algorithm="HS256"
    )
    forged_refresh = jwt.encode(
        jwt.decode(tokens["refreshToken"], options={"verify_signature": False}), "x" * 50, algorithm="HS256"
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {forged_access}")
    api.delete("/api/auth/logout", {"refreshToken": forged_refresh}, format="json")
    assert _me(tokens["accessToken"]) == 200
    assert not RevokedTokenFamily.objects.exists()
    assert _refresh(tokens["refreshToken"]).status_code == 200


def test_logout_with_someone_elses_access_token_leaves_it_working(user, practice):
    TherapistFactory(practice=practice, email="other@test.example", two_factor=False)
    mine = _login()
    theirs = (
        APIClient().post("/api/auth/login", {"email": "other@test.example", "password": PASSWORD}, format="json").json()
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {theirs['accessToken']}")
    assert api.delete("/api/auth/logout", {"refreshToken": mine["refreshToken"]}, format="json").status_code == 200
    assert _me(theirs["accessToken"]) == 200
    assert _refresh(mine["refreshToken"]).status_code == 401


def test_logout_without_any_token_is_a_401(anon_api):
    response = anon_api.delete("/api/auth/logout")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_logout_clears_the_cookie_with_the_configured_attributes(user, settings):
    settings.AUTH_REFRESH_COOKIE_SAMESITE = "None"
    settings.AUTH_REFRESH_COOKIE_SECURE = True
    settings.AUTH_REFRESH_COOKIE_DOMAIN = "api.example.com"
    browser = APIClient()
    login = browser.post("/api/auth/login", {"email": "tabs@test.example", "password": PASSWORD}, format="json")
    cookie = login.cookies["refreshToken"]
    assert (cookie["samesite"], cookie["secure"], cookie["domain"], cookie["path"]) == (
        "None",
        True,
        "api.example.com",
        "/api/auth/",
    )
    cleared = browser.delete("/api/auth/logout").cookies["refreshToken"]
    assert cleared.value == "" and cleared["domain"] == "api.example.com" and cleared["samesite"] == "None"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_tabs_refreshing_at_once_all_stay_signed_in(user):
    tokens = _login()

    def tab(_):
        response = _refresh(tokens["refreshToken"])
        return response.status_code, response.json().get("refreshToken"), response.json().get("accessToken")

    results = run_concurrently(tab, TABS)

    assert [status for status, *_ in results] == [200] * TABS
    assert len({(refresh, access) for _, refresh, access in results}) == 1  # one successor pair
    assert RefreshTokenRotation.objects.count() == 1
    assert not RevokedTokenFamily.objects.exists()
    successor = results[0][1]
    assert _refresh(successor).status_code == 200  # the family is intact
    assert _me(results[0][2]) == 200


def test_samesite_none_without_secure_is_refused_by_the_system_check(settings):
    from practice.checks import check_refresh_cookie

    settings.AUTH_REFRESH_COOKIE_SAMESITE = "None"
    settings.AUTH_REFRESH_COOKIE_SECURE = False
    assert [error.id for error in check_refresh_cookie(None)] == ["practice.E002"]
    settings.AUTH_REFRESH_COOKIE_SECURE = True
    assert check_refresh_cookie(None) == []
    settings.AUTH_REFRESH_COOKIE_SAMESITE = "none-of-these"
    assert [error.id for error in check_refresh_cookie(None)] == ["practice.E001"]


@pytest.mark.parametrize(
    "configured,expected",
    [(None, []), ("https://app.example.com", ["https://app.example.com"])],
)
def test_production_allows_only_the_configured_cors_origins(configured, expected):
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "practice.settings.production",
        "SECRET_KEY": "k" * 60,
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("CORS_ALLOWED_ORIGINS", None)
    if configured:
        env["CORS_ALLOWED_ORIGINS"] = configured
    script = "import django, json; django.setup(); from django.conf import settings; "
    script += "print(json.dumps(settings.CORS_ALLOWED_ORIGINS))"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == expected
