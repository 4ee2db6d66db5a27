import pytest

from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_therapist_lists_only_assigned_clients(api, practice, therapist, other_therapist):
    mine = ClientFactory(practice=practice, therapists=[therapist], last_name="Aardvark")
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist], last_name="Beaver")
    ClientFactory(practice=practice, therapists=[other_therapist])
    ClientFactory(practice=practice)
    body = api.get("/api/clients").json()
    assert [c["id"] for c in body["data"]] == [str(mine.pk), str(shared.pk)]
    assert {t["id"] for t in body["data"][1]["therapists"]} == {str(therapist.pk), str(other_therapist.pk)}


def test_staff_lists_every_client_of_their_practice_only(staff_api, practice, other_practice, therapist):
    ClientFactory.create_batch(3, practice=practice, therapists=[therapist])
    ClientFactory(practice=practice)
    ClientFactory(practice=other_practice)
    assert staff_api.get("/api/clients").json()["pagination"]["total"] == 4


def test_client_detail(api, client_record):
    response = api.get(f"/api/clients/{client_record.pk}")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == str(client_record.pk)
    assert data["email"] == client_record.email
    assert data["phone"].startswith("+31")


def test_another_therapists_client_is_a_404(other_therapist_api, client_record):
    response = other_therapist_api.get(f"/api/clients/{client_record.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_practices_client_is_a_404_even_for_staff(other_practice_api, staff_api, other_practice):
    foreign = ClientFactory(practice=other_practice)
    assert other_practice_api.get(f"/api/clients/{foreign.pk}").status_code == 404
    assert staff_api.get(f"/api/clients/{foreign.pk}").status_code == 404


def test_anonymous_gets_401(anon_api, client_record):
    assert anon_api.get("/api/clients").status_code == 401
    assert anon_api.get(f"/api/clients/{client_record.pk}").status_code == 401


def test_filters(api, practice, therapist):
    ClientFactory(practice=practice, therapists=[therapist], status="active", first_name="Zed")
    ClientFactory(practice=practice, therapists=[therapist], status="waitlist", first_name="Yuna")
    assert api.get("/api/clients?status=waitlist").json()["pagination"]["total"] == 1
    assert api.get("/api/clients?search=zed").json()["data"][0]["first_name"] == "Zed"
    bad = api.get("/api/clients?status=bogus")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "status"


def test_list_query_count_is_constant(api, practice, therapist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from practice.tests.queries import data_statements

    ClientFactory.create_batch(5, practice=practice, therapists=[therapist])
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/clients?limit=5").status_code == 200
    ClientFactory.create_batch(95, practice=practice, therapists=[therapist])
    with CaptureQueriesContext(connection) as large:
        assert api.get("/api/clients?limit=100").status_code == 200
    assert len(small) == len(large)
    with CaptureQueriesContext(connection) as again:
        api.get("/api/clients?limit=100")
    assert len(data_statements(again)) <= 6
