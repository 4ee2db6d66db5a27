from io import StringIO

import pyotp
import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from conftest import demo_sign_in
from practice.demo.core import demo_two_factor_secret
from practice.models import Client, Practice, User

pytestmark = pytest.mark.django_db


def _counts():
    return Practice.objects.count(), User.objects.count(), Client.objects.count()


def test_seed_demo_is_idempotent_and_resettable():
    call_command("seed_demo", "--password", "pw-for-tests")
    first = _counts()
    assert first[0] == 2
    assert Client.objects.filter(practice__name="Demo Practice").count() == 40
    call_command("seed_demo", "--password", "pw-for-tests")
    assert _counts() == first
    call_command("seed_demo", "--reset", "--password", "pw-for-tests")
    assert _counts() == first


def test_a_demo_therapist_sets_up_two_factor_at_the_first_sign_in_and_then_lists_clients():
    call_command("seed_demo", "--password", "pw-for-tests")
    api = APIClient()
    login = api.post("/api/auth/login", {"email": "therapist1@demo.example", "password": "pw-for-tests"}, format="json")
    assert login.status_code == 200
    assert login.json()["user"]["two_factor_setup_completed"] is False
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['accessToken']}")
    assert api.get("/api/clients").json()["code"] == "two_factor_required"

    setup = api.post("/api/auth/setup-2fa", {}, format="json").json()["data"]
    out = StringIO()
    call_command("totp_code", "therapist1@demo.example", stdout=out)
    assert out.getvalue().strip() == pyotp.TOTP(setup["secret"]).now()
    verify = api.post(
        "/api/auth/verify-2fa", {"code": out.getvalue().strip(), "secret": setup["secret"]}, format="json"
    )
    assert verify.status_code == 200

    clients = api.get("/api/clients").json()
    assert clients["pagination"]["total"] > 10


def test_two_demo_therapists_have_a_photo_the_frontend_can_show(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("seed_demo", "--password", "pw-for-tests")
    with_photo = User.objects.filter(practice__name="Demo Practice").exclude(profile_photo="")
    assert sorted(with_photo.values_list("email", flat=True)) == ["therapist1@demo.example", "therapist2@demo.example"]
    first = {path.name: path.read_bytes() for path in tmp_path.rglob("*.jpg")}
    assert len(first) == 2
    api = APIClient()
    login = api.post("/api/auth/login", {"email": "therapist3@demo.example", "password": "pw-for-tests"}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['accessToken']}")
    colleague = with_photo.get(email="therapist1@demo.example")
    served = api.get(f"/api/profile/photo/{colleague.pk}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    # A reset removes the files with the users, and the same photos come back.
    call_command("seed_demo", "--reset", "--password", "pw-for-tests")
    again = {path.name: path.read_bytes() for path in tmp_path.rglob("*.jpg")}
    assert len(again) == 2
    assert sorted(again.values()) == sorted(first.values())


def test_seed_demo_with_2fa_prints_fixed_secrets_that_sign_in():
    out = StringIO()
    call_command("seed_demo", "--password", "pw-for-tests", "--with-2fa", stdout=out)
    secret = demo_two_factor_secret("therapist1@demo.example")
    assert f"therapist1@demo.example      {secret}" in out.getvalue()
    call_command("seed_demo", "--password", "pw-for-tests", "--with-2fa", stdout=StringIO())  # idempotent
    api = APIClient()
    tokens = demo_sign_in(api, "therapist1@demo.example", "pw-for-tests")
    assert tokens["user"]["two_factor_setup_completed"] is True
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    assert api.get("/api/clients").status_code == 200


def test_totp_code_is_only_for_demo_users(therapist):
    with pytest.raises(CommandError):
        call_command("totp_code", therapist.email, stdout=StringIO())
