"""Fixtures shared by every app's tests: the people of two practices and API clients
authenticated as each of them, the way the frontend calls the API (JWT bearer)."""

import pyotp
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from practice.demo.core import demo_two_factor_secret
from practice.tests.factories import ClientFactory, PracticeFactory, StaffFactory, TherapistFactory


@pytest.fixture(autouse=True)
def _reset_language():
    # A request activates its user's language in the test's thread; the next test starts over.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters live in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def practice(db):
    return PracticeFactory(name="Test Practice", timezone="Europe/Amsterdam", currency="EUR", country="NL")


@pytest.fixture
def other_practice(db):
    return PracticeFactory(name="Elsewhere", timezone="America/New_York", currency="USD", country="US")


@pytest.fixture
def therapist(practice):
    return TherapistFactory(practice=practice, email="therapist@test.example")


@pytest.fixture
def other_therapist(practice):
    return TherapistFactory(practice=practice, email="colleague@test.example")


@pytest.fixture
def staff(practice):
    return StaffFactory(practice=practice, email="staff@test.example")


@pytest.fixture
def other_practice_therapist(other_practice):
    return TherapistFactory(practice=other_practice, email="therapist@elsewhere.example")


@pytest.fixture
def client_record(practice, therapist):
    """A client of the practice assigned to ``therapist``."""
    return ClientFactory(practice=practice, therapists=[therapist])


def demo_sign_in(api: APIClient, email: str, password: str) -> dict:
    """Sign in as a demo user of ``seed_demo --with-2fa`` the way the frontend does: the
    password, then the same login with the current code of their fixed secret."""
    credentials = {"email": email, "password": password}
    first = api.post("/api/auth/login", credentials, format="json").json()
    assert first["requiresTwoFactor"] is True, first
    code = pyotp.TOTP(demo_two_factor_secret(email)).now()
    response = api.post("/api/auth/login", {**credentials, "twoFactorCode": code}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def authenticated_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def api(therapist):
    """The API as ``therapist`` calls it."""
    return authenticated_client(therapist)


@pytest.fixture
def other_therapist_api(other_therapist):
    return authenticated_client(other_therapist)


@pytest.fixture
def staff_api(staff):
    return authenticated_client(staff)


@pytest.fixture
def other_practice_api(other_practice_therapist):
    return authenticated_client(other_practice_therapist)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)
