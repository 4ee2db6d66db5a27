"""Surveys through the API, the way the survey pages and the session page call it: the list
(``data.surveys``), create (the create page's body, the list's "duplicate"), read, delete,
assign, and responses with the PHQ-9 and GAD-7 scored by the server."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.settings import api_settings

from clinical.models import Survey, SurveyAssignment, SurveyResponse
from clinical.tests.factories import SessionFactory, SurveyAssignmentFactory, SurveyFactory, SurveyResponseFactory
from practice.models import AuditEvent, UserNotification
from practice.tests.factories import ClientFactory
from practice.tests.queries import data_statements
from practice.tests.test_permission_matrix import database_snapshot

pytestmark = pytest.mark.django_db


def _phq9(practice) -> Survey:
    return Survey.objects.get(practice=practice, instrument="phq9")


def _gad7(practice) -> Survey:
    return Survey.objects.get(practice=practice, instrument="gad7")


def _phq9_answers(*values: int) -> list[dict]:
    return [{"questionId": f"phq9_{n}", "value": v} for n, v in enumerate(values, start=1)]


def _create_page_body(**overrides) -> dict:
    """What the create page sends: every new question carries options and a scale."""
    return {
        "title": "Weekly check-in",
        "description": "How was the week?",
        "type": "assessment",
        "isTemplate": False,
        "status": "active",
        "questions": [
            {"id": "q1700000000001", "text": "Rate your mood", "type": "scale", "required": True,
             "options": ["", ""], "scale": {"min": 1, "max": 10}, "scaleLabels": {"min": "Low", "max": "High"}},
            {"id": "q1700000000002", "text": "What did you notice?", "type": "multipleChoice", "required": True,
             "options": ["Worry", "Low mood", "None"], "scale": {"min": 1, "max": 10}},
            {"id": "q1700000000003", "text": "Did you sleep well?", "type": "yesNo", "required": False,
             "options": ["", ""], "scale": {"min": 1, "max": 10}},
            {"id": "q1700000000004", "text": "Anything else?", "type": "text", "required": False,
             "options": ["", ""], "scale": {"min": 1, "max": 10}},
        ],
        **overrides,
    }  # fmt: skip


# --- Built in ----------------------------------------------------------------------------------


def test_every_new_practice_has_a_read_only_phq9_and_gad7(practice):
    phq9, gad7 = _phq9(practice), _gad7(practice)
    assert phq9.is_standard and gad7.is_standard and phq9.is_practice_wide
    assert [q["id"] for q in phq9.questions] == [f"phq9_{n}" for n in range(1, 10)]
    assert len(gad7.questions) == 7
    assert phq9.questions[8]["text"].startswith("Thoughts that you would be better off dead")
    assert all(q["scale"] == {"min": 0, "max": 3} and q["required"] for q in phq9.questions)


def test_installing_the_standard_surveys_twice_adds_nothing(practice):
    from clinical.services.surveys import standard_surveys_install

    assert standard_surveys_install(practice=practice) == []
    assert Survey.objects.filter(practice=practice, is_standard=True).count() == 2


# --- List and read -----------------------------------------------------------------------------


def test_the_list_page_reads_data_surveys_with_counts(api, practice, therapist, client_record):
    own = SurveyFactory(practice=practice, created_by=therapist)
    SurveyAssignmentFactory(survey=own, client=client_record, assigned_by=therapist)
    SurveyResponseFactory(survey=own, client=client_record, entered_by=therapist)
    SurveyFactory(practice=practice)  # a colleague's own: not listed
    body = api.get("/api/surveys", {"_t": "1"}).json()
    assert body["success"] is True
    assert body["pagination"]["total"] == 3
    surveys = body["data"]["surveys"]
    assert [s["title"] for s in surveys] == [
        "PHQ-9 depression questionnaire",
        "GAD-7 anxiety questionnaire",
        own.title,
    ]
    mine = surveys[2]
    assert mine["isTemplate"] is False
    assert mine["status"] == "active"
    assert mine["type"] == "assessment"
    assert (mine["assignedCount"], mine["responseCount"], mine["assignmentCount"]) == (1, 1, 1)
    assert mine["createdBy"] == str(therapist.pk)
    assert mine["createdAt"].endswith("Z")
    assert [q["type"] for q in mine["questions"]] == ["scale", "multipleChoice", "yesNo", "text"]
    assert mine["questions"][0]["scaleLabels"] == {"min": "Bad", "max": "Great"}
    phq9 = surveys[0]
    assert (phq9["isStandard"], phq9["instrument"], phq9["maxScore"], phq9["createdBy"]) == (True, "phq9", 27, None)
    assert phq9["questions"][0]["options"] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]


def test_counts_cover_only_the_callers_clients(api, practice, therapist, other_therapist, client_record):
    shared = SurveyFactory(practice=practice, created_by=therapist, is_practice_wide=True)
    theirs = ClientFactory(practice=practice, therapists=[other_therapist])
    SurveyAssignmentFactory(survey=shared, client=theirs, assigned_by=other_therapist)
    SurveyResponseFactory(survey=shared, client=theirs, entered_by=other_therapist)
    SurveyAssignmentFactory(
        survey=shared, client=client_record, assigned_by=therapist, status=SurveyAssignment.Status.CANCELLED
    )
    SurveyResponseFactory(survey=shared, client=client_record, entered_by=therapist)
    data = api.get(f"/api/surveys/{shared.pk}").json()["data"]
    assert (data["assignedCount"], data["responseCount"]) == (0, 1)
    (listed,) = [s for s in api.get("/api/surveys").json()["data"]["surveys"] if s["id"] == str(shared.pk)]
    assert (listed["assignedCount"], listed["responseCount"]) == (0, 1)


def test_staff_counts_are_zero(staff_api, practice, therapist, client_record):
    shared = SurveyFactory(practice=practice, created_by=therapist, is_practice_wide=True)
    SurveyAssignmentFactory(survey=shared, client=client_record, assigned_by=therapist)
    SurveyResponseFactory(survey=shared, client=client_record, entered_by=therapist)
    (listed,) = [s for s in staff_api.get("/api/surveys").json()["data"]["surveys"] if s["id"] == str(shared.pk)]
    assert (listed["assignedCount"], listed["responseCount"]) == (0, 0)


def test_the_assign_and_responses_pages_read_one_survey(api, practice):
    data = api.get(f"/api/surveys/{_gad7(practice).pk}").json()["data"]
    assert data["title"] == "GAD-7 anxiety questionnaire"
    assert len(data["questions"]) == 7
    assert data["assignmentCount"] == 0


def test_a_survey_of_a_colleague_or_another_practice_is_a_404(api, practice, other_practice):
    for survey in (SurveyFactory(practice=practice), _phq9(other_practice)):
        response = api.get(f"/api/surveys/{survey.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_staff_see_only_practice_wide_surveys(staff_api, practice, therapist):
    SurveyFactory(practice=practice, created_by=therapist)
    shared = SurveyFactory(practice=practice, created_by=therapist, is_practice_wide=True)
    titles = [s["title"] for s in staff_api.get("/api/surveys").json()["data"]["surveys"]]
    assert shared.title in titles and len(titles) == 3


def test_the_list_runs_a_constant_number_of_queries(api, practice, therapist, client_record):
    def add(count):
        for _ in range(count):
            survey = SurveyFactory(practice=practice, created_by=therapist)
            SurveyAssignmentFactory(survey=survey, client=client_record, assigned_by=therapist)
            SurveyResponseFactory(survey=survey, client=client_record, entered_by=therapist)

    add(1)
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/surveys").status_code == 200
    add(15)
    with CaptureQueriesContext(connection) as large:
        assert len(api.get("/api/surveys").json()["data"]["surveys"]) == 18
    assert len(small) == len(large)
    # The user, the page and its counts: a page shorter than the limit needs no COUNT.
    assert len(data_statements(large)) == 3


def test_list_items_equal_the_serializer_payload(api, practice, therapist, client_record):
    from clinical.selectors.surveys import survey_add_counts, survey_list
    from clinical.serializers.surveys import SurveySerializer, survey_list_item

    survey = SurveyFactory(practice=practice, created_by=therapist, is_template=True)
    SurveyAssignmentFactory(survey=survey, client=client_record, assigned_by=therapist)
    SurveyResponseFactory(survey=survey, client=client_record, entered_by=therapist)
    SurveyResponseFactory(survey=_phq9(practice), client=client_record, entered_by=therapist, answers=[],
                          instrument="phq9", total_score=5, severity="mild")  # fmt: skip
    listed = survey_add_counts(actor=therapist, surveys=list(survey_list(actor=therapist)))
    assert {s.instrument for s in listed} == {"phq9", "gad7", ""}  # the scored instruments and a custom one
    assert any(s.response_count for s in listed) and any(s.assigned_count for s in listed)
    for item in listed:
        assert survey_list_item(item) == SurveySerializer(item).data
    # And the list sends exactly those items.
    assert api.get("/api/surveys").json()["data"]["surveys"] == [SurveySerializer(s).data for s in listed]


# --- Create ------------------------------------------------------------------------------------


def test_the_create_page_creates_a_survey(api, therapist):
    response = api.post("/api/surveys", _create_page_body(), format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    survey = Survey.objects.get(pk=data["id"])
    assert survey.created_by == therapist and survey.is_practice_wide is False
    questions = data["questions"]
    assert [q["id"] for q in questions] == [f"q170000000000{n}" for n in range(1, 5)]
    assert questions[0]["scale"] == {"min": 1, "max": 10} and questions[0]["options"] is None
    assert questions[1]["options"] == ["Worry", "Low mood", "None"] and questions[1]["scale"] is None
    assert questions[2]["options"] is None and questions[3]["scale"] is None  # sent, but not theirs
    assert (data["responseCount"], data["assignedCount"]) == (0, 0)


def test_save_as_template(api):
    body = _create_page_body(isTemplate=True, status="template")
    data = api.post("/api/surveys", body, format="json").json()["data"]
    assert (data["isTemplate"], data["status"]) == (True, "active")


def test_duplicating_a_listed_survey_posts_it_back(api, practice):
    listed = api.get("/api/surveys").json()["data"]["surveys"][0]  # the PHQ-9
    copy = {**listed, "title": f"{listed['title']} (Copy)", "isTemplate": False, "status": "draft"}
    for key in ("id", "createdAt", "updatedAt"):
        del copy[key]
    response = api.post("/api/surveys", copy, format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["isStandard"], data["instrument"], data["status"]) == (False, None, "draft")
    assert len(data["questions"]) == 9
    assert Survey.objects.filter(practice=practice, instrument="phq9").count() == 1


def test_question_ids_are_generated_when_missing(api):
    body = _create_page_body(questions=[{"text": "Why?", "type": "text"}, {"text": "Ok?", "type": "yesNo"}])
    data = api.post("/api/surveys", body, format="json").json()["data"]
    assert [q["id"] for q in data["questions"]] == ["q1", "q2"]
    assert all(q["required"] for q in data["questions"])


def _question(**fields) -> dict:
    return {"id": "q1", "text": "Question", **fields}


@pytest.mark.parametrize(
    ("questions", "field"),
    [
        ([], "questions"),
        ([_question(type="multipleChoice", options=["Only one"])], "questions.0.options"),
        ([_question(type="multipleChoice", options=["Yes", " "])], "questions.0.options"),
        ([_question(type="multipleChoice", options=["Yes", "yes"])], "questions.0.options"),
        ([_question(type="multipleChoice")], "questions.0.options"),
        ([_question(type="scale")], "questions.0.scale"),
        ([_question(type="scale", scale={"min": 5, "max": 5})], "questions.0.scale"),
        ([_question(type="scale", scale={"min": 0, "max": 500})], "questions.0.scale"),
        ([_question(type="scale", scale={"min": 1, "max": "10"})], "questions.0.scale.max"),
        ([_question(type="rating")], "questions.0.type"),
        ([_question(type="text", text=" ")], "questions.0.text"),
        ([_question(type="text"), _question(type="yesNo")], "questions.1.id"),
    ],
)
def test_bad_questions_are_a_400_that_writes_nothing(api, questions, field):
    before = database_snapshot()
    response = api.post("/api/surveys", _create_page_body(questions=questions), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in [error["field"] for error in body["errors"]]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": ""}, "title"), ({"type": "quiz"}, "type"), ({"status": "archived"}, "status"), ({"title": 5}, "title")],
)
def test_bad_survey_fields_are_a_400(api, overrides, field):
    response = api.post("/api/surveys", _create_page_body(**overrides), format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Survey.objects.filter(is_standard=False).count() == 0


def test_staff_cannot_create_surveys(staff_api):
    response = staff_api.post("/api/surveys", _create_page_body(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "therapists_only"


# --- Delete ------------------------------------------------------------------------------------


def test_deleting_a_survey_without_responses_removes_it_from_view(api, practice, therapist, client_record):
    survey = SurveyFactory(practice=practice, created_by=therapist)
    assignment = SurveyAssignmentFactory(survey=survey, client=client_record, assigned_by=therapist)
    response = api.delete(f"/api/surveys/{survey.pk}")
    assert response.status_code == 200
    assert response.json()["data"] == {"id": str(survey.pk), "status": "archived", "isDeleted": True}
    assert api.get(f"/api/surveys/{survey.pk}").status_code == 404
    survey.refresh_from_db()
    assignment.refresh_from_db()
    assert survey.deleted_at is not None  # kept, never destroyed
    assert assignment.status == SurveyAssignment.Status.CANCELLED


def test_deleting_a_survey_with_responses_archives_it_and_keeps_them(api, practice, therapist, client_record):
    survey = SurveyFactory(practice=practice, created_by=therapist)
    kept = SurveyResponseFactory(survey=survey, client=client_record, entered_by=therapist)
    data = api.delete(f"/api/surveys/{survey.pk}").json()["data"]
    assert (data["status"], data["isDeleted"]) == ("archived", False)
    assert api.get(f"/api/surveys/{survey.pk}").json()["data"]["status"] == "archived"
    listed = api.get(f"/api/surveys/{survey.pk}/responses").json()["data"]["responses"]
    assert [r["id"] for r in listed] == [str(kept.pk)]
    assign = api.post(f"/api/surveys/{survey.pk}/assign", {"clientId": str(client_record.pk)}, format="json")
    assert (assign.status_code, assign.json()["code"]) == (409, "survey_archived")


def test_only_the_author_deletes_and_nobody_deletes_a_standard(api, other_therapist_api, practice, therapist):
    shared = SurveyFactory(practice=practice, created_by=therapist, is_practice_wide=True)
    response = other_therapist_api.delete(f"/api/surveys/{shared.pk}")
    assert (response.status_code, response.json()["code"]) == (403, "not_survey_author")
    response = api.delete(f"/api/surveys/{_phq9(practice).pk}")
    assert (response.status_code, response.json()["code"]) == (403, "standard_survey_read_only")
    assert Survey.objects.filter(deleted_at__isnull=False).count() == 0
    assert Survey.objects.filter(status="archived").count() == 0


# --- Assign ------------------------------------------------------------------------------------


def test_the_assign_page_assigns_to_a_client(api, practice, therapist, client_record):
    survey = SurveyFactory(practice=practice, created_by=therapist)
    due = timezone.localdate(timezone=practice.tzinfo) + datetime.timedelta(days=7)
    body = {
        "clientId": str(client_record.pk),
        "dueDate": due.isoformat(),
        "isRecurring": True,
        "recurrencePattern": "weekly",
        "notes": "Before our next session",
        "sendNotification": True,
    }
    response = api.post(f"/api/surveys/{survey.pk}/assign", body, format="json")
    assert response.status_code == 201
    (item,) = response.json()["data"]["assignments"]
    assert (item["clientId"], item["dueDate"], item["status"]) == (str(client_record.pk), due.isoformat(), "pending")
    assert (item["isRecurring"], item["recurrencePattern"], item["notes"]) == (
        True,
        "weekly",
        "Before our next session",
    )
    assert AuditEvent.objects.filter(record_type="survey_assignment", client=client_record).count() == 1


def test_the_session_page_assigns_with_the_client_id_only(api, practice, client_record):
    response = api.post(f"/api/surveys/{_gad7(practice).pk}/assign", {"clientId": str(client_record.pk)}, format="json")
    assert response.status_code == 201
    item = response.json()["data"]["assignments"][0]
    assert (item["dueDate"], item["isRecurring"], item["recurrencePattern"], item["notes"]) == (None, False, None, "")


def test_assign_to_several_clients_at_once(api, practice, therapist, client_record):
    second = ClientFactory(practice=practice, therapists=[therapist])
    body = {"clientIds": [str(client_record.pk), str(second.pk)]}
    response = api.post(f"/api/surveys/{_phq9(practice).pk}/assign", body, format="json")
    assert response.status_code == 201
    assert len(response.json()["data"]["assignments"]) == 2


def test_a_client_who_is_not_yours_is_a_400_and_nothing_is_assigned(api, practice, therapist, client_record):
    colleagues = ClientFactory(practice=practice)
    before = database_snapshot()
    body = {"clientIds": [str(client_record.pk), str(colleagues.pk)]}
    response = api.post(f"/api/surveys/{_phq9(practice).pk}/assign", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "clientIds"
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"dueDate": "2000-01-01"}, "dueDate"),
        ({"dueDate": "2026-02-30"}, "dueDate"),
        ({"isRecurring": True}, "recurrencePattern"),
        ({"recurrencePattern": "yearly"}, "recurrencePattern"),
        ({"clientId": "not-a-uuid"}, "clientId"),
        ({"clientId": None}, "clientId"),
        ({"sessionId": "00000000-0000-4000-8000-000000000001"}, "sessionId"),
    ],
)
def test_bad_assignments_are_a_400_that_writes_nothing(api, practice, client_record, extra, field):
    before = database_snapshot()
    body = {"clientId": str(client_record.pk), **extra}
    response = api.post(f"/api/surveys/{_phq9(practice).pk}/assign", body, format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert database_snapshot() == before


def test_a_due_date_of_today_in_the_practice_time_zone_is_fine(api, practice, client_record):
    today = timezone.localdate(timezone=practice.tzinfo)
    body = {"clientId": str(client_record.pk), "dueDate": today.isoformat()}
    assert api.post(f"/api/surveys/{_phq9(practice).pk}/assign", body, format="json").status_code == 201


def test_a_second_open_assignment_is_a_409(api, practice, therapist, client_record):
    phq9 = _phq9(practice)
    first = SurveyAssignmentFactory(survey=phq9, client=client_record, assigned_by=therapist)
    response = api.post(f"/api/surveys/{phq9.pk}/assign", {"clientId": str(client_record.pk)}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "survey_already_assigned"
    assert body["data"]["assignmentId"] == str(first.pk)
    assert SurveyAssignment.objects.count() == 1


def test_staff_cannot_assign(staff_api, practice, client_record):
    response = staff_api.post(
        f"/api/surveys/{_phq9(practice).pk}/assign", {"clientId": str(client_record.pk)}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "therapists_only")


# --- Responses ---------------------------------------------------------------------------------


def test_a_phq9_entered_during_a_session_is_scored_by_the_server(api, practice, therapist, client_record):
    session = SessionFactory(appointment__therapist=therapist, appointment__client=client_record)
    assignment = SurveyAssignmentFactory(survey=_phq9(practice), client=client_record, assigned_by=therapist)
    body = {
        "clientId": str(client_record.pk),
        "sessionId": str(session.pk),
        "answers": _phq9_answers(2, 2, 2, 2, 2, 2, 2, 2, 0),
        "totalScore": 0,  # the server's to compute
    }
    response = api.post(f"/api/surveys/{_phq9(practice).pk}/responses", body, format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["totalScore"], data["severity"], data["severityLabel"]) == (
        16,
        "moderately_severe",
        "moderately severe",
    )
    assert (data["needsFollowUp"], data["instrument"]) == (False, "phq9")
    assert (data["sessionId"], data["assignmentId"]) == (str(session.pk), str(assignment.pk))
    assert data["clientName"] == client_record.full_name
    assert data["responses"][0] == {"questionId": "phq9_1", "value": 2}
    assignment.refresh_from_db()
    assert assignment.status == SurveyAssignment.Status.COMPLETED
    entry = AuditEvent.objects.get(record_type="survey_response")
    assert (entry.action, entry.record_id, entry.client_id) == ("create", data["id"], client_record.pk)


def test_phq9_item_9_above_zero_is_flagged_for_follow_up(api, practice, client_record):
    body = {"clientId": str(client_record.pk), "answers": _phq9_answers(0, 0, 0, 0, 0, 0, 0, 0, 1)}
    data = api.post(f"/api/surveys/{_phq9(practice).pk}/responses", body, format="json").json()["data"]
    assert (data["totalScore"], data["severity"], data["needsFollowUp"]) == (1, "minimal", True)
    assert SurveyResponse.objects.get(pk=data["id"]).needs_follow_up is True


def test_a_flagged_response_notifies_every_therapist_of_the_client(
    api, practice, therapist, other_therapist, client_record
):
    client_record.therapists.add(other_therapist)
    body = {"clientId": str(client_record.pk), "answers": _phq9_answers(0, 0, 0, 0, 0, 0, 0, 0, 2)}
    data = api.post(f"/api/surveys/{_phq9(practice).pk}/responses", body, format="json").json()["data"]
    notices = UserNotification.objects.filter(kind=UserNotification.Kind.SURVEY_FLAGGED)
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([therapist.pk, other_therapist.pk])
    assert {(n.priority, str(n.related_entity_id)) for n in notices} == {("high", data["id"])}
    # The answers themselves are not in the notice.
    assert all("2" not in n.message for n in notices)


def test_an_unflagged_response_notifies_nobody(api, practice, client_record):
    body = {"clientId": str(client_record.pk), "answers": _phq9_answers(1, 1, 1, 1, 1, 1, 1, 1, 0)}
    assert api.post(f"/api/surveys/{_phq9(practice).pk}/responses", body, format="json").status_code == 201
    assert not UserNotification.objects.exists()


def test_a_gad7_is_scored(api, practice, client_record):
    answers = [{"questionId": f"gad7_{n}", "value": 3} for n in range(1, 8)]
    body = {"clientId": str(client_record.pk), "answers": answers}
    data = api.post(f"/api/surveys/{_gad7(practice).pk}/responses", body, format="json").json()["data"]
    assert (data["totalScore"], data["severity"]) == (21, "severe")


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (_phq9_answers(1, 1, 1, 1, 1, 1, 1, 1), "answers"),  # item 9 missing
        (_phq9_answers(1, 1, 1, 1, 4, 1, 1, 1, 1), "answers.4.value"),
        (_phq9_answers(1, 1, 1, 1, -1, 1, 1, 1, 1), "answers.4.value"),
        (_phq9_answers(1, 1, 1, 1, "2", 1, 1, 1, 1), "answers.4.value"),
        (_phq9_answers(1, 1, 1, 1, True, 1, 1, 1, 1), "answers.4.value"),
        ([*_phq9_answers(1, 1, 1, 1, 1, 1, 1, 1, 1), {"questionId": "phq9_10", "value": 1}], "answers.9.questionId"),
        ([*_phq9_answers(1, 1, 1, 1, 1, 1, 1, 1, 1), {"questionId": "phq9_1", "value": 1}], "answers.9.questionId"),
        ([{"questionId": "phq9_1", "value": [1]}], "answers.0.value"),
        ([], "answers"),
    ],
)
def test_incomplete_or_out_of_range_answers_are_a_400_that_writes_nothing(api, practice, client_record, answers, field):
    before = database_snapshot()
    body = {"clientId": str(client_record.pk), "answers": answers}
    response = api.post(f"/api/surveys/{_phq9(practice).pk}/responses", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([{"questionId": "mood", "value": 11}, {"questionId": "symptoms", "value": "None"}], "answers.0.value"),
        ([{"questionId": "mood", "value": 5}, {"questionId": "symptoms", "value": "Joy"}], "answers.1.value"),
        ([{"questionId": "mood", "value": 5}], "answers"),  # symptoms is required
        (
            [{"questionId": "mood", "value": 5}, {"questionId": "symptoms", "value": "None"},
             {"questionId": "slept", "value": "yes"}],
            "answers.2.value",
        ),
        (
            [{"questionId": "mood", "value": 5}, {"questionId": "symptoms", "value": "None"},
             {"questionId": "notes", "value": 3}],
            "answers.2.value",
        ),
    ],
)  # fmt: skip
def test_answers_must_fit_their_question_type(api, practice, therapist, client_record, answers, field):
    survey = SurveyFactory(practice=practice, created_by=therapist)
    response = api.post(
        f"/api/surveys/{survey.pk}/responses", {"clientId": str(client_record.pk), "answers": answers}, format="json"
    )
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert SurveyResponse.objects.count() == 0


def test_a_custom_survey_response_keeps_the_question_order(api, practice, therapist, client_record):
    survey = SurveyFactory(practice=practice, created_by=therapist)
    answers = [
        {"questionId": "notes", "value": "Busy week"},
        {"questionId": "symptoms", "value": "Anxiety"},
        {"questionId": "mood", "value": 7},
        {"questionId": "slept", "value": None},
    ]
    body = {"clientId": str(client_record.pk), "answers": answers, "completionTime": 4}
    data = api.post(f"/api/surveys/{survey.pk}/responses", body, format="json").json()["data"]
    assert [a["questionId"] for a in data["responses"]] == ["mood", "symptoms", "notes"]
    assert (data["totalScore"], data["severity"], data["completionTime"]) == (None, None, 4)


def test_a_response_for_a_client_or_session_that_is_not_yours_is_a_400(api, practice, therapist, client_record):
    colleagues = ClientFactory(practice=practice)
    foreign_session = SessionFactory(appointment__client=colleagues)
    answers = _phq9_answers(*[0] * 9)
    url = f"/api/surveys/{_phq9(practice).pk}/responses"
    response = api.post(url, {"clientId": str(colleagues.pk), "answers": answers}, format="json")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "clientId")
    body = {"clientId": str(client_record.pk), "sessionId": str(foreign_session.pk), "answers": answers}
    response = api.post(url, body, format="json")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "sessionId")
    assert SurveyResponse.objects.count() == 0


def test_a_completed_assignment_takes_no_second_response(api, practice, therapist, client_record):
    assignment = SurveyAssignmentFactory(
        survey=_phq9(practice), client=client_record, assigned_by=therapist, status="completed"
    )
    body = {"clientId": str(client_record.pk), "assignmentId": str(assignment.pk), "answers": _phq9_answers(*[0] * 9)}
    response = api.post(f"/api/surveys/{_phq9(practice).pk}/responses", body, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "assignment_not_pending")


def test_the_responses_page_reads_data_responses_and_every_read_is_audited(
    api, practice, therapist, other_therapist, client_record
):
    shared = SurveyFactory(practice=practice, created_by=therapist, is_practice_wide=True)
    mine = [SurveyResponseFactory(survey=shared, client=client_record, entered_by=therapist) for _ in range(2)]
    theirs = ClientFactory(practice=practice, therapists=[other_therapist])
    SurveyResponseFactory(survey=shared, client=theirs, entered_by=other_therapist)
    body = api.get(f"/api/surveys/{shared.pk}/responses").json()
    responses = body["data"]["responses"]
    assert {r["id"] for r in responses} == {str(r.pk) for r in mine}
    assert body["pagination"]["total"] == 2
    first = responses[0]
    assert (first["surveyId"], first["clientId"], first["clientName"]) == (
        str(shared.pk),
        str(client_record.pk),
        client_record.full_name,
    )
    assert first["responses"] == [{"questionId": "mood", "value": 6}, {"questionId": "symptoms", "value": "Anxiety"}]
    assert first["submittedAt"].endswith("Z")
    # One entry for the page, naming both responses.
    page = AuditEvent.objects.get(action="view", record_type="survey_response")
    assert sorted(page.named_record_ids) == sorted(str(r.pk) for r in mine)
    assert page.named_client_ids == [client_record.pk]


def test_the_responses_list_runs_a_constant_number_of_queries(api, practice, therapist, client_record):
    survey = SurveyFactory(practice=practice, created_by=therapist)
    SurveyResponseFactory(survey=survey, client=client_record, entered_by=therapist)
    with CaptureQueriesContext(connection) as small:
        assert api.get(f"/api/surveys/{survey.pk}/responses").status_code == 200
    for _ in range(12):
        SurveyResponseFactory(survey=survey, client=ClientFactory(practice=practice, therapists=[therapist]))
    with CaptureQueriesContext(connection) as large:
        assert len(api.get(f"/api/surveys/{survey.pk}/responses").json()["data"]["responses"]) == 13
    assert len(small) == len(large)


def test_entering_a_response_runs_a_constant_number_of_queries(api, practice, therapist, client_record):
    phq9 = _phq9(practice)
    url = f"/api/surveys/{phq9.pk}/responses"
    body = {"clientId": str(client_record.pk), "answers": _phq9_answers(*[1] * 9)}
    with CaptureQueriesContext(connection) as small:
        assert api.post(url, body, format="json").status_code == 201
    for _ in range(10):
        SurveyResponseFactory(survey=phq9, client=client_record, entered_by=therapist, answers=[], instrument="phq9",
                              total_score=5, severity="mild")  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        assert api.post(url, body, format="json").status_code == 201
    assert len(small) == len(large)


def test_assigning_runs_a_constant_number_of_queries(api, practice, therapist):
    def clients(count):
        return [str(ClientFactory(practice=practice, therapists=[therapist]).pk) for _ in range(count)]

    one, twenty = clients(1), clients(20)
    with CaptureQueriesContext(connection) as small:
        response = api.post(f"/api/surveys/{_phq9(practice).pk}/assign", {"clientIds": one}, format="json")
        assert response.status_code == 201
    with CaptureQueriesContext(connection) as large:
        response = api.post(f"/api/surveys/{_gad7(practice).pk}/assign", {"clientIds": twenty}, format="json")
        assert response.status_code == 201
    assert len(small) == len(large)


def test_responses_fall_under_the_clinical_throttle(api, practice):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "clinical": "2/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        url = f"/api/surveys/{_phq9(practice).pk}/responses"
        assert [api.get(url).status_code for _ in range(3)] == [200, 200, 429]


# --- Outcome scores ----------------------------------------------------------------------------


def _scored(survey, client, therapist, when, total, severity, *, follow_up=False):
    return SurveyResponseFactory(
        survey=survey,
        client=client,
        entered_by=therapist,
        submitted_at=when,
        answers=[],
        instrument=survey.instrument,
        total_score=total,
        severity=severity,
        needs_follow_up=follow_up,
    )


def test_a_clients_scores_over_time(api, practice, therapist, other_therapist, client_record):
    client_record.therapists.add(other_therapist)
    start = datetime.datetime(2026, 1, 5, 23, 30, tzinfo=datetime.UTC)  # 6 January in Amsterdam
    first = _scored(_phq9(practice), client_record, other_therapist, start, 16, "moderately_severe", follow_up=True)
    _scored(_phq9(practice), client_record, therapist, start + datetime.timedelta(weeks=4), 8, "mild")
    _scored(_gad7(practice), client_record, therapist, start, 12, "moderate")
    response = api.get(f"/api/clients/{client_record.pk}/outcome-scores")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["clientId"] == str(client_record.pk)
    phq9, gad7 = data["instruments"]
    assert (phq9["instrument"], phq9["name"], phq9["maxScore"]) == ("phq9", "PHQ-9", 27)
    assert [(s["date"], s["totalScore"], s["severity"]) for s in phq9["scores"]] == [
        ("2026-01-06", 16, "moderately_severe"),
        ("2026-02-03", 8, "mild"),
    ]
    assert phq9["scores"][0] == {
        "responseId": str(first.pk),
        "date": "2026-01-06",
        "submittedAt": "2026-01-05T23:30:00Z",
        "totalScore": 16,
        "severity": "moderately_severe",
        "severityLabel": "moderately severe",
        "needsFollowUp": True,
    }
    assert [s["totalScore"] for s in gad7["scores"]] == [12]
    # One entry naming the three responses whose scores were read.
    read = AuditEvent.objects.get(action="view", record_type="survey_response", client=client_record)
    assert len(read.named_record_ids) == 3


def test_a_client_without_scores_lists_both_instruments_empty(api, client_record):
    data = api.get(f"/api/clients/{client_record.pk}/outcome-scores").json()["data"]
    assert [(i["instrument"], i["scores"]) for i in data["instruments"]] == [("phq9", []), ("gad7", [])]


def test_outcome_scores_are_for_the_assigned_therapists_only(other_therapist_api, staff_api, client_record):
    for api in (other_therapist_api, staff_api):
        assert api.get(f"/api/clients/{client_record.pk}/outcome-scores").status_code == 404
    assert not AuditEvent.objects.exists()


def test_outcome_scores_run_a_constant_number_of_queries(api, practice, therapist, client_record):
    start = timezone.now() - datetime.timedelta(days=400)
    _scored(_phq9(practice), client_record, therapist, start, 10, "moderate")
    with CaptureQueriesContext(connection) as small:
        api.get(f"/api/clients/{client_record.pk}/outcome-scores")
    for week in range(1, 30):
        _scored(_phq9(practice), client_record, therapist, start + datetime.timedelta(weeks=week), 9, "mild")
        _scored(_gad7(practice), client_record, therapist, start + datetime.timedelta(weeks=week), 4, "minimal")
    with CaptureQueriesContext(connection) as large:
        data = api.get(f"/api/clients/{client_record.pk}/outcome-scores").json()["data"]
    assert len(data["instruments"][0]["scores"]) == 30
    assert len(small) == len(large)
