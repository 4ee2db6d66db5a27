import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

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


def test_demo_therapist_can_log_in_and_list_clients():
    call_command("seed_demo", "--password", "pw-for-tests")
    api = APIClient()
    login = api.post("/api/auth/login", {"email": "therapist1@demo.example", "password": "pw-for-tests"}, format="json")
    assert login.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['accessToken']}")
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
