"""Reads of surveys, their assignments and responses, and a client's outcome scores.

A survey is seen by the therapists of its practice when it is practice-wide (the standard
PHQ-9 and GAD-7 always are), otherwise by its author only; staff see the practice-wide
ones. Responses and assignments are the client's clinical record: only the client's
assigned therapists read them, so counts and lists cover those clients only. Reading
responses is audited by the caller through ``clinical.services.surveys``."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from practice.db.statements import db_value, fetch, in_list
from practice.errors import NotFoundError
from practice.models import Client, User
from practice.selectors import client_clinical_queryset, client_get

from .. import scoring
from ..models import Survey, SurveyAssignment, SurveyResponse


def survey_visible_queryset(*, actor: User) -> QuerySet[Survey]:
    """Surveys the actor may see (deleted ones never): practice-wide ones and their own."""
    qs = Survey.objects.filter(practice_id=actor.practice_id, deleted_at__isnull=True)
    if actor.is_therapist:
        return qs.filter(Q(is_practice_wide=True) | Q(created_by=actor))
    return qs.filter(is_practice_wide=True)


# Both counts of a page of surveys in one statement. With them as correlated subqueries,
# building and compiling the page's query took Django 4.2 of the 5.5 ms the read cost (a
# page of seven). The clients are ``client_clinical_queryset``'s: of the actor's practice
# and assigned to the actor.
_COUNTS_SQL = """
    WITH mine AS (
        SELECT assigned.client_id FROM {client_therapists} assigned
        JOIN {client} client ON client.id = assigned.client_id
        WHERE assigned.user_id = %(actor)s AND client.practice_id = %(practice)s
    )
    SELECT survey_id, 'assigned', COUNT(*) FROM {assignment}
    WHERE survey_id IN ({surveys}) AND status <> %(cancelled)s AND client_id IN (SELECT client_id FROM mine)
    GROUP BY survey_id
    UNION ALL
    SELECT survey_id, 'responded', COUNT(*) FROM {response}
    WHERE survey_id IN ({surveys}) AND client_id IN (SELECT client_id FROM mine)
    GROUP BY survey_id
"""


def survey_add_counts(*, actor: User, surveys: list[Survey]) -> list[Survey]:
    """Set ``assigned_count`` (open and completed assignments) and ``response_count`` on
    each of ``surveys``, both over the clients assigned to the actor (staff: none, so 0).
    One statement whatever the number of surveys; none for staff or no surveys."""
    for survey in surveys:
        survey.assigned_count = survey.response_count = 0
    if not surveys or not actor.is_therapist:
        return surveys
    params = {
        "actor": db_value(User._meta.pk, actor.pk),
        "practice": db_value(Client._meta.get_field("practice"), actor.practice_id),
        "cancelled": SurveyAssignment.Status.CANCELLED.value,
    }
    by_id = {survey.pk: survey for survey in surveys}
    sql = _COUNTS_SQL.format(
        client_therapists=Client.therapists.through._meta.db_table,
        client=Client._meta.db_table,
        assignment=SurveyAssignment._meta.db_table,
        response=SurveyResponse._meta.db_table,
        surveys=in_list(params, "survey", Survey._meta.pk, by_id),
    )
    for survey_id, counted, number in fetch(sql, params, [Survey._meta.pk, None, None]):
        if counted == "assigned":
            by_id[survey_id].assigned_count = number
        else:
            by_id[survey_id].response_count = number
    return surveys


def survey_list(*, actor: User) -> QuerySet[Survey]:
    """The actor's surveys, the standard instruments first, then the newest. A page of
    them gets its counts from ``survey_add_counts``."""
    return survey_visible_queryset(actor=actor).order_by(
        "-is_standard",
        "-instrument",
        "-created_at",
        "id",  # PHQ-9, GAD-7, then the newest
    )


def survey_get(*, actor: User, survey_id: UUID) -> Survey:
    """One survey the actor may see, with its counts (``survey_add_counts``); anything
    else is a 404."""
    survey = survey_visible_queryset(actor=actor).filter(pk=survey_id).first()
    if survey is None:
        raise NotFoundError(message=gettext("Survey not found."))
    return survey_add_counts(actor=actor, surveys=[survey])[0]


def survey_response_list(*, actor: User, survey_id: UUID) -> tuple[Survey, QuerySet[SurveyResponse]]:
    """The survey (404 unless visible) and its responses from the actor's own clients,
    newest first, with the client joined. Staff have no clinical clients: their list is
    empty."""
    survey = survey_visible_queryset(actor=actor).filter(pk=survey_id).first()
    if survey is None:
        raise NotFoundError(message=gettext("Survey not found."))
    responses = (
        SurveyResponse.objects.filter(survey=survey, client_id__in=client_clinical_queryset(actor=actor).values("pk"))
        .select_related("client")
        .order_by("-submitted_at", "id")
    )
    return survey, responses


# --- Outcome scores ----------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeScore:
    response_id: UUID
    date: datetime.date
    submitted_at: datetime.datetime
    total_score: int
    severity: str
    severity_label: str
    needs_follow_up: bool


@dataclass(frozen=True)
class InstrumentScores:
    instrument: str
    name: str
    max_score: int
    scores: list[OutcomeScore]

    @property
    def first(self) -> OutcomeScore | None:
        return self.scores[0] if self.scores else None

    @property
    def latest(self) -> OutcomeScore | None:
        return self.scores[-1] if self.scores else None


def client_outcome_scores(*, actor: User, client_id: UUID) -> tuple[Client, list[InstrumentScores]]:
    """The client's PHQ-9 and GAD-7 scores over time, oldest first, per instrument (every
    instrument listed, with no scores when none was taken). For the client's assigned
    therapists only (404 for anyone else); responses entered by any of them count, since
    the scores belong to the client's record. Two statements: the client, the scores. The
    caller audits the read (``clinical.services.surveys.client_outcome_scores_read``)."""
    client = client_get(actor=actor, client_id=client_id, clinical=True)
    tz = client.practice.tzinfo
    rows = (
        SurveyResponse.objects.filter(client_id=client.pk)
        .exclude(instrument="")
        .order_by("submitted_at", "id")
        .values_list("pk", "instrument", "submitted_at", "total_score", "needs_follow_up")
    )
    by_instrument: dict[str, list[OutcomeScore]] = {code: [] for code in scoring.INSTRUMENTS}
    for pk, instrument, submitted_at, total, needs_follow_up in rows:
        band = scoring.severity_band(instrument, total)
        by_instrument[instrument].append(
            OutcomeScore(
                response_id=pk,
                date=timezone.localtime(submitted_at, tz).date(),
                submitted_at=submitted_at,
                total_score=total,
                severity=band.code,
                severity_label=band.label,
                needs_follow_up=needs_follow_up,
            )
        )
    return client, [
        InstrumentScores(instrument=spec.code, name=spec.name, max_score=spec.max_score, scores=by_instrument[code])
        for code, spec in scoring.INSTRUMENTS.items()
    ]


@dataclass(frozen=True)
class OutcomeChange:
    """First and latest score of one instrument, for the session summary's text."""

    instrument: str
    name: str
    count: int
    first_score: int
    first_band: str
    latest_score: int
    latest_band: str


def client_outcome_changes(*, client: Client) -> list[OutcomeChange]:
    """Per instrument the client took: how many times, the first and the latest score and
    their bands. One aggregate statement whatever the history (correlated lookups on the
    client-instrument index). The caller has already checked the client is theirs."""
    of_instrument = SurveyResponse.objects.filter(client_id=client.pk, instrument=OuterRef("instrument"))
    rows = (
        SurveyResponse.objects.filter(client_id=client.pk)
        .exclude(instrument="")
        .values("instrument")
        .annotate(
            count=Count("pk"),
            first=Subquery(of_instrument.order_by("submitted_at", "id").values("total_score")[:1]),
            latest=Subquery(of_instrument.order_by("-submitted_at", "-id").values("total_score")[:1]),
        )
        .order_by("instrument")
    )
    changes = []
    for row in rows:
        spec = scoring.definition(row["instrument"])
        changes.append(
            OutcomeChange(
                instrument=spec.code,
                name=spec.name,
                count=row["count"],
                first_score=row["first"],
                first_band=scoring.severity_band(spec.code, row["first"]).label,
                latest_score=row["latest"],
                latest_band=scoring.severity_band(spec.code, row["latest"]).label,
            )
        )
    order = list(scoring.INSTRUMENTS)  # PHQ-9 before GAD-7, as the instruments are listed
    return sorted(changes, key=lambda change: order.index(change.instrument))
