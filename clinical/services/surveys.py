"""Writes of surveys: create, delete, assign to clients, enter a response; the built-in
PHQ-9 and GAD-7 of every practice; and the audited reads of responses.

Surveys are the therapists' tool: staff may see the practice-wide ones but not write
(403). A survey the caller may not see is a 404; a client who is not the caller's in a
request body is a validation error on that field. Responses are health data: every write
and every read is audited (a page of responses in one entry naming them all), in the request's
transaction."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from practice.models import AuditEvent, Client, Practice, User, UserNotification
from practice.selectors import client_clinical_queryset
from practice.services.audit import AuditTarget, audit_log
from practice.services.notifications import user_notify

from .. import scoring
from ..errors import ClinicalError, SurveyError
from ..models import Session, Survey, SurveyAssignment, SurveyResponse
from ..selectors.surveys import InstrumentScores, client_outcome_scores, survey_visible_queryset

# Audit record types (AuditEvent.record_type) of this area.
SURVEY_RESPONSE = "survey_response"
SURVEY_ASSIGNMENT = "survey_assignment"

QUESTION_TYPES = ("text", "multipleChoice", "scale", "yesNo")
MAX_QUESTIONS = 100
MAX_OPTIONS = 50
SCALE_BOUND = 1000
MAX_SCALE_STEPS = 100
TEXT_ANSWER_MAX_LENGTH = 5000


# --- Standard instruments ----------------------------------------------------------------


def standard_survey_fields(spec: scoring.InstrumentDefinition) -> dict[str, Any]:
    """The row of one built-in instrument: every item a required 0-3 scale, its four
    answers labelled (``options`` holds the labels of 0, 1, 2 and 3)."""
    labels = list(scoring.ANSWER_LABELS)
    return {
        "title": spec.title,
        "description": f"{spec.description} {spec.stem}",
        "type": Survey.Type.SCREENING,
        "status": Survey.Status.ACTIVE,
        "is_template": False,
        "is_practice_wide": True,
        "is_standard": True,
        "instrument": spec.code.value,
        "questions": [
            {
                "id": spec.item_id(number),
                "text": text,
                "type": "scale",
                "required": True,
                "options": labels,
                "scale": {"min": scoring.ANSWER_MIN, "max": scoring.ANSWER_MAX},
                "scale_labels": {"min": labels[0], "max": labels[-1]},
            }
            for number, text in enumerate(spec.items, start=1)
        ],
    }


@transaction.atomic
def standard_surveys_install(*, practice: Practice) -> list[Survey]:
    """Give the practice its PHQ-9 and GAD-7 (those it lacks; running it again adds
    nothing: one of each per practice is a database rule)."""
    existing = set(Survey.objects.filter(practice=practice, is_standard=True).values_list("instrument", flat=True))
    missing = [
        Survey(practice=practice, **standard_survey_fields(spec))
        for code, spec in scoring.INSTRUMENTS.items()
        if code not in existing
    ]
    return Survey.objects.bulk_create(missing, ignore_conflicts=True)


# --- Creating and deleting ---------------------------------------------------------------


def _therapist_only(actor: User) -> None:
    if not actor.is_therapist:
        raise PermissionDeniedError(ClinicalError.THERAPISTS_ONLY, gettext("Only therapists work with surveys."))


def _question_error(index: int, name: str, message: str) -> ValidationFailed:
    return ValidationFailed.for_field(f"questions.{index}.{name}", message)


def survey_questions_clean(questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The questions as stored, checked per type: multiple choice needs 2 to 50 distinct,
    non-blank options; a scale a whole-number ``min`` below ``max`` (at most 100 steps,
    within +-1000) and optional end labels; text and yes/no take neither (options or a scale
    sent with them are dropped, as the create page sends both with every question). Ids
    are kept when given (unique within the survey), else ``q1``, ``q2``, ..."""
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise ValidationFailed.for_field(
            "questions", gettext("A survey has 1 to %(maximum)s questions.") % {"maximum": MAX_QUESTIONS}
        )
    cleaned: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    for index, question in enumerate(questions):
        question_id = (question.get("id") or "").strip() or f"q{index + 1}"
        if question_id in seen_ids:
            raise _question_error(index, "id", "Each question needs its own id.")
        seen_ids.add(question_id)
        kind = question["type"]
        item = {
            "id": question_id,
            "text": question["text"].strip(),
            "type": kind,
            "required": question.get("required", True),
            "options": None,
            "scale": None,
            "scale_labels": None,
        }
        if kind == "multipleChoice":
            options = [option.strip() for option in question.get("options") or []]
            if not 2 <= len(options) <= MAX_OPTIONS:
                raise _question_error(index, "options", f"A multiple-choice question has 2 to {MAX_OPTIONS} options.")
            if any(not option for option in options):
                raise _question_error(index, "options", "An option may not be blank.")
            if len({option.casefold() for option in options}) != len(options):
                raise _question_error(index, "options", "Each option must differ from the others.")
            item["options"] = options
        elif kind == "scale":
            scale = question.get("scale")
            if not scale:
                raise _question_error(index, "scale", "A scale question needs its min and max.")
            low, high = scale["min"], scale["max"]
            if not (-SCALE_BOUND <= low < high <= SCALE_BOUND) or high - low > MAX_SCALE_STEPS:
                raise _question_error(
                    index, "scale", f"min must be below max, at most {MAX_SCALE_STEPS} apart, within +-{SCALE_BOUND}."
                )
            item["scale"] = {"min": low, "max": high}
            labels = question.get("scale_labels") or {}
            item["scale_labels"] = {"min": labels.get("min", "").strip(), "max": labels.get("max", "").strip()}
        cleaned.append(item)
    return cleaned


@transaction.atomic
def survey_create(
    *,
    actor: User,
    title: str,
    questions: Sequence[Mapping[str, Any]],
    description: str = "",
    type: str = Survey.Type.ASSESSMENT,
    status: str = Survey.Status.ACTIVE,
    is_template: bool = False,
    is_practice_wide: bool = False,
) -> Survey:
    """A therapist's new survey, their own unless ``is_practice_wide``. Status ``template``
    (what the create page sends with "save as template") is a template, kept active. The
    questions are checked per type (``survey_questions_clean``) and never change later."""
    _therapist_only(actor)
    if status == "template":
        is_template, status = True, Survey.Status.ACTIVE
    survey = Survey(
        practice_id=actor.practice_id,
        created_by=actor,
        title=title.strip(),
        description=description.strip(),
        type=type,
        status=status,
        is_template=is_template,
        is_practice_wide=is_practice_wide,
        questions=survey_questions_clean(questions),
    )
    survey.full_clean(exclude=["practice", "created_by"], validate_unique=False, validate_constraints=False)
    survey.save(force_insert=True)
    return survey


def _survey_for_update(*, actor: User, survey_id: UUID) -> Survey:
    survey = survey_visible_queryset(actor=actor).select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise NotFoundError(message=gettext("Survey not found."))
    return survey


@transaction.atomic
def survey_delete(*, actor: User, survey_id: UUID) -> Survey:
    """Delete a survey: only its author may (403 for other viewers; the standard
    instruments cannot be deleted). Nothing is destroyed: a survey with responses is
    archived (still listed, its responses readable, no longer assignable); one without is
    marked deleted and disappears. Open assignments are cancelled either way."""
    survey = _survey_for_update(actor=actor, survey_id=survey_id)
    if survey.is_standard:
        raise PermissionDeniedError(
            SurveyError.STANDARD_SURVEY_READ_ONLY, gettext("A standard instrument cannot be deleted.")
        )
    if survey.created_by_id != actor.pk:
        raise PermissionDeniedError(SurveyError.NOT_SURVEY_AUTHOR, gettext("Only the survey's author may delete it."))
    survey.status = Survey.Status.ARCHIVED
    update_fields = ["status", "updated_at"]
    if not SurveyResponse.objects.filter(survey=survey).exists():
        survey.deleted_at = timezone.now()
        update_fields.append("deleted_at")
    survey.save(update_fields=update_fields)
    SurveyAssignment.objects.filter(survey=survey, status=SurveyAssignment.Status.PENDING).update(
        status=SurveyAssignment.Status.CANCELLED, updated_at=timezone.now()
    )
    return survey


# --- Assigning ---------------------------------------------------------------------------


def _assignable_survey(*, actor: User, survey_id: UUID) -> Survey:
    survey = _survey_for_update(actor=actor, survey_id=survey_id)
    _therapist_only(actor)
    if survey.status == Survey.Status.ARCHIVED:
        raise ConflictError(
            SurveyError.SURVEY_ARCHIVED, gettext("This survey is archived."), data={"survey_id": str(survey.pk)}
        )
    return survey


def _own_session(*, actor: User, session_id: UUID | None, client: Client | None) -> Session | None:
    if session_id is None:
        return None
    qs = Session.objects.filter(practice_id=actor.practice_id, therapist_id=actor.pk, pk=session_id)
    if client is not None:
        qs = qs.filter(client_id=client.pk)
    session = qs.first()
    if session is None:
        raise ValidationFailed.for_field("session_id", gettext("No such session of yours with this client."))
    return session


@transaction.atomic
def survey_assign(
    *,
    actor: User,
    survey_id: UUID,
    client_ids: Sequence[UUID],
    due_date: datetime.date | None = None,
    is_recurring: bool = False,
    recurrence_pattern: str = "",
    notes: str = "",
    send_notification: bool = True,
    session_id: UUID | None = None,
    ip_address: str | None = None,
) -> list[SurveyAssignment]:
    """Give a survey to one or more of the actor's own clients (each must be assigned to
    the actor, else a validation error and nothing is written). The due date, if any, is
    today or later in the practice's time zone; a recurring assignment names its pattern.
    A client with an open assignment of the survey already is a 409 (the database refuses
    a second open one, also under concurrent requests). ``send_notification`` is kept for
    when clients sign in; no message goes out yet."""
    survey = _assignable_survey(actor=actor, survey_id=survey_id)
    wanted = list(dict.fromkeys(client_ids))
    clients = {c.pk: c for c in client_clinical_queryset(actor=actor).select_related("practice").filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in clients]
    if missing:
        field = "client_id" if len(wanted) == 1 else "client_ids"
        raise ValidationFailed.for_field(field, gettext("No such client of yours."))
    if due_date is not None and due_date < timezone.localdate(timezone=actor.practice.tzinfo):
        raise ValidationFailed.for_field("due_date", gettext("The due date cannot be in the past."))
    if is_recurring and not recurrence_pattern:
        raise ValidationFailed.for_field("recurrence_pattern", gettext("A recurring assignment needs its pattern."))
    session = _own_session(actor=actor, session_id=session_id, client=clients[wanted[0]] if len(wanted) == 1 else None)
    open_assignment = (
        SurveyAssignment.objects.filter(survey=survey, client_id__in=wanted, status=SurveyAssignment.Status.PENDING)
        .values("pk", "client_id")
        .first()
    )
    if open_assignment:
        raise _already_assigned(survey, open_assignment["client_id"], open_assignment["pk"])
    assignments = [
        SurveyAssignment(
            practice_id=actor.practice_id,
            survey=survey,
            client=clients[pk],
            assigned_by=actor,
            session=session,
            due_date=due_date,
            is_recurring=is_recurring,
            recurrence_pattern=recurrence_pattern if is_recurring else "",
            notes=notes,
            send_notification=send_notification,
        )
        for pk in wanted
    ]
    try:
        with transaction.atomic():
            SurveyAssignment.objects.bulk_create(assignments)
    except IntegrityError:
        # A concurrent request assigned it first (the partial unique index).
        raise _already_assigned(survey, wanted[0], None) from None
    audit_log(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[
            AuditTarget(SURVEY_ASSIGNMENT, a.pk, a.client_id, ["survey", "due_date", "status"]) for a in assignments
        ],
        ip_address=ip_address,
    )
    return assignments


def _already_assigned(survey: Survey, client_id: UUID, assignment_id: UUID | None) -> ConflictError:
    return ConflictError(
        SurveyError.SURVEY_ALREADY_ASSIGNED,
        gettext("This client already has an open assignment of this survey."),
        data={
            "survey_id": str(survey.pk),
            "client_id": str(client_id),
            "assignment_id": str(assignment_id) if assignment_id else None,
        },
    )


# --- Responses ---------------------------------------------------------------------------


def _answer_error(index: int, message: str) -> ValidationFailed:
    return ValidationFailed.for_field(f"answers.{index}.value", message)


def _check_answer(question: Mapping[str, Any], value: Any, index: int) -> None:
    kind = question["type"]
    if kind == "text":
        if not isinstance(value, str) or len(value) > TEXT_ANSWER_MAX_LENGTH:
            raise _answer_error(index, f"A text answer is a string of at most {TEXT_ANSWER_MAX_LENGTH} characters.")
    elif kind == "multipleChoice":
        if value not in question["options"]:
            raise _answer_error(index, "Choose one of the question's options.")
    elif kind == "scale":
        scale = question["scale"]
        if isinstance(value, bool) or not isinstance(value, int) or not scale["min"] <= value <= scale["max"]:
            raise _answer_error(index, f"A whole number from {scale['min']} to {scale['max']}.")
    elif kind == "yesNo" and not isinstance(value, bool):
        raise _answer_error(index, "Answer true (yes) or false (no).")


def survey_answers_clean(survey: Survey, answers: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The answers in the survey's question order, each checked against its question's
    type; every required question answered, no question twice, none the survey lacks.
    An unanswered optional question is left out (or sent with a null value)."""
    questions = {question["id"]: question for question in survey.questions}
    given: dict[str, tuple[int, Any]] = {}
    for index, answer in enumerate(answers):
        question_id = answer["question_id"]
        if question_id not in questions:
            raise ValidationFailed.for_field(
                f"answers.{index}.question_id", gettext("The survey has no such question.")
            )
        if question_id in given:
            raise ValidationFailed.for_field(f"answers.{index}.question_id", gettext("Each question is answered once."))
        given[question_id] = (index, answer.get("value"))
    cleaned = []
    for question in survey.questions:
        index, value = given.get(question["id"], (None, None))
        if value is None or value == "":
            if question["required"]:
                raise ValidationFailed.for_field(
                    f"answers.{index}.value" if index is not None else "answers",
                    gettext("Question %(question)s is required.") % {"question": repr(question["id"])},
                )
            continue
        _check_answer(question, value, index)
        cleaned.append({"question_id": question["id"], "value": value})
    return cleaned


def _pending_assignment(*, survey: Survey, client: Client, assignment_id: UUID | None) -> SurveyAssignment | None:
    qs = SurveyAssignment.objects.select_for_update().filter(survey=survey, client=client)
    if assignment_id is None:
        return qs.filter(status=SurveyAssignment.Status.PENDING).order_by("created_at", "id").first()
    assignment = qs.filter(pk=assignment_id).first()
    if assignment is None:
        raise ValidationFailed.for_field("assignment_id", gettext("No such assignment of this survey to this client."))
    if assignment.status != SurveyAssignment.Status.PENDING:
        raise ConflictError(
            SurveyError.ASSIGNMENT_NOT_PENDING,
            gettext("This assignment is no longer open."),
            data={"assignment_id": str(assignment.pk), "status": assignment.status},
        )
    return assignment


@transaction.atomic
def survey_response_create(
    *,
    actor: User,
    survey_id: UUID,
    client_id: UUID,
    answers: Sequence[Mapping[str, Any]],
    assignment_id: UUID | None = None,
    session_id: UUID | None = None,
    completion_time: int | None = None,
    submitted_at: datetime.datetime | None = None,
    ip_address: str | None = None,
) -> SurveyResponse:
    """Record a client's answers, entered by their therapist (for instance during a
    session). The client must be the actor's; the session, if named, the actor's session
    with that client. It completes the named open assignment, or else the client's oldest
    open assignment of the survey. For the PHQ-9 and GAD-7 the server scores the answers
    (``clinical.scoring``: all items, 0-3) and stores the total and band; a PHQ-9 item 9
    above 0 sets ``needs_follow_up`` and notifies the client's therapists in the same
    transaction. Audited as a created ``survey_response``."""
    survey = _assignable_survey(actor=actor, survey_id=survey_id)
    client = client_clinical_queryset(actor=actor).select_related("practice").filter(pk=client_id).first()
    if client is None:
        raise ValidationFailed.for_field("client_id", gettext("No such client of yours."))
    session = _own_session(actor=actor, session_id=session_id, client=client)
    cleaned = survey_answers_clean(survey, answers)
    response = SurveyResponse(
        practice_id=actor.practice_id,
        survey=survey,
        client=client,
        session=session,
        entered_by=actor,
        submitted_at=submitted_at or timezone.now(),
        completion_time_minutes=completion_time,
        answers=cleaned,
    )
    if survey.instrument:
        try:
            result = scoring.score(survey.instrument, {a["question_id"]: a["value"] for a in cleaned})
        except scoring.ScoringError as exc:
            raise ValidationFailed.for_field("answers", str(exc)) from None
        response.instrument = survey.instrument
        response.total_score = result.total
        response.severity = result.band.code
        response.needs_follow_up = result.needs_follow_up
    response.assignment = _pending_assignment(survey=survey, client=client, assignment_id=assignment_id)
    try:
        with transaction.atomic():
            response.save(force_insert=True)
    except IntegrityError:
        # Another response completed the same assignment first (one response each).
        raise ConflictError(
            SurveyError.ASSIGNMENT_NOT_PENDING,
            gettext("This assignment is no longer open."),
            data={"assignment_id": str(response.assignment_id), "status": SurveyAssignment.Status.COMPLETED},
        ) from None
    if response.assignment is not None:
        response.assignment.status = SurveyAssignment.Status.COMPLETED
        response.assignment.completed_at = response.submitted_at
        response.assignment.save(update_fields=["status", "completed_at", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[AuditTarget(SURVEY_RESPONSE, response.pk, client.pk, ["answers"])],
        ip_address=ip_address,
    )
    if response.needs_follow_up:
        # Item 9 of the PHQ-9 (thoughts of self-harm) above 0: every therapist of the client
        # hears of it, the one who entered it included, so it stays on their list.
        user_notify(
            recipients=client.therapists.all(),
            kind=UserNotification.Kind.SURVEY_FLAGGED,
            priority=UserNotification.Priority.HIGH,
            title=f"{survey.title}: follow-up needed",
            message=f"A response of {client.full_name} needs follow-up.",
            action_url=f"/therapist/clients/{client.pk}",
            related_entity_type=SURVEY_RESPONSE,
            related_entity_id=response.pk,
        )
    return response


def survey_response_views(*, actor: User, responses: Iterable[SurveyResponse], ip_address: str | None = None) -> None:
    """Audit that the actor read these responses: one entry naming them all."""
    audit_log(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        targets=[AuditTarget(SURVEY_RESPONSE, r.pk, r.client_id) for r in responses],
        ip_address=ip_address,
    )


@transaction.atomic
def client_outcome_scores_read(
    *, actor: User, client_id: UUID, ip_address: str | None = None
) -> tuple[Client, list[InstrumentScores]]:
    """The client's outcome scores (``client_outcome_scores``), audited: one entry naming
    every response whose score is read."""
    client, instruments = client_outcome_scores(actor=actor, client_id=client_id)
    audit_log(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        targets=[
            AuditTarget(SURVEY_RESPONSE, score.response_id, client.pk)
            for instrument in instruments
            for score in instrument.scores
        ],
        ip_address=ip_address,
    )
    return client, instruments
