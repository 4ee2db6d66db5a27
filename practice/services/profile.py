"""A user's own profile (name, phone, language, a therapist's professional profile) and
profile photos."""

import logging
import uuid
from collections.abc import Mapping
from typing import IO, Any
from uuid import UUID

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext

from practice import photos
from practice.errors import NotFoundError, ValidationFailed
from practice.models import PROFILE_PHOTO_DIRECTORY, Therapist, User
from practice.selectors import therapist_get
from practice.services.common import model_update

logger = logging.getLogger(__name__)


def _clean_without(relation: str):
    """Validate every field but ``relation``, resolved by the caller (and the uniqueness
    checks the database enforces)."""

    def clean(instance) -> None:
        instance.full_clean(exclude=[relation], validate_unique=False)

    return clean


USER_PROFILE_FIELDS = ("first_name", "last_name", "phone", "preferred_language")
THERAPIST_PROFILE_FIELDS = (
    "bio",
    "specialties",
    "qualifications",
    "languages",
    "years_of_experience",
    "license_number",
    "insurance_accepted",
    "session_types",
    "target_age_groups",
    "availability_days",
    "availability_hours",
    "address_street",
    "address_postal_code",
    "address_city",
    "address_country",
)


@transaction.atomic
def profile_update(
    *, actor: User, user_data: Mapping[str, Any], therapist_data: Mapping[str, Any] | None = None
) -> User:
    """Update the actor's own profile: ``user_data`` (model field names of
    ``USER_PROFILE_FIELDS``) and, for a therapist, ``therapist_data`` (their professional
    profile, ``THERAPIST_PROFILE_FIELDS``; created on the first write). Fields not given
    keep their value. Staff have no professional profile: sending one is a validation
    error. Email, role and practice are never changed here."""
    therapist_data = therapist_data or {}
    if therapist_data and not actor.is_therapist:
        field = next(iter(therapist_data))
        raise ValidationFailed.for_field(field, gettext("Only therapists have a professional profile."))
    user = User.objects.select_for_update().get(pk=actor.pk)
    model_update(instance=user, fields=USER_PROFILE_FIELDS, data=user_data, clean=_clean_without("practice"))
    if therapist_data:
        profile, _ = Therapist.objects.select_for_update().get_or_create(user=user)
        model_update(
            instance=profile, fields=THERAPIST_PROFILE_FIELDS, data=therapist_data, clean=_clean_without("user")
        )
    return user


def _photo_storage() -> Storage:
    return User._meta.get_field("profile_photo").storage


def _delete_stored_photo(name: str) -> None:
    try:
        _photo_storage().delete(name)
    except Exception:
        # The row no longer points at it; a file left behind is only wasted space.
        logger.exception("Could not delete the replaced profile photo %s", name)


def _photo_set(*, user_id: UUID, upload: IO[bytes], size: int) -> User:
    processed = photos.profile_photo_process(upload, size=size)
    # Written before the row is locked (storage may be a remote bucket), under a name of
    # its own: a concurrent upload never overwrites this one.
    name = _photo_storage().save(
        f"{PROFILE_PHOTO_DIRECTORY}{uuid.uuid4().hex}{processed.format.extension}", ContentFile(processed.content)
    )
    try:
        user = User.objects.select_for_update().get(pk=user_id)
        previous = user.profile_photo.name
        user.profile_photo.name = name
        user.save(update_fields=["profile_photo"])
    except BaseException:
        _delete_stored_photo(name)
        raise
    if previous:
        transaction.on_commit(lambda: _delete_stored_photo(previous))
    return user


def _photo_remove(*, user_id: UUID) -> None:
    user = User.objects.select_for_update().get(pk=user_id)
    previous = user.profile_photo.name
    if not previous:
        raise NotFoundError(message=gettext("No profile photo."))
    user.profile_photo.name = ""
    user.save(update_fields=["profile_photo"])
    transaction.on_commit(lambda: _delete_stored_photo(previous))


@transaction.atomic
def profile_photo_set(*, actor: User, upload: IO[bytes], size: int) -> User:
    """Replace the actor's profile photo with ``upload`` (``size`` bytes), checked and
    re-encoded by ``practice.photos.profile_photo_process``; nothing is stored when it is
    refused. The previous file is deleted once the change is committed; the row is locked,
    so of two concurrent uploads the later one wins and neither file is left behind."""
    return _photo_set(user_id=actor.pk, upload=upload, size=size)


@transaction.atomic
def profile_photo_remove(*, actor: User) -> None:
    """Remove the actor's profile photo and, once committed, its file. Without a photo, a 404."""
    _photo_remove(user_id=actor.pk)


@transaction.atomic
def therapist_photo_set(*, actor: User, therapist_id: UUID, upload: IO[bytes], size: int) -> User:
    """Practice staff replace a therapist's photo (as ``profile_photo_set``). Only staff
    (the view checks the role); a therapist of another practice is a 404."""
    therapist = therapist_get(actor=actor, therapist_id=therapist_id)
    return _photo_set(user_id=therapist.pk, upload=upload, size=size)


@transaction.atomic
def therapist_photo_remove(*, actor: User, therapist_id: UUID) -> None:
    """Practice staff remove a therapist's photo (as ``profile_photo_remove``)."""
    therapist = therapist_get(actor=actor, therapist_id=therapist_id)
    _photo_remove(user_id=therapist.pk)
