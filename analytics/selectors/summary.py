"""The summary of a client's session history for their assigned therapist (SPEC §6)."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db import connection
from django.db.models import Avg, Count, F, Max, Min, Q
from django.utils import timezone

from clinical.models import Session, TherapyGoal
from clinical.selectors.surveys import client_outcome_changes
from practice.models import Client, User
from practice.selectors import client_get
from scheduling.models import Appointment

from .common import round_one_decimal
from .summary_text import progress_summary_text

#: How many themes the session summary lists.
COMMON_THEMES_LIMIT = 5

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
        "average_mood_improvement": round_one_decimal(mood_change) if mood_change is not None else None,
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
