"""Producing a client's access log (NEN 7513): reading it is itself audited."""

import datetime
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import PermissionDeniedError, ValidationFailed
from practice.models import AuditEvent, Client, User
from practice.selectors import client_get
from practice.selectors_access_log import AccessLogWindow, access_log_window, client_access_log
from practice.services.audit import AuditTarget, audit_record_view


@transaction.atomic
def client_access_log_read(
    *,
    actor: User,
    client_id: UUID,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    ip_address: str | None = None,
) -> tuple[Client, AccessLogWindow, QuerySet]:
    """Who opened which part of the client's record between ``start_date`` and
    ``end_date`` (inclusive local dates; no start: since the oldest kept entry; no end:
    today). Rules: practice staff only (a therapist: 403; another practice's client:
    404); the start may not be after the end (400). The read is written to the audit trail
    (record type ``access_log``) before the log is read, so it is part of it."""
    if not actor.is_practice_staff:
        raise PermissionDeniedError(message=gettext("Only practice staff produce a client's access log."))
    client = client_get(actor=actor, client_id=client_id)
    if start_date and end_date and start_date > end_date:
        raise ValidationFailed.for_field("end_date", gettext("endDate must not be before startDate."))
    tz = client.practice.tzinfo
    window = access_log_window(
        tzinfo=tz, start_date=start_date, end_date=end_date, today=timezone.localdate(timezone=tz)
    )
    audit_record_view(
        actor=actor,
        targets=[AuditTarget(AuditEvent.RecordType.ACCESS_LOG, client.pk, client.pk)],
        ip_address=ip_address,
    )
    return client, window, client_access_log(client=client, window=window)
