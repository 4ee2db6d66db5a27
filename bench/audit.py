"""What recording the audit for one list page costs, measured in-process: the entry of
the busiest therapist's sessions page (50 sessions), written the way the sessions list
writes it, and whether it names every session and client shown.

The cost is what the entries add to a request's transaction, commit included (the
foreign-key checks PostgreSQL defers to it, and the flush of the log a read-only
transaction does not need): the median of transactions that read a row and write the
entries, less the median of the same transactions without the entries, alternated so
that drift of the machine cancels. The insert alone is reported beside it."""

import statistics
import time

from .endpoints import Context

CALLS = 400
WARMUP = 20
PAGE = 50
#: The issue's budget for a page's audit.
TARGET_MS = 1.0


def measure_audit(ctx: Context) -> dict:
    from django.db import transaction

    from clinical.selectors.sessions import session_list_rows, session_listing
    from clinical.services.sessions import session_record_views
    from practice.models import AuditEvent, User

    actor = User.objects.select_related("practice", "two_factor").get(pk=ctx.users[0].id)
    page = list(session_list_rows(session_listing(actor=actor).sessions)[:PAGE])
    pairs = [(row["id"], row["client_id"]) for row in page]
    shown = {row["client_id"] for row in page}
    with_entries, without_entries, calls = [], [], []
    named: set = set()
    records: set = set()
    written = 0
    for call in range(WARMUP + CALLS):
        started = time.perf_counter()
        with transaction.atomic():
            User.objects.filter(pk=actor.pk).exists()
        read_only = time.perf_counter() - started
        started = time.perf_counter()
        with transaction.atomic():
            User.objects.filter(pk=actor.pk).exists()
            inserted = time.perf_counter()
            session_record_views(actor=actor, shown=pairs, ip_address="127.0.0.1")
            inserted = time.perf_counter() - inserted
        audited = time.perf_counter() - started
        if call == 0:
            entries = list(AuditEvent.objects.unsealed().filter(actor=actor))
            written = len(entries)
            named = {client_id for entry in entries for client_id in entry.named_client_ids}
            records = {record_id for entry in entries for record_id in entry.named_record_ids}
        if call >= WARMUP:
            with_entries.append(audited)
            without_entries.append(read_only)
            calls.append(inserted)
    median_ms = round((statistics.median(with_entries) - statistics.median(without_entries)) * 1000, 3)
    insert_ms = round(statistics.median(calls) * 1000, 3)
    return {
        "available": True,
        "records_per_page": len(page),
        "entries_per_page": written,
        "calls": CALLS,
        "median_ms": median_ms,
        "insert_median_ms": insert_ms,
        "targets": [
            {
                "target": f"audit of a {PAGE}-row page <= {TARGET_MS:g} ms",
                "value": median_ms,
                "met": median_ms <= TARGET_MS,
            },
            {
                "target": "names every client and record shown",
                "value": f"{len(named & shown)} of {len(shown)} clients, {written} entries",
                "met": shown <= named and records == {str(row["id"]) for row in page},
            },
        ],
        "summary": (
            f"{len(page)} sessions per page in {written} entries, {CALLS} pages: {median_ms} ms added to the request's "
            f"transaction, commit included (the insert itself {insert_ms} ms); "
            f"{len(shown)} distinct clients named"
        ),
    }
