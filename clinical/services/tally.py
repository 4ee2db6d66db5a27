"""The session tally (``SessionTally``) counted afresh from the sessions: to check it, or
to rebuild it after its triggers were off (a bulk load)."""

from datetime import datetime
from uuid import UUID

from django.db.models import Count, Max, Q

from clinical.models import Session, SessionTally
from practice.db.tallies import tally_differences, tally_replace

#: (therapist id, client id)
Pair = tuple[UUID, UUID]
#: sessions, completed sessions, the latest completed session's start
Figures = tuple[int, int, datetime | None]

COMPLETED = Q(status=Session.Status.COMPLETED)


def _counted() -> dict[Pair, Figures]:
    rows = (
        Session.objects.order_by()
        .values("therapist_id", "client_id")
        .annotate(n=Count("*"), completed=Count("pk", filter=COMPLETED), last=Max("started_at", filter=COMPLETED))
    )
    return {(row["therapist_id"], row["client_id"]): (row["n"], row["completed"], row["last"]) for row in rows}


def session_tally_differences() -> list[Pair]:
    """The (therapist id, client id) pairs whose tally differs from their sessions."""
    kept = {
        (row.therapist_id, row.client_id): (row.sessions, row.completed, row.last_completed_at)
        for row in SessionTally.objects.filter(sessions__gt=0)
    }
    return tally_differences(kept, _counted())


def session_tally_recount() -> int:
    """Count every pair afresh, replacing the tally in one transaction (sessions cannot
    change meanwhile); return how many pairs have sessions."""
    return tally_replace(
        SessionTally,
        Session,
        lambda: (
            SessionTally(
                therapist_id=therapist, client_id=client, sessions=n, completed=completed, last_completed_at=last
            )
            for (therapist, client), (n, completed, last) in _counted().items()
        ),
    )
