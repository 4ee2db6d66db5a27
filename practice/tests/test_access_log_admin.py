"""The client's access log in the admin: a printable page and a CSV export, in the
client's language unless another is chosen; producing it is audited."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission

from practice.models import AuditEvent
from practice.services.audit import AuditTarget, audit_log
from practice.tests.factories import ClientFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, practice):
    staff = StaffFactory(practice=practice, is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_client"))
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def record(practice, therapist):
    person = ClientFactory(practice=practice, therapists=[therapist], preferred_language="nl")
    for _ in range(2):
        audit_log(actor=therapist, action="view", targets=[AuditTarget("session_note", person.pk, person.pk)])
    return person


def test_the_printable_page_is_in_the_clients_language(desk, record, therapist):
    response = desk.get(f"/admin/practice/client/{record.pk}/access-log/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Inzageoverzicht van" in page
    assert therapist.full_name in page and "sessieverslag" in page and "inzien" in page
    assert AuditEvent.objects.filter(record_type="access_log", client=record).count() == 1


def test_the_csv_in_english_when_asked(desk, record, therapist):
    response = desk.get(f"/admin/practice/client/{record.pk}/access-log.csv?language=en&start_date=2000-01-01")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "First time", "Last time", "Name", "Role", "Part of the record", "Action", "Times"]
    # Producing the log is in it too.
    assert [row[3:] for row in rows[1:]] == [
        [therapist.full_name, "therapist", "session note", "view", "2"],
        [desk.staff.full_name, "staff", "access log", "view", "1"],
    ]


def test_another_practices_client_is_not_found(desk, other_practice):
    stranger = ClientFactory(practice=other_practice)
    assert desk.get(f"/admin/practice/client/{stranger.pk}/access-log/").status_code in (302, 404)
    assert not AuditEvent.objects.filter(record_type="access_log").exists()
