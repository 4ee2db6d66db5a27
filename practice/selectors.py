"""Reads of the core domain. Every selector takes the actor and returns only what the
actor may see: a therapist their assigned clients, staff their whole practice."""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from . import photos
from .audit_chain import GENESIS_HASH, audit_entry_hash
from .errors import NotFoundError, PermissionDeniedError, PhotoError
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


def profile_get(*, actor: User) -> User:
    """The actor with their practice and (for a therapist) professional profile: one query."""
    return User.objects.select_related("practice", "therapist_profile").get(pk=actor.pk)


def user_profile_photo_url(user: User, *, now: float | None = None) -> str | None:
    """The absolute link to the user's photo (``GET /api/profile/photo/{id}``, signed so an
    ``<img>`` tag opens it without a token; see ``practice.photos``), or ``None`` without a
    photo. No query: it reads only the user row."""
    name = user.profile_photo.name if user.profile_photo else ""
    if not name:
        return None
    expires = photos.photo_link_expiry(now)
    signature = photos.photo_link_signature(user_id=user.pk, photo_name=name, expires=expires)
    path = reverse("profile-photo", kwargs={"user_id": user.pk})
    return f"{settings.PUBLIC_BASE_URL}{path}?{urlencode({'expires': expires, 'signature': signature})}"


def _photo_owner_queryset() -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(profile_photo="").only("id", "practice_id", "profile_photo")


def profile_photo_owner_get(*, actor: User, user_id: UUID) -> User:
    """A user of the actor's practice who has a photo. Another practice's user, and a user
    without a photo, are a 404."""
    user = _photo_owner_queryset().filter(pk=user_id, practice_id=actor.practice_id).first()
    if user is None or actor.practice_id is None:
        raise NotFoundError(message="No profile photo.")
    return user


def profile_photo_owner_get_by_link(*, user_id: UUID, expires: str | None, signature: str | None) -> User:
    """The user whose photo a signed link (``user_profile_photo_url``) opens. An altered,
    expired or superseded link (the photo was replaced or removed) is a 403, whoever it names:
    without a token nobody learns whether a user or a photo exists."""
    user = _photo_owner_queryset().filter(pk=user_id).first()
    if user is None or not photos.photo_link_is_valid(
        user_id=user.pk, photo_name=user.profile_photo.name, expires=expires, signature=signature
    ):
        raise PermissionDeniedError(
            PhotoError.LINK_INVALID, "This photo link is invalid or has expired; ask for the user again."
        )
    return user


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
