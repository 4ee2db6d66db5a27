"""Reads of the core domain. Every selector takes the actor and returns only what the
actor may see: a therapist their assigned clients, staff their whole practice."""

import logging
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from . import photos
from .audit_chain import GENESIS_HASH, audit_entry_hash
from .errors import NotFoundError, PermissionDeniedError, PhotoError, ServiceUnavailableError
from .models import AuditChainAnchor, AuditEvent, Client, EmergencyContact, Message, Practice, User, UserNotification

logger = logging.getLogger("practice.health")


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
        raise NotFoundError(message=gettext("Client not found."))
    return client


def therapist_get(*, actor: User, therapist_id: UUID) -> User:
    """A therapist of the actor's practice that the actor may look at: staff any, a
    therapist only themselves."""
    qs = User.objects.filter(practice_id=actor.practice_id, role=User.Role.THERAPIST, is_active=True)
    if not actor.is_practice_staff:
        qs = qs.filter(pk=actor.pk)
    therapist = qs.select_related("practice").filter(pk=therapist_id).first()
    if therapist is None:
        raise NotFoundError(message=gettext("Therapist not found."))
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
        raise NotFoundError(message=gettext("Client not found."))
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
        raise NotFoundError(message=gettext("No profile photo."))
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
            PhotoError.LINK_INVALID, gettext("This photo link is invalid or has expired; ask for the user again.")
        )
    return user


@dataclass(frozen=True)
class AuditChainBreak:
    practice_id: UUID
    sequence: int
    entry_id: UUID | None
    reason: str


def audit_chain_head(*, practice: Practice) -> AuditEvent | None:
    """The practice's newest sealed audit entry (the head of its chain), if any. Entries
    not yet sealed are not part of the chain (and would sort first on PostgreSQL)."""
    return AuditEvent.objects.sealed().filter(practice=practice).order_by("-sequence").first()


def audit_chain_anchor(*, practice: Practice) -> AuditChainAnchor | None:
    """Where the chain starts after ``prune_audit_trail`` (the latest anchor), if it was pruned."""
    return AuditChainAnchor.objects.filter(practice=practice).order_by("-through_sequence").first()


def audit_chain_entry(*, practice: Practice, sequence: int) -> AuditEvent | None:
    return AuditEvent.objects.sealed().filter(practice=practice, sequence=sequence).first()


def audit_chain_verify(*, practice: Practice, chunk_size: int = 2000) -> tuple[int, AuditChainBreak | None]:
    """Walk the practice's chain in order; return the number of entries checked and the
    first broken link (an edited entry, a removed one, or a reordered one), if any. Only
    sealed entries form the chain (``practice.services.audit.audit_seal``); the others are
    not checked yet.

    After ``prune_audit_trail`` the chain starts at its latest anchor: the first entry
    after the anchor's sequence, linking to the anchor's hash; and the removal itself must
    be an entry of the chain (an anchor nobody announced does not count)."""
    anchor = audit_chain_anchor(practice=practice)
    expected_prev = anchor.through_hash if anchor else GENESIS_HASH
    expected_sequence = anchor.through_sequence + 1 if anchor else 1
    if anchor is not None and not _anchor_announced(practice, anchor):
        return 0, AuditChainBreak(
            practice.pk, expected_sequence, None, "the chain does not record the removal its anchor states"
        )
    checked = 0
    entries = (
        AuditEvent.objects.sealed()
        .filter(practice=practice, sequence__gte=expected_sequence)
        .order_by("sequence")
        .iterator(chunk_size=chunk_size)
    )
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


def _anchor_announced(practice: Practice, anchor: AuditChainAnchor) -> bool:
    return (
        AuditEvent.objects.sealed()
        .filter(
            practice=practice,
            sequence__gt=anchor.through_sequence,
            record_type=AuditEvent.RecordType.AUDIT_TRAIL,
            action=AuditEvent.Action.DELETE,
            record_id=str(anchor.through_sequence),
        )
        .exists()
    )


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


# --- In-app notifications --------------------------------------------------------------


def notification_list(*, actor: User, unread_only: bool = False) -> QuerySet[UserNotification]:
    """The actor's own notifications, newest first (``unread_only``: the unread ones)."""
    qs = UserNotification.objects.filter(recipient_id=actor.pk)
    if unread_only:
        qs = qs.filter(is_read=False)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, actor: User) -> int:
    return UserNotification.objects.filter(recipient_id=actor.pk, is_read=False).count()


#: Notification kinds counted on the sidebar's clients and appointments items.
CLIENT_KINDS = (
    UserNotification.Kind.SURVEY_FLAGGED,
    UserNotification.Kind.CHALLENGE_COMPLETED,
    UserNotification.Kind.RESOURCE_COMPLETED,
)
APPOINTMENT_KINDS = (
    UserNotification.Kind.APPOINTMENT_BOOKED,
    UserNotification.Kind.APPOINTMENT_MOVED,
    UserNotification.Kind.APPOINTMENT_CANCELLED,
    UserNotification.Kind.APPOINTMENT_NO_SHOW,
)


def notification_counts(*, actor: User) -> dict[str, int]:
    """What the sidebar badges count, in two queries: unread notifications about clients
    (flagged survey answers, completed homework) and about appointments, unread messages
    received, and the total of everything unread (each unread message counted once, not
    again through its notification)."""
    counts = UserNotification.objects.filter(recipient_id=actor.pk, is_read=False).aggregate(
        clients=Count("id", filter=Q(kind__in=CLIENT_KINDS)),
        appointments=Count("id", filter=Q(kind__in=APPOINTMENT_KINDS)),
        others=Count("id", filter=~Q(kind=UserNotification.Kind.MESSAGE_RECEIVED)),
    )
    messages = Message.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()
    return {
        "clients": counts["clients"],
        "appointments": counts["appointments"],
        "messages": messages,
        "total": counts["others"] + messages,
    }


# --- Messages --------------------------------------------------------------------------


def _with_people(qs: QuerySet[Message]) -> QuerySet[Message]:
    return qs.select_related("sender", "recipient").order_by("-created_at", "-id")


def message_list(*, actor: User) -> QuerySet[Message]:
    """The actor's messages, sent and received, newest first, with both people loaded."""
    return _with_people(
        Message.objects.filter(practice_id=actor.practice_id).filter(Q(sender_id=actor.pk) | Q(recipient_id=actor.pk))
    )


def message_unread_count(*, actor: User, sender_id=None) -> int:
    """Messages the actor received and has not read (from ``sender_id`` only, if given)."""
    qs = Message.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if sender_id is not None:
        qs = qs.filter(sender_id=sender_id)
    return qs.count()


def message_conversation(*, actor: User, user_id: UUID) -> tuple[User, QuerySet[Message]]:
    """The other member and the messages between the actor and them, newest first. The
    actor's own id answers all of the actor's messages (sent and received), as an inbox.
    A user outside the actor's practice does not exist (404)."""
    other = User.objects.filter(practice_id=actor.practice_id, pk=user_id).first()
    if other is None:
        raise NotFoundError(message=gettext("User not found."))
    if other.pk == actor.pk:
        return other, message_list(actor=actor)
    qs = Message.objects.filter(practice_id=actor.practice_id).filter(
        Q(sender_id=actor.pk, recipient_id=other.pk) | Q(sender_id=other.pk, recipient_id=actor.pk)
    )
    return other, _with_people(qs)


def conversation_list(*, actor: User) -> QuerySet[User]:
    """The members the actor has exchanged messages with, latest conversation first, each
    annotated with the last message (id, subject, content, time, sender) and how many of
    their messages the actor has not read. One query per page, whatever its size."""
    between = Message.objects.filter(
        Q(sender_id=actor.pk, recipient_id=OuterRef("pk")) | Q(sender_id=OuterRef("pk"), recipient_id=actor.pk)
    ).order_by("-created_at", "-id")
    unread = (
        Message.objects.filter(sender_id=OuterRef("pk"), recipient_id=actor.pk, read_at__isnull=True)
        .values("sender_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        User.objects.filter(practice_id=actor.practice_id)
        .exclude(pk=actor.pk)
        .annotate(
            last_message_id=Subquery(between.values("id")[:1]),
            last_message_at=Subquery(between.values("created_at")[:1]),
            last_message_subject=Subquery(between.values("subject")[:1]),
            last_message_content=Subquery(between.values("content")[:1]),
            last_message_sender_id=Subquery(between.values("sender_id")[:1]),
            unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        )
        .filter(last_message_id__isnull=False)
        .order_by("-last_message_at", "id")
    )


def system_health() -> dict[str, str]:
    """The database and the cache answer; ``ServiceUnavailableError`` (503) naming the one
    that does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.error("health check: the database does not answer (%s)", type(exc).__name__)
        raise ServiceUnavailableError(
            message=gettext("The database does not answer."), data={"database": "unavailable"}
        ) from exc
    try:
        cache.get("health-check")
    except Exception as exc:  # any cache backend's connection error
        logger.error("health check: the cache does not answer (%s)", type(exc).__name__)
        raise ServiceUnavailableError(
            message=gettext("The cache does not answer."), data={"cache": "unavailable"}
        ) from exc
    return {"status": "ok", "database": connection.vendor, "cache": "ok"}
