"""One open assignment per item and client, held by the database."""

import pytest
from django.db import IntegrityError, transaction

from clinical.models import AssignmentStatus, ChallengeAssignment, ResourceAssignment
from clinical.tests.factories import (
    ChallengeAssignmentFactory,
    ChallengeFactory,
    ResourceAssignmentFactory,
    ResourceFactory,
)
from conftest import authenticated_client
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory, TherapistFactory

THREADS = 6


@pytest.mark.django_db
def test_the_partial_unique_index_refuses_a_second_open_assignment(therapist, client_record):
    challenge = ChallengeFactory(author=therapist)
    ChallengeAssignmentFactory(challenge=challenge, client=client_record, status=AssignmentStatus.IN_PROGRESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChallengeAssignmentFactory(challenge=challenge, client=client_record)
    # A completed one does not count.
    ChallengeAssignment.objects.update(status=AssignmentStatus.COMPLETED, completed_at="2026-01-01T00:00Z")
    ChallengeAssignmentFactory(challenge=challenge, client=client_record)
    assert ChallengeAssignment.objects.count() == 2


@pytest.mark.django_db
def test_a_completed_assignment_has_its_time(therapist, client_record):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceAssignmentFactory(
            resource=ResourceFactory(author=therapist), client=client_record, status=AssignmentStatus.COMPLETED
        )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["challenges", "resources"])
def test_concurrent_assignments_leave_exactly_one_open(kind, practice):
    therapist = TherapistFactory(practice=practice)
    client = ClientFactory(practice=practice, therapists=[therapist])
    factory = ChallengeFactory if kind == "challenges" else ResourceFactory
    item = factory(author=therapist)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]

    def assign(index):
        response = callers[index].post(f"/api/{kind}/{item.pk}/assign", {"clientId": str(client.pk)}, format="json")
        return response.status_code, response.json().get("code")

    results = run_concurrently(assign, THREADS)
    assert sorted(results) == [(201, None)] + [(409, "already_assigned")] * (THREADS - 1)
    model = ChallengeAssignment if kind == "challenges" else ResourceAssignment
    assert model.objects.count() == 1
