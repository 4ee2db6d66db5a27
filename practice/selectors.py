"""Reads of the core domain. Every selector takes the actor and returns only what the
actor may see: a therapist their assigned clients, staff their whole practice."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from .audit_chain import GENESIS_HASH, audit_entry_hash
from .errors import NotFoundError
from .models import AuditEvent, Client, EmergencyContact, Practice, User


def client_visible_queryset(*, actor: User) -> QuerySet[Client]:
    """Clients the actor may see: staff the practice's, a therapist only assigned ones."""
    qs = Client.objects.filter(practice_id=actor.practice_id)
    if not actor.is_practice_staff:
        qs = qs.filter(therapists=actor)
    return qs


def client_clinical_queryset(*, actor: User) -> QuerySet[Client]:
    """Clients whose clinical records the actor may read: only the assigned therapist(s)."""
    if not actor.is_therapist:
        return Client.objects.none()
    return Client.objects.filter(practice_id=actor.practice_id, therapists=actor)


def client_list(*, actor: User) -> QuerySet[Client]:
    """The actor's visible clients with their assigned therapists prefetched (two queries
    whatever the page size)."""
    qs = client_visible_queryset(actor=actor)
    therapists = User.objects.filter(role=User.Role.THERAPIST).only("id", "first_name", "last_name")
    return qs.prefetch_related(Prefetch("therapists", queryset=therapists)).order_by("last_name", "first_name", "id")


def client_get(*, actor: User, client_id: UUID, clinical: bool = False) -> Client:
    """One client the actor may see (``clinical=True``: whose clinical records they may
    read). Anything else is a 404, exactly as if it did not exist."""
    qs = client_clinical_queryset(actor=actor) if clinical else client_visible_queryset(actor=actor)
    client = qs.select_related("practice").filter(pk=client_id).first()
    if client is None:
        raise NotFoundError(message="Client not found.")
    return client


def therapist_get(*, actor: User, therapist_id: UUID) -> User:
    """A therapist of the actor's practice that the actor may look at: staff any, a
    therapist only themselves."""
    qs = User.objects.filter(practice_id=actor.practice_id, role=User.Role.THERAPIST, is_active=True)
    if not actor.is_practice_staff:
        qs = qs.filter(pk=actor.pk)
    therapist = qs.select_related("practice").filter(pk=therapist_id).first()
    if therapist is None:
        raise NotFoundError(message="Therapist not found.")
    return therapist


def emergency_contact_get(*, actor: User, client_id: UUID) -> tuple[Client, EmergencyContact | None]:
    """The client (staff, or an assigned therapist: front-desk data, not clinical) and their
    emergency contact, or ``None`` when none is recorded. One query."""
    client = (
        client_visible_queryset(actor=actor)
        .select_related("practice", "emergency_contact")
        .filter(pk=client_id)
        .first()
    )
    if client is None:
        raise NotFoundError(message="Client not found.")
    return client, getattr(client, "emergency_contact", None)


@dataclass(frozen=True)
class AuditChainBreak:
    practice_id: UUID
    sequence: int
    entry_id: UUID | None
    reason: str


def audit_chain_verify(*, practice: Practice, chunk_size: int = 2000) -> tuple[int, AuditChainBreak | None]:
    """Walk the practice's chain in order; return the number of entries checked and the
    first broken link (an edited entry, a removed one, or a reordered one), if any."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    entries = AuditEvent.objects.filter(practice=practice).order_by("sequence").iterator(chunk_size=chunk_size)
    for entry in entries:
        checked += 1
        if entry.sequence != expected_sequence:
            return checked, AuditChainBreak(
                practice.pk, expected_sequence, None, f"entry #{expected_sequence} is missing"
            )
        if entry.prev_hash != expected_prev:
            return checked, AuditChainBreak(
                practice.pk, entry.sequence, entry.pk, "does not link to the previous entry"
            )
        if audit_entry_hash(entry) != entry.hash:
            return checked, AuditChainBreak(
                practice.pk, entry.sequence, entry.pk, "content does not match its hash (edited)"
            )
        expected_prev = entry.hash
        expected_sequence += 1
    return checked, None


def user_me(*, actor: User) -> User:
    """The signed-in user as a response shows them: with their practice and two-factor
    state, read afresh (after a change to either within the request)."""
    return User.objects.select_related("practice", "two_factor").get(pk=actor.pk)


def user_two_factor_required(user: User) -> bool:
    """Therapists read health data: two-factor authentication is required for them
    always (NEN 7510), for staff when their practice says so."""
    if user.is_therapist:
        return True
    return bool(user.is_practice_staff and user.practice_id and user.practice.require_two_factor_for_staff)


def user_two_factor_enabled(user: User) -> bool:
    device = getattr(user, "two_factor", None)
    return bool(device is not None and device.enabled)


def user_two_factor_missing(user: User) -> bool:
    """Whether the user must set up two-factor authentication before anything else.
    Reads only what authentication loaded with the user: no query."""
    return user_two_factor_required(user) and not user_two_factor_enabled(user)


def user_profile_photo_url(user: User) -> str | None:
    """The URL of the user's profile photo, or ``None`` while they have none."""
    return None
