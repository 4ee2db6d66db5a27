"""Two-factor authentication through the API, the way the frontend's authApi and authStore
call it: setup on the first sign-in, then the second step of every sign-in (the login
repeated with ``twoFactorCode``, or ``verify-2fa`` with ``X-Temp-Token``)."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from conftest import authenticated_client
from practice.models import AuditEvent, TwoFactorChallenge, TwoFactorDevice, TwoFactorRecoveryCode
from practice.tests.factories import StaffFactory, TherapistFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
STEP = timedelta(seconds=30)
# The start of a TOTP time step, so that moving by whole steps lands mid-way in none.
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)

#: The frontend's User type (src/types/auth.ts), field for field.
FRONTEND_USER_FIELDS = {
    "id",
    "email",
    "role",
    "status",
    "first_name",
    "last_name",
    "phone",
    "preferred_language",
    "two_factor_enabled",
    "two_factor_setup_completed",
    "email_verified",
    "last_login",
    "created_at",
    "updated_at",
    "profile_photo_url",
}


@pytest.fixture
def newcomer(practice):
    """A therapist signing in for the first time: no two-factor authentication yet."""
    return TherapistFactory(practice=practice, email="newcomer@test.example", two_factor=False)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _login(api, email, **extra):
    return api.post("/api/auth/login", {"email": email, "password": PASSWORD, **extra}, format="json")


def _enabled_therapist(practice, email="enabled@test.example"):
    therapist = TherapistFactory(practice=practice, email=email)
    return therapist, pyotp.TOTP(therapist.two_factor.secret)


def test_the_frontends_whole_sign_in(newcomer, client_record, clock):
    browser = APIClient()  # keeps the refresh cookie, as the browser does

    # First sign-in: tokens, and the user says setup is not completed.
    first = _login(browser, newcomer.email)
    assert first.status_code == 200
    assert first.json()["user"]["two_factor_setup_completed"] is False
    browser.credentials(HTTP_AUTHORIZATION=f"Bearer {first.json()['accessToken']}")
    refused = browser.get("/api/clients")
    assert refused.status_code == 403
    assert refused.json()["code"] == "two_factor_required"

    # The setup page: secret, QR code, recovery codes; then one code turns it on.
    setup = browser.post("/api/auth/setup-2fa")
    assert setup.status_code == 200
    data = setup.json()["data"]
    assert data["qrCodeUrl"].startswith("data:image/png;base64,")
    assert data["otpauthUri"].startswith("otpauth://totp/")
    assert data["secret"] in data["otpauthUri"]
    assert len(data["backupCodes"]) == 10 and len(set(data["backupCodes"])) == 10
    totp = pyotp.TOTP(data["secret"])
    verified = browser.post("/api/auth/verify-2fa", {"code": totp.now(), "secret": data["secret"]}, format="json")
    assert verified.status_code == 200
    assert verified.json()["user"]["two_factor_setup_completed"] is True
    me = browser.get("/api/auth/me").json()["data"]
    assert me["two_factor_setup_completed"] is True and me["two_factor_enabled"] is True
    assert browser.get("/api/clients").status_code == 200

    # Logout as the frontend does it: DELETE, cookie and bearer token, no body.
    logout = browser.delete("/api/auth/logout")
    assert logout.status_code == 200
    assert logout.cookies["refreshToken"].value == ""
    assert browser.get("/api/auth/me").status_code == 401  # the access token ended at once
    browser.credentials()
    browser.cookies["refreshToken"] = first.json()["refreshToken"]
    assert browser.post("/api/auth/refresh-token", {}, format="json").status_code == 401

    # Next sign-in: the password alone asks for the second factor and hands out no token.
    clock.shift(STEP)
    second = _login(browser, newcomer.email)
    assert second.status_code == 200
    body = second.json()
    assert body["success"] is True and body["requiresTwoFactor"] is True and body["tempToken"]
    assert "accessToken" not in body and "refreshToken" not in body and "refreshToken" not in second.cookies
    # complete2FALogin: the same login again with the code.
    done = _login(browser, newcomer.email, twoFactorCode=totp.now())
    assert done.status_code == 200
    assert done.json()["accessToken"] and done.json()["user"]["two_factor_setup_completed"] is True
    assert done.cookies["refreshToken"].value == done.json()["refreshToken"]

    # The same with X-Temp-Token (authApi.verify2FA without a secret).
    clock.shift(STEP)
    temp_token = _login(browser, newcomer.email).json()["tempToken"]
    with_header = browser.post(
        "/api/auth/verify-2fa", {"code": totp.now()}, format="json", HTTP_X_TEMP_TOKEN=temp_token
    )
    assert with_header.status_code == 200
    tokens = with_header.json()
    assert tokens["user"]["id"] == str(newcomer.pk)
    browser.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    assert browser.get("/api/clients").status_code == 200
    browser.credentials()

    # A recovery code works once in the code's place.
    recovery = data["backupCodes"][0]
    assert _login(browser, newcomer.email, twoFactorCode=recovery).status_code == 200
    again = _login(browser, newcomer.email, twoFactorCode=recovery)
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_two_factor_code"
    assert TwoFactorRecoveryCode.objects.filter(used_at__isnull=False).count() == 1


def test_the_login_form_as_the_frontend_sends_it(practice, newcomer, clock):
    """LoginPage sends an empty twoFactorCode and rememberDevice with every sign-in."""
    form = {"password": PASSWORD, "rememberDevice": False, "twoFactorCode": ""}
    api = APIClient()
    plain = api.post("/api/auth/login", {"email": newcomer.email, **form}, format="json")
    assert plain.status_code == 200 and plain.json()["accessToken"]
    therapist, _ = _enabled_therapist(practice)
    second_step = api.post("/api/auth/login", {"email": therapist.email, **form}, format="json")
    assert second_step.status_code == 200
    assert second_step.json()["requiresTwoFactor"] is True


def test_a_code_is_never_accepted_twice(practice, clock):
    therapist, totp = _enabled_therapist(practice)
    api = APIClient()
    code = totp.now()
    assert _login(api, therapist.email, twoFactorCode=code).status_code == 200
    replay = _login(api, therapist.email, twoFactorCode=code)
    assert replay.status_code == 400
    assert replay.json()["code"] == "invalid_two_factor_code"
    assert replay.json()["errors"] == [{"field": "twoFactorCode", "message": "The verification code is not valid."}]
    # Nor an older code of the window once a later one was accepted.
    clock.shift(STEP)
    assert _login(api, therapist.email, twoFactorCode=totp.now()).status_code == 200
    assert _login(api, therapist.email, twoFactorCode=totp.at(START)).status_code == 400


def test_codes_of_the_neighbouring_steps_are_accepted_older_ones_not(practice, clock):
    therapist, totp = _enabled_therapist(practice)
    api = APIClient()
    assert _login(api, therapist.email, twoFactorCode=totp.at(START - 2 * STEP)).status_code == 400  # expired
    assert _login(api, therapist.email, twoFactorCode=totp.at(START - STEP)).status_code == 200  # clock drift
    assert _login(api, therapist.email, twoFactorCode=totp.at(START + STEP)).status_code == 200
    assert _login(api, therapist.email, twoFactorCode=totp.at(START + 2 * STEP)).status_code == 400


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", "12 34 5x", "x" * 33, 123456, None])
def test_malformed_codes_are_refused_with_the_envelope_and_change_nothing(practice, clock, code):
    therapist, _ = _enabled_therapist(practice)
    response = _login(APIClient(), therapist.email, twoFactorCode=code)
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert response.json()["errors"][0]["field"] == "twoFactorCode"
    assert TwoFactorDevice.objects.get(user=therapist).last_used_step is None


def test_five_wrong_codes_lock_the_account_like_wrong_passwords(practice, clock):
    therapist, totp = _enabled_therapist(practice)
    api = APIClient()
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    statuses = [_login(api, therapist.email, twoFactorCode=wrong).status_code for _ in range(5)]
    assert statuses == [400] * 5
    locked = _login(api, therapist.email, twoFactorCode=totp.now())
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    assert _login(api, therapist.email).json()["code"] == "account_locked"


def test_temp_token_is_single_use(practice, clock):
    therapist, totp = _enabled_therapist(practice)
    api = APIClient()
    temp = _login(api, therapist.email).json()["tempToken"]
    first = api.post("/api/auth/verify-2fa", {"code": totp.now()}, format="json", HTTP_X_TEMP_TOKEN=temp)
    assert first.status_code == 200
    clock.shift(STEP)
    second = api.post("/api/auth/verify-2fa", {"code": totp.now()}, format="json", HTTP_X_TEMP_TOKEN=temp)
    assert second.status_code == 401
    assert second.json()["code"] == "invalid_temp_token"


def test_a_wrong_code_leaves_the_temp_token_usable(practice, clock):
    therapist, totp = _enabled_therapist(practice)
    api = APIClient()
    temp = _login(api, therapist.email).json()["tempToken"]
    wrong = api.post("/api/auth/verify-2fa", {"code": "000000"}, format="json", HTTP_X_TEMP_TOKEN=temp)
    assert wrong.status_code == 400
    assert TwoFactorChallenge.objects.get().used_at is None
    ok = api.post("/api/auth/verify-2fa", {"code": totp.now()}, format="json", HTTP_X_TEMP_TOKEN=temp)
    assert ok.status_code == 200


def test_temp_token_expires(practice, clock):
    therapist, totp = _enabled_therapist(practice)
    api = APIClient()
    temp = _login(api, therapist.email).json()["tempToken"]
    clock.shift(timedelta(seconds=settings.TWO_FACTOR_TEMP_TOKEN_SECONDS + 1))
    response = api.post("/api/auth/verify-2fa", {"code": totp.now()}, format="json", HTTP_X_TEMP_TOKEN=temp)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_temp_token"
    assert TwoFactorDevice.objects.get(user=therapist).last_used_step is None


def test_temp_token_is_bound_to_its_user(practice, clock):
    alice, _ = _enabled_therapist(practice, "alice@test.example")
    bob, bob_totp = _enabled_therapist(practice, "bob@test.example")
    api = APIClient()
    alice_temp = _login(api, alice.email).json()["tempToken"]
    # Bob's valid code does not complete Alice's sign-in, nor sign Bob in.
    response = api.post("/api/auth/verify-2fa", {"code": bob_totp.now()}, format="json", HTTP_X_TEMP_TOKEN=alice_temp)
    assert response.status_code == 400
    assert "accessToken" not in response.json()
    assert TwoFactorDevice.objects.get(user=bob).last_used_step is None
    # A made-up token is no token.
    forged = api.post("/api/auth/verify-2fa", {"code": bob_totp.now()}, format="json", HTTP_X_TEMP_TOKEN="x" * 43)
    assert forged.status_code == 401


@pytest.mark.parametrize(
    "path,body",
    [("/api/auth/setup-2fa", {}), ("/api/auth/verify-2fa", {"code": "123456", "secret": "A" * 32}),
     ("/api/auth/disable-2fa", {"code": "123456"})],
)  # fmt: skip
def test_two_factor_endpoints_need_a_signed_in_user(anon_api, path, body):
    response = anon_api.post(path, body, format="json")
    assert response.status_code == 401
    assert response.json()["success"] is False


def test_a_therapist_without_two_factor_reaches_only_the_two_factor_endpoints(newcomer, client_record):
    client_record.therapists.add(newcomer)
    api = authenticated_client(newcomer)
    for path in ("/api/clients", f"/api/clients/{client_record.pk}/medical-history", "/api/appointments"):
        response = api.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "two_factor_required"
        assert "two-factor" in response.json()["message"]
    assert api.get("/api/auth/me").status_code == 200
    assert api.post("/api/auth/setup-2fa").status_code == 200


def test_staff_need_two_factor_only_where_their_practice_requires_it(practice):
    staff = StaffFactory(practice=practice)
    api = authenticated_client(staff)
    assert api.get("/api/clients").status_code == 200
    practice.require_two_factor_for_staff = True
    practice.save()
    response = api.get("/api/clients")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_setup_verify_rules(newcomer, clock):
    api = authenticated_client(newcomer)
    assert api.post("/api/auth/verify-2fa", {"code": "123456", "secret": "A" * 32}, format="json").status_code == 404
    old = api.post("/api/auth/setup-2fa").json()["data"]
    new = api.post("/api/auth/setup-2fa").json()["data"]  # setup again: the first one is gone
    totp = pyotp.TOTP(new["secret"])
    stale = api.post("/api/auth/verify-2fa", {"code": totp.now(), "secret": old["secret"]}, format="json")
    assert stale.status_code == 400
    assert stale.json()["code"] == "two_factor_secret_mismatch"
    missing = api.post("/api/auth/verify-2fa", {"code": totp.now()}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "secret"
    wrong = api.post("/api/auth/verify-2fa", {"code": "000000", "secret": new["secret"]}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_two_factor_code"
    # A recovery code does not turn an authenticator on: only the app proves it is set up.
    recovery = api.post("/api/auth/verify-2fa", {"code": new["backupCodes"][0], "secret": new["secret"]}, format="json")
    assert recovery.status_code == 400
    assert TwoFactorDevice.objects.get(user=newcomer).enabled is False
    assert (
        api.post("/api/auth/verify-2fa", {"code": totp.now(), "secret": new["secret"]}, format="json").status_code
        == 200
    )
    conflict = api.post("/api/auth/setup-2fa")
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "two_factor_already_enabled"


def test_secrets_are_encrypted_and_recovery_codes_hashed(newcomer):
    data = authenticated_client(newcomer).post("/api/auth/setup-2fa").json()["data"]
    device = TwoFactorDevice.objects.get(user=newcomer)
    assert data["secret"] not in device.encrypted_secret
    assert device.secret == data["secret"]
    stored = " ".join(f"{c.salt} {c.digest}" for c in device.recovery_codes.all())
    assert not any(code in stored for code in data["backupCodes"])


def test_disable_two_factor_with_a_code_closes_the_api_again(practice, clock):
    therapist, totp = _enabled_therapist(practice)
    api = authenticated_client(therapist)
    assert api.post("/api/auth/disable-2fa", {"code": "000000"}, format="json").status_code == 400
    assert api.post("/api/auth/disable-2fa", {"code": totp.now()}, format="json").status_code == 200
    assert not TwoFactorDevice.objects.filter(user=therapist).exists()
    assert api.get("/api/clients").json()["code"] == "two_factor_required"
    assert api.post("/api/auth/disable-2fa", {"code": totp.now()}, format="json").status_code == 409


def test_the_user_carries_the_frontends_field_names(practice):
    therapist, _ = _enabled_therapist(practice)
    user = authenticated_client(therapist).get("/api/auth/me").json()["data"]
    assert set(user) >= FRONTEND_USER_FIELDS
    assert user["status"] == "active"
    assert user["preferred_language"] in ("nl", "en")
    assert user["two_factor_enabled"] is True and user["two_factor_setup_completed"] is True
    assert user["profile_photo_url"] is None


def test_me_takes_one_query_with_the_two_factor_state(practice):
    therapist, _ = _enabled_therapist(practice)
    api = authenticated_client(therapist)
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/auth/me").status_code == 200
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1  # the user, with practice and authenticator joined; the denylist is the cache
    assert "practice_twofactordevice" in selects[0] and "practice_practice" in selects[0]


def test_staff_reset_a_therapists_two_factor_in_the_admin(practice, clock):
    therapist, _ = _enabled_therapist(practice)
    staff = StaffFactory(practice=practice, is_superuser=True)
    browser = APIClient()
    browser.force_login(staff)
    response = browser.post(
        "/admin/practice/user/",
        {"action": "reset_two_factor", "_selected_action": [str(therapist.pk)]},
    )
    assert response.status_code == 302
    assert not TwoFactorDevice.objects.filter(user=therapist).exists()
    entry = AuditEvent.objects.get(record_type="two_factor")
    assert (entry.actor, entry.action, entry.record_id) == (staff, "delete", str(therapist.pk))
    # At the next sign-in the therapist gets tokens and is sent to the setup page.
    login = _login(APIClient(), therapist.email)
    assert login.json()["user"]["two_factor_setup_completed"] is False
