"""Audited reads under real concurrency (PostgreSQL): a request that records its reads takes
no practice-wide lock, so colleagues never queue behind each other's open transaction; and
sealers running while requests write make one chain without gaps or repeats."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from clinical.tests.factories import SessionFactory
from conftest import authenticated_client
from practice.models import AuditEvent
from practice.selectors import audit_chain_verify
from practice.services.audit import AuditTarget, audit_record_view, audit_seal
from practice.tests.factories import ClientFactory, PracticeFactory, TherapistFactory

WAIT = 10  # seconds: how long a thread may take before the test counts it as stuck
THREADS = 8


def _page(therapist, client, count=50, prefix="s"):
    """The audited reads of one list page of ``count`` sessions (one entry naming them all)."""
    return [AuditTarget("session", f"{prefix}-{therapist.pk}-{i}", client.pk) for i in range(count)]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_with_an_audited_read_does_not_hold_up_a_colleague():
    practice = PracticeFactory()
    first, second = TherapistFactory.create_batch(2, practice=practice)
    first_client = ClientFactory(practice=practice, therapists=[first])
    second_client = ClientFactory(practice=practice, therapists=[second])
    for hours in (1, 2, 3):
        SessionFactory(
            appointment__therapist=second,
            appointment__client=second_client,
            appointment__starts_at=timezone.now() - datetime.timedelta(days=1, hours=hours),
        )
    written, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def open_request() -> None:
        # A request of ``first`` that has recorded its reads and is still serialising.
        try:
            with transaction.atomic():
                audit_record_view(actor=first, targets=_page(first, first_client))
                written.set()
                if not release.wait(WAIT * 3):
                    raise AssertionError("the test never let the open transaction finish")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    responses: list[int] = []

    def colleague_request() -> None:
        try:
            responses.append(authenticated_client(second).get("/api/sessions").status_code)
        finally:
            connection.close()

    holder = threading.Thread(target=open_request)
    holder.start()
    try:
        assert written.wait(WAIT)
        # Another connection records reads of the same practice: no lock to wait for (a wait
        # of more than 200 ms for any lock fails the statement).
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            audit_record_view(actor=second, targets=_page(second, second_client, prefix="direct"))
        # And a whole request of the colleague (its sessions page, audited) completes.
        colleague = threading.Thread(target=colleague_request)
        colleague.start()
        colleague.join(WAIT)
        assert not colleague.is_alive(), "the colleague's request waited for the open transaction"
        assert responses == [200]
        assert holder.is_alive()
        assert not AuditEvent.objects.filter(actor=first).exists()  # still uncommitted
    finally:
        release.set()
        holder.join(WAIT)
    assert errors == []

    # One entry per page: the open request's, the direct one and the colleague's.
    assert audit_seal(practice=practice) == {practice.pk: 3}
    assert not AuditEvent.objects.unsealed().exists()
    assert audit_chain_verify(practice=practice) == (3, None)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_reads_recorded_while_sealers_run_make_one_chain_without_gaps():
    practice = PracticeFactory()
    therapists = TherapistFactory.create_batch(THREADS, practice=practice)
    clients = ClientFactory.create_batch(5, practice=practice)
    rounds, per_page = 12, 20
    start = threading.Barrier(THREADS + 2)
    writers_done = threading.Event()
    errors: list[BaseException] = []
    sealed_by_runs: list[int] = []
    lock = threading.Lock()

    def writer(therapist) -> None:
        try:
            start.wait()
            for number in range(rounds):
                with transaction.atomic():
                    audit_record_view(
                        actor=therapist,
                        targets=[
                            AuditTarget("session", f"{therapist.pk}-{number}-{i}", clients[i % 5].pk)
                            for i in range(per_page)
                        ],
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def sealer() -> None:
        # Two of these run at once, as overlapping cron runs would.
        try:
            start.wait()
            while not writers_done.is_set():
                count = sum(audit_seal(practice=practice, chunk_size=10).values())
                with lock:
                    sealed_by_runs.append(count)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    writers = [threading.Thread(target=writer, args=(therapist,)) for therapist in therapists]
    sealers = [threading.Thread(target=sealer) for _ in range(2)]
    for thread in writers + sealers:
        thread.start()
    for thread in writers:
        thread.join(WAIT * 6)
    writers_done.set()
    for thread in sealers:
        thread.join(WAIT * 6)
    assert not any(thread.is_alive() for thread in writers + sealers)
    assert errors == []

    final = sum(audit_seal(practice=practice).values())
    total = THREADS * rounds  # one entry per page
    assert AuditEvent.objects.filter(practice=practice).count() == total
    assert not AuditEvent.objects.unsealed().exists()
    # Every entry sealed exactly once: the runs' counts add up, and positions run 1..N.
    assert sum(sealed_by_runs) + final == total
    sequences = sorted(AuditEvent.objects.filter(practice=practice).values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert audit_chain_verify(practice=practice) == (total, None)
