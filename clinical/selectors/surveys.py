"""Reads of surveys, their assignments and responses, and a client's outcome scores.

A survey is seen by the therapists of its practice when it is practice-wide (the standard
PHQ-9 and GAD-7 always are), otherwise by its author only; staff see the practice-wide
ones. Responses and assignments are the client's clinical record: only the client's
assigned therapists read them, so counts and lists cover those clients only. Reading
responses is audited by the caller through ``clinical.services.surveys``."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import NotFoundError
from practice.models import Client, User
from practice.selectors import client_clinical_filter, client_clinical_queryset, client_get

from .. import scoring
from ..models import Survey, SurveyAssignment, SurveyResponse


def survey_visible_queryset(*, actor: User) -> QuerySet[Survey]:
    """Surveys the actor may see (deleted ones never): practice-wide ones and their own."""
    qs = Survey.objects.filter(practice_id=actor.practice_id, deleted_at__isnull=True)
    if actor.is_therapist:
        return qs.filter(Q(is_practice_wide=True) | Q(created_by=actor))
    return qs.filter(is_practice_wide=True)


def _count_of(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("survey_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_counts(qs: QuerySet[Survey], *, actor: User) -> QuerySet[Survey]:
    # Correlated counts rather than joins: two joined to-many counts would multiply. Each
    # joins the client rule rather than nesting the clients' query: the same rows, and
    # about a millisecond less for Django to build and compile.
    mine = client_clinical_filter(actor=actor, through="client")
    assigned = SurveyAssignment.objects.filter(mine, survey_id=OuterRef("pk")).exclude(
        status=SurveyAssignment.Status.CANCELLED
    )
    responses = SurveyResponse.objects.filter(mine, survey_id=OuterRef("pk"))
    return qs.annotate(assigned_count=_count_of(assigned), response_count=_count_of(responses))


def survey_list(*, actor: User) -> QuerySet[Survey]:
    """The actor's surveys, the standard instruments first, then the newest. Each carries
    ``assigned_count`` (open and completed assignments) and ``response_count``, both over
    the clients assigned to the actor. One statement."""
    return _with_counts(survey_visible_queryset(actor=actor), actor=actor).order_by(
        "-is_standard",
        "-instrument",
        "-created_at",
        "id",  # PHQ-9, GAD-7, then the newest
    )


def survey_get(*, actor: User, survey_id: UUID) -> Survey:
    """One survey the actor may see, with its counts; anything else is a 404."""
    survey = _with_counts(survey_visible_queryset(actor=actor), actor=actor).filter(pk=survey_id).first()
    if survey is None:
        raise NotFoundError(message=gettext("Survey not found."))
    return survey


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
