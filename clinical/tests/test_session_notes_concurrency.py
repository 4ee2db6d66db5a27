"""Concurrent edits of one note on PostgreSQL: each keeps the version it replaced."""

import pytest

from clinical.models import SessionNoteVersion
from clinical.tests.factories import SessionNoteFactory
from conftest import authenticated_client
from practice.tests.concurrency import run_concurrently

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 6


def test_concurrent_edits_apply_one_after_the_other_and_number_every_version(therapist, client_record):
    note = SessionNoteFactory(client=client_record, therapist=therapist)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]

    def edit(index):
        return (
            callers[index]
            .put(f"/api/therapist/session-notes/{note.pk}", {"progressNotes": f"Edit {index}"}, format="json")
            .status_code
        )

    assert run_concurrently(edit, THREADS) == [200] * THREADS

    note.refresh_from_db()
    versions = list(SessionNoteVersion.objects.filter(note=note).order_by("version"))
    assert [v.version for v in versions] == list(range(1, THREADS + 1))
    assert note.version == THREADS + 1
    # Each version holds what the edit before it wrote: no edit was lost.
    kept = [v.content["progress_notes"] for v in versions[1:]] + [note.progress_notes]
    assert sorted(kept) == sorted(f"Edit {i}" for i in range(THREADS))
