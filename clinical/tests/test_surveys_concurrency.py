"""Surveys under concurrent requests on PostgreSQL: real threads, each with its own
database connection."""

import pytest

from clinical.models import Survey, SurveyAssignment, SurveyResponse
from clinical.tests.factories import SurveyAssignmentFactory
from conftest import authenticated_client
from practice.tests.concurrency import run_concurrently

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


def test_concurrent_assignments_leave_one_open_assignment(practice, therapist, client_record):
    phq9 = Survey.objects.get(practice=practice, instrument="phq9")
    callers = [authenticated_client(therapist) for _ in range(THREADS)]

    def assign(index):
        response = callers[index].post(
            f"/api/surveys/{phq9.pk}/assign", {"clientId": str(client_record.pk)}, format="json"
        )
        return response.status_code, response.json().get("code")

    results = run_concurrently(assign, THREADS)
    assert sorted(results, key=str) == [(201, None)] + [(409, "survey_already_assigned")] * (THREADS - 1)
    assert SurveyAssignment.objects.filter(survey=phq9, client=client_record, status="pending").count() == 1


def test_concurrent_responses_complete_an_assignment_once(practice, therapist, client_record):
    phq9 = Survey.objects.get(practice=practice, instrument="phq9")
    assignment = SurveyAssignmentFactory(survey=phq9, client=client_record, assigned_by=therapist)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]
    answers = [{"questionId": f"phq9_{n}", "value": 1} for n in range(1, 10)]

    def respond(index):
        response = callers[index].post(
            f"/api/surveys/{phq9.pk}/responses",
            {"clientId": str(client_record.pk), "assignmentId": str(assignment.pk), "answers": answers},
            format="json",
        )
        return response.status_code, response.json().get("code")

    results = run_concurrently(respond, THREADS)
    assert sorted(results, key=str) == [(201, None)] + [(409, "assignment_not_pending")] * (THREADS - 1)
    assert SurveyResponse.objects.filter(assignment=assignment).count() == 1
    assignment.refresh_from_db()
    assert assignment.status == SurveyAssignment.Status.COMPLETED
