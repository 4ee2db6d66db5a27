"""Read-only statistics, computed by the database (SPEC §6).

Each selector takes the actor and answers only about what the actor may see; anything
else is a 404 raised by the ``practice`` selectors it starts from. Every figure is an
aggregate over a constant number of SQL statements, whatever the amount of history."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db import connection
from django.db.models import Avg, Count, DurationField, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from clinical.models import Session, TherapyGoal
from clinical.selectors.surveys import OutcomeChange, client_outcome_changes
from practice.errors import ValidationFailed
from practice.models import Client, User
from practice.selectors import client_get, therapist_get
from scheduling.models import Appointment

#: Default statistics window: the 30 days ending today (today included).
DEFAULT_WINDOW_DAYS = 30
#: Longest statistics window, in years.
MAX_WINDOW_YEARS = 5
#: How many themes the session summary lists.
COMMON_THEMES_LIMIT = 5

_ONE_DECIMAL = Decimal("0.1")


def _round_one_decimal(value: float | Decimal) -> float:
    """Half-up rounding (50.25 -> 50.3), not Python's round-half-even."""
    return float(Decimal(str(value)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _local_midnight_utc(day: datetime.date, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz).astimezone(datetime.UTC)


# --- Therapist session statistics --------------------------------------------------------


@dataclass(frozen=True)
class StatsWindow:
    start_date: datetime.date
    end_date: datetime.date


def session_stats_window(
    *, start_date: datetime.date | None, end_date: datetime.date | None, today: datetime.date
) -> StatsWindow:
    """The window the statistics cover, as local dates, both inclusive.

    A missing ``end_date`` is today; a missing ``start_date`` is 29 days before the end,
    so the default is the last 30 days. ``start_date`` after ``end_date``, or a window
    longer than five years (``end_date`` on or after the same date five years after
    ``start_date``), is a validation error."""
    end = end_date or today
    start = start_date or end - datetime.timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    if start > end:
        field = "start_date" if start_date else "end_date"
        raise ValidationFailed.for_field(field, "startDate must be on or before endDate.")
    if end >= _add_years(start, MAX_WINDOW_YEARS):
        raise ValidationFailed.for_field("end_date", f"The window may span at most {MAX_WINDOW_YEARS} years.")
    return StatsWindow(start_date=start, end_date=end)


@dataclass(frozen=True)
class SessionStats:
    start_date: datetime.date
    end_date: datetime.date
    total_sessions: int
    completed_sessions: int
    cancelled_sessions: int
    no_shows: int
    average_session_duration: float
    client_retention_rate: float


def therapist_session_stats(
    *,
    actor: User,
    therapist_id: UUID,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> SessionStats:
    """Session statistics of one therapist (SPEC §6), in one aggregate statement.

    Visibility: a therapist their own, staff any therapist of their practice; anyone else
    gets a 404. Counted are the therapist's appointments that *start* inside the window
    (local dates of the practice's timezone, both inclusive):

    - ``total_sessions``: all of them, whatever the status; ``completed_sessions``,
      ``cancelled_sessions``, ``no_shows``: those with that status.
    - ``average_session_duration``: mean minutes (one decimal) of the completed ones, each
      the clinical session's recorded start-to-end time, else the scheduled length; 0 when
      none is completed.
    - ``client_retention_rate``: of the distinct clients with a completed appointment in
      the window, the percentage (one decimal) with at least two completed appointments
      with this therapist up to the end of the window (earlier history counts); 0 when no
      client was seen."""
    therapist = therapist_get(actor=actor, therapist_id=therapist_id)
    tz = therapist.practice.tzinfo
    window = session_stats_window(start_date=start_date, end_date=end_date, today=timezone.localdate(timezone=tz))
    starts_from = _local_midnight_utc(window.start_date, tz)
    ends_before = _local_midnight_utc(window.end_date + datetime.timedelta(days=1), tz)

    completed = Q(status=Appointment.Status.COMPLETED)
    # Repeat client: at least two completed appointments with this therapist up to the
    # window's end (the one in the window is one of them). OFFSET 1 stops at the second.
    completed_twice = Exists(
        Appointment.objects.filter(
            therapist_id=therapist.pk,
            client_id=OuterRef("client_id"),
            status=Appointment.Status.COMPLETED,
            starts_at__lt=ends_before,
        )[1:2]
    )
    # A correlated lookup rather than a join: evaluated only for completed appointments,
    # one probe of the session's unique appointment index each, whatever the window.
    session_duration = Subquery(
        Session.objects.filter(appointment_id=OuterRef("pk"), ended_at__isnull=False)
        .order_by()
        .values(duration=F("ended_at") - F("started_at"))[:1],
        output_field=DurationField(),
    )
    row = Appointment.objects.filter(
        therapist_id=therapist.pk,
        starts_at__gte=starts_from,
        starts_at__lt=ends_before,
    ).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=completed),
        cancelled=Count("pk", filter=Q(status=Appointment.Status.CANCELLED)),
        no_shows=Count("pk", filter=Q(status=Appointment.Status.NO_SHOW)),
        average_duration=Avg(
            Coalesce(session_duration, F("ends_at") - F("starts_at"), output_field=DurationField()),
            filter=completed,
        ),
        clients_seen=Count("client_id", distinct=True, filter=completed),
        repeat_clients=Count("client_id", distinct=True, filter=completed & Q(completed_twice)),
    )
    average: datetime.timedelta | None = row["average_duration"]
    seen = row["clients_seen"]
    return SessionStats(
        start_date=window.start_date,
        end_date=window.end_date,
        total_sessions=row["total"],
        completed_sessions=row["completed"],
        cancelled_sessions=row["cancelled"],
        no_shows=row["no_shows"],
        average_session_duration=_round_one_decimal(average.total_seconds() / 60) if average else 0.0,
        client_retention_rate=_round_one_decimal(Decimal(row["repeat_clients"] * 100) / seen) if seen else 0.0,
    )


# --- Client session summary --------------------------------------------------------------

# One row per theme mention: (key, label, seen_at). Only string entries count; ``key`` is
# the trimmed, lower-cased text the mentions are grouped by. Identifiers come from model
# metadata, values are always query parameters.
_SESSION = Session._meta.db_table
_APPOINTMENT = Appointment._meta.db_table
_MENTIONS_SQL = {
    "postgresql": f"""
        SELECT lower(btrim(e.value #>> '{{}}')) AS key, btrim(e.value #>> '{{}}') AS label,
               s.started_at AS seen_at
        FROM {_SESSION} s
        LEFT JOIN {_APPOINTMENT} a ON a.id = s.appointment_id
        CROSS JOIN LATERAL (
            SELECT s.client_concerns AS items UNION ALL
            SELECT s.session_goals UNION ALL
            SELECT a.focus_areas
        ) lists
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(lists.items) = 'array' THEN lists.items ELSE '[]'::jsonb END
        ) e(value)
        WHERE s.client_id = %(client_id)s AND s.therapist_id = %(therapist_id)s AND s.status = %(status)s
          AND jsonb_typeof(e.value) = 'string'
    """,  # noqa: S608
    "sqlite": f"""
        SELECT lower(trim(e.value)) AS key, trim(e.value) AS label, lists.seen_at AS seen_at
        FROM (
            SELECT s.started_at AS seen_at, s.client_concerns AS items FROM {_SESSION} s
            WHERE s.client_id = %(client_id)s AND s.therapist_id = %(therapist_id)s AND s.status = %(status)s
            UNION ALL
            SELECT s.started_at, s.session_goals FROM {_SESSION} s
            WHERE s.client_id = %(client_id)s AND s.therapist_id = %(therapist_id)s AND s.status = %(status)s
            UNION ALL
            SELECT s.started_at, a.focus_areas FROM {_SESSION} s JOIN {_APPOINTMENT} a ON a.id = s.appointment_id
            WHERE s.client_id = %(client_id)s AND s.therapist_id = %(therapist_id)s AND s.status = %(status)s
        ) lists, json_each(CASE WHEN json_type(lists.items) = 'array' THEN lists.items ELSE '[]' END) e
        WHERE e.type = 'text'
    """,  # noqa: S608
}

# Rank the themes: most mentions first, ties to the most recently mentioned, then by text
# so the order is total. A theme is shown as it was spelled in its latest mention.
_THEMES_SQL = """
    WITH mentions AS ({mentions}),
    ranked AS (
        SELECT key, label, seen_at,
               COUNT(*) OVER (PARTITION BY key) AS mention_count,
               ROW_NUMBER() OVER (PARTITION BY key ORDER BY seen_at DESC, label) AS latest
        FROM mentions
        WHERE key <> ''
    )
    SELECT label, mention_count FROM ranked
    WHERE latest = 1
    ORDER BY mention_count DESC, seen_at DESC, key
    LIMIT %(limit)s
"""


def client_common_themes(*, therapist: User, client: Client, limit: int = COMMON_THEMES_LIMIT) -> list[str]:
    """The most frequent themes of the client's completed sessions with ``therapist``.

    A theme is one entry of a session's ``client_concerns`` or ``session_goals`` or of its
    appointment's ``focus_areas``; entries are compared trimmed and case-insensitively, and
    each entry is one mention. Most mentions first; ties go to the theme mentioned most
    recently (by session start), then by text. One statement; the JSON lists are unnested
    by the database (``jsonb_array_elements`` on PostgreSQL, ``json_each`` on SQLite,
    whose ``lower()`` folds ASCII letters only)."""
    mentions = _MENTIONS_SQL.get(connection.vendor)
    if mentions is None:
        raise NotImplementedError(f"client_common_themes has no query for {connection.vendor}.")
    params = {
        "client_id": client.pk,
        "therapist_id": therapist.pk,
        "status": Session.Status.COMPLETED,
        "limit": limit,
    }
    if connection.vendor == "sqlite":
        # SQLite stores UUIDs as 32 hex digits without dashes.
        params.update(client_id=client.pk.hex, therapist_id=therapist.pk.hex)
    with connection.cursor() as cursor:
        cursor.execute(_THEMES_SQL.format(mentions=mentions), params)
        return [label for label, _count in cursor.fetchall()]


@dataclass(frozen=True)
class ClientSessionSummary:
    total_sessions: int
    first_session_date: datetime.date | None
    last_session_date: datetime.date | None
    average_mood_improvement: float | None
    common_themes: list[str]
    goals_total: int
    goals_active: int
    goals_completed: int
    goals_paused: int
    goals_active_average_progress: int | None
    progress_summary: str


def client_session_summary(*, actor: User, client_id: UUID) -> ClientSessionSummary:
    """Summary of a client's session history (SPEC §6) for their assigned therapist.

    Only a therapist assigned to the client may read it (clinical content); anyone else
    gets a 404. It covers the caller's own completed sessions with the client, since a
    therapist sees only their own sessions (SPEC §3), and all of the client's therapy
    goals, which every assigned therapist reads.

    - ``total_sessions``: those completed sessions; ``last_session_date``: the local date
      (practice timezone) the latest one started, null when none.
    - ``average_mood_improvement``: mean of (end mood - start mood) over those sessions
      with both, one decimal; null when none has both.
    - ``common_themes``: see :func:`client_common_themes`.
    - ``progress_summary``: a plain-language sentence built from the figures above, then
      one on the client's PHQ-9 and GAD-7 scores (first and latest, with their bands).

    Four aggregate statements (sessions, goals, themes, outcome scores) after the client
    lookup."""
    client = client_get(actor=actor, client_id=client_id, clinical=True)
    tz = client.practice.tzinfo
    sessions = Session.objects.filter(client_id=client.pk, therapist_id=actor.pk, status=Session.Status.COMPLETED)
    session_row = sessions.aggregate(
        total=Count("pk"),
        first_started=Min("started_at"),
        last_started=Max("started_at"),
        mood_change=Avg(F("mood_end") - F("mood_start"), filter=Q(mood_start__isnull=False, mood_end__isnull=False)),
    )
    goal_row = TherapyGoal.objects.filter(client_id=client.pk).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=TherapyGoal.Status.ACTIVE)),
        completed=Count("pk", filter=Q(status=TherapyGoal.Status.COMPLETED)),
        paused=Count("pk", filter=Q(status=TherapyGoal.Status.PAUSED)),
        active_progress=Avg("progress", filter=Q(status=TherapyGoal.Status.ACTIVE)),
    )

    def local_date(moment: datetime.datetime | None) -> datetime.date | None:
        return timezone.localtime(moment, tz).date() if moment else None

    mood_change = session_row["mood_change"]
    active_progress = goal_row["active_progress"]
    figures = {
        "total_sessions": session_row["total"],
        "first_session_date": local_date(session_row["first_started"]),
        "last_session_date": local_date(session_row["last_started"]),
        "average_mood_improvement": _round_one_decimal(mood_change) if mood_change is not None else None,
        "common_themes": client_common_themes(therapist=actor, client=client),
        "goals_total": goal_row["total"],
        "goals_active": goal_row["active"],
        "goals_completed": goal_row["completed"],
        "goals_paused": goal_row["paused"],
        "goals_active_average_progress": (
            int(Decimal(str(active_progress)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if active_progress is not None
            else None
        ),
    }
    summary = progress_summary_text(
        total_sessions=figures["total_sessions"],
        first_session_date=figures["first_session_date"],
        average_mood_improvement=figures["average_mood_improvement"],
        goals_total=figures["goals_total"],
        goals_active=figures["goals_active"],
        goals_completed=figures["goals_completed"],
        goals_paused=figures["goals_paused"],
        goals_active_average_progress=figures["goals_active_average_progress"],
        outcome_changes=client_outcome_changes(client=client),
    )
    return ClientSessionSummary(**figures, progress_summary=summary)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _long_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")  # 3 March 2026


def progress_summary_text(
    *,
    total_sessions: int,
    first_session_date: datetime.date | None,
    average_mood_improvement: float | None,
    goals_total: int,
    goals_active: int,
    goals_completed: int,
    goals_paused: int,
    goals_active_average_progress: int | None,
    outcome_changes: Sequence[OutcomeChange] = (),
) -> str:
    """One deterministic sentence a therapist reads at a glance, e.g.
    "11 sessions since 3 March 2026; mood improved by 1.8 points on average; 2 of 3 goals
    active (average progress 55%), 1 completed." and, when the client took the PHQ-9 or
    GAD-7, a second one: "PHQ-9 went from 16 (moderately severe) to 8 (mild)." """
    if total_sessions == 0:
        parts = ["no completed sessions yet"]
    else:
        if total_sessions == 1:
            parts = [f"1 session, on {_long_date(first_session_date)}"]
        else:
            parts = [f"{total_sessions} sessions since {_long_date(first_session_date)}"]
        if average_mood_improvement is None:
            parts.append("no mood ratings recorded")
        elif average_mood_improvement == 0:
            parts.append("mood unchanged on average")
        else:
            direction = "improved" if average_mood_improvement > 0 else "declined"
            size = abs(average_mood_improvement)
            parts.append(f"mood {direction} by {size:.1f} {'point' if size == 1 else 'points'} on average")

    if goals_total == 0:
        parts.append("no therapy goals set")
    else:
        goals = f"{goals_active} of {_plural(goals_total, 'goal')} active"
        if goals_active:
            goals += f" (average progress {goals_active_average_progress}%)"
        if goals_completed:
            goals += f", {goals_completed} completed"
        if goals_paused:
            goals += f", {goals_paused} paused"
        parts.append(goals)

    text = "; ".join(parts) + "."
    text = text[0].upper() + text[1:]
    if outcome_changes:
        text += " " + "; ".join(_outcome_change_text(change) for change in outcome_changes) + "."
    return text


def _outcome_change_text(change: OutcomeChange) -> str:
    latest = f"{change.latest_score} ({change.latest_band})"
    if change.count == 1:
        return f"{change.name} was {latest}"
    if change.first_score == change.latest_score:
        return f"{change.name} stayed at {latest}"
    return f"{change.name} went from {change.first_score} ({change.first_band}) to {latest}"
