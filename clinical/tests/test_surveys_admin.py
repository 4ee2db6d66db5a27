"""Surveys in the admin: read-only, scoped to the staff member's practice; responses listed
without their answers or scores."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as BrowserClient

from clinical.models import Survey
from clinical.tests.factories import SurveyFactory, SurveyResponseFactory
from practice.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(practice):
    admin_user = UserFactory(practice=practice, role="staff", is_staff=True, is_superuser=False)
    admin_user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="clinical", codename__startswith="view_survey")
    )
    browser = BrowserClient()
    browser.force_login(admin_user)
    return browser


def test_staff_see_their_practices_surveys_read_only(browser, practice, other_practice, therapist):
    mine = SurveyFactory(practice=practice, created_by=therapist)
    SurveyFactory(practice=other_practice, title="Elsewhere survey")
    listing = browser.get("/admin/clinical/survey/")
    assert listing.status_code == 200
    titles = {survey.title for survey in listing.context["cl"].result_list}
    assert titles == {mine.title, "PHQ-9 depression questionnaire", "GAD-7 anxiety questionnaire"}
    assert browser.get(f"/admin/clinical/survey/{mine.pk}/change/").status_code == 200
    assert browser.post(f"/admin/clinical/survey/{mine.pk}/change/", {"title": "Changed"}).status_code == 403
    assert browser.get("/admin/clinical/survey/add/").status_code == 403
    assert Survey.objects.get(pk=mine.pk).title == mine.title


def test_responses_are_listed_without_answers_or_scores(browser, practice, therapist, client_record):
    response = SurveyResponseFactory(
        survey=SurveyFactory(practice=practice, created_by=therapist),
        client=client_record,
        entered_by=therapist,
        answers=[{"question_id": "notes", "value": "Private words"}],
    )
    page = browser.get("/admin/clinical/surveyresponse/")
    assert page.status_code == 200
    assert [r.pk for r in page.context["cl"].result_list] == [response.pk]
    assert "Private words" not in page.content.decode()
    assert browser.get(f"/admin/clinical/surveyresponse/{response.pk}/change/").status_code in (302, 403)
