"""The client's access log (NEN 7513): who opened which part of a client's record, and
when, read from the audit trail."""

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncDate

from practice.models import AuditEvent, Client, User


@dataclass(frozen=True)
class AccessLogWindow:
    """Inclusive local dates (the practice's time zone) and the instants they span."""

    start_date: datetime.date | None
    end_date: datetime.date
    starts_at: datetime.datetime | None
    ends_before: datetime.datetime


def access_log_window(
    *, tzinfo, start_date: datetime.date | None, end_date: datetime.date | None, today: datetime.date
) -> AccessLogWindow:
    end_date = end_date or today
    starts_at = datetime.datetime.combine(start_date, datetime.time.min, tzinfo=tzinfo) if start_date else None
    ends_before = datetime.datetime.combine(end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tzinfo)
    return AccessLogWindow(start_date, end_date, starts_at, ends_before)


def client_access_log(*, client: Client, window: AccessLogWindow) -> QuerySet:
    """The client's audit entries in ``window``, chronological, with one row per day,
    person, record part and action: repeats on one day are folded into one row with their
    count and their first and last time (a list page that showed several of the client's
    records counts once). One grouped query, whatever the number of entries."""
    tz = client.practice.tzinfo
    qs = AuditEvent.objects.naming_client(client.pk).filter(
        practice_id=client.practice_id, created_at__lt=window.ends_before
    )
    if window.starts_at is not None:
        qs = qs.filter(created_at__gte=window.starts_at)
    return (
        qs.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values(
            "day",
            "actor_id",
            "actor__first_name",
            "actor__last_name",
            "actor__email",
            "actor__role",
            "record_type",
            "action",
        )
        .annotate(count=Count("id"), first_at=Min("created_at"), last_at=Max("created_at"))
        .order_by("first_at", "actor_id", "record_type", "action")
    )


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def access_log_row(row: dict[str, Any], *, tzinfo) -> dict[str, Any]:
    """One folded row as the access log shows it, with labels in the active language and
    times in the practice's time zone."""
    name = f"{row['actor__first_name'] or ''} {row['actor__last_name'] or ''}".strip() or row["actor__email"] or ""
    role = row["actor__role"]
    actor_id: UUID | None = row["actor_id"]
    return {
        "date": row["day"],
        "first_at": row["first_at"].astimezone(tzinfo),
        "last_at": row["last_at"].astimezone(tzinfo),
        "actor": {
            "id": actor_id,
            "name": name,
            "role": role,
            "role_label": _label(User.Role, role) if role else "",
        },
        "record_type": row["record_type"],
        "record_label": _label(AuditEvent.RecordType, row["record_type"]),
        "action": row["action"],
        "action_label": _label(AuditEvent.Action, row["action"]),
        "count": row["count"],
    }
