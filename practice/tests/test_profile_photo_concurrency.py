"""Concurrent photo uploads on PostgreSQL: real threads, each with its own connection."""

import pytest

from conftest import authenticated_client
from practice.tests.concurrency import run_concurrently
from practice.tests.photo_files import image_bytes
from practice.tests.test_profile_photo import stored_files, upload

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 6


def test_concurrent_uploads_leave_exactly_the_winners_file(therapist, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]
    colors = ["red", "green", "blue", "yellow", "purple", "orange"]

    def send(index):
        return upload(callers[index], image_bytes(color=colors[index])).status_code

    assert run_concurrently(send, THREADS) == [200] * THREADS
    therapist.refresh_from_db()
    # Each upload replaced the one committed before it, under the row lock, and deleted its
    # file after committing: only the last one's file is left, and the row points at it.
    assert list(stored_files(tmp_path)) == [therapist.profile_photo.name]
