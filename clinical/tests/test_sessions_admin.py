import pytest

from clinical.models import SessionTemplate
from clinical.tests.factories import MoodReadingFactory, SessionFactory, SessionTemplateFactory
from practice.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, practice):
    client.force_login(StaffFactory(practice=practice, is_superuser=True))
    return client


def test_session_list_shows_no_clinical_text(admin_client, therapist, client_record):
    session = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        progress_notes="Discussed the divorce",
        homework_assigned="Journal nightly",
    )
    MoodReadingFactory(session=session)
    for url in ("/admin/clinical/session/", f"/admin/clinical/session/?q={client_record.last_name}"):
        page = admin_client.get(url).content.decode()
        assert client_record.last_name in page
        assert "divorce" not in page
        assert "Journal nightly" not in page
    assert admin_client.get("/admin/clinical/moodreading/").status_code == 200


def test_staff_manage_templates(admin_client, practice, therapist, other_practice_therapist):
    SessionTemplateFactory(practice=practice, name="Intake")
    assert "Intake" in admin_client.get("/admin/clinical/sessiontemplate/").content.decode()
    form = {"practice": practice.pk, "name": "CBT", "session_type": "individual", "duration_minutes": 50}
    form.update({"default_goals": '["Sleep"]', "common_techniques": '["CBT"]', "is_active": "on"})
    refused = admin_client.post(
        "/admin/clinical/sessiontemplate/add/", {**form, "therapist": other_practice_therapist.pk}
    )
    assert refused.status_code == 200
    assert "another practice" in refused.content.decode()
    created = admin_client.post("/admin/clinical/sessiontemplate/add/", {**form, "therapist": therapist.pk})
    assert created.status_code == 302
    assert SessionTemplate.objects.get(name="CBT").therapist == therapist
