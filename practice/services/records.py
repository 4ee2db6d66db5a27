"""A client's one-to-one records (emergency contact, medical history, ...): one race-safe,
audited write for all of them."""

from collections.abc import Mapping, Sequence
from uuid import UUID

from django.db import IntegrityError, models, transaction

from practice.models import AuditEvent, Client, EmergencyContact, User
from practice.selectors import client_get, emergency_contact_get
from practice.services.audit import AuditTarget, audit_log, audit_record_view
from practice.services.common import model_update

EMERGENCY_CONTACT = "emergency_contact"
EMERGENCY_CONTACT_FIELDS = ("name", "relationship", "phone", "alternate_phone", "email")


def emergency_contact_record_view(
    *, actor: User, client_id: UUID, ip_address: str | None = None
) -> EmergencyContact | None:
    """Read the client's emergency contact (staff, or an assigned therapist), or ``None``
    when none is recorded, and audit the read. A client without a contact yet is still a
    read of their record: the entry then names the client as the record."""
    client, contact = emergency_contact_get(actor=actor, client_id=client_id)
    audit_record_view(
        actor=actor,
        targets=[AuditTarget(EMERGENCY_CONTACT, contact.pk if contact else client.pk, client.pk)],
        ip_address=ip_address,
    )
    return contact


def client_record_write(
    *,
    model: type[models.Model],
    client: Client,
    actor: User,
    fields: Sequence[str],
    data: Mapping[str, object],
    record_type: str,
    ip_address: str | None = None,
    stamps: Mapping[str, object] | None = None,
) -> models.Model:
    """Write the given ``fields`` of the client's single ``model`` record (one-to-one with
    the client), creating it on the first write; fields not given keep their value. The
    write is audited with the names of the fields that changed.

    The row is read under a lock, so concurrent writes apply one after the other; two
    concurrent first writes cannot create two records (the one-to-one is unique in the
    database): the loser applies its write on top of the winner's row. ``stamps`` are set
    whenever something changed (e.g. who wrote it)."""
    stamps = dict(stamps or {})
    while True:
        record = model.objects.select_for_update().filter(client=client).first()
        created = record is None
        if created:
            record = model(client=client)
        # Set here, saved below: a first write inserts, and the stamps go with any change.
        _, changed = model_update(instance=record, fields=fields, data=data, save=False)
        if created or changed:
            for name, value in stamps.items():
                setattr(record, name, value)
            # The client was resolved by the caller; the one-to-one is enforced by the database.
            record.full_clean(exclude=["client", *stamps], validate_unique=False)
            if not created:
                record.save(update_fields=[*changed, *stamps, "updated_at"])
            else:
                try:
                    with transaction.atomic():
                        record.save(force_insert=True)
                except IntegrityError:
                    continue  # a concurrent first write won: apply this one on top of it
        audit_log(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            targets=[AuditTarget(record_type, record.pk, client.pk, changed)],
            ip_address=ip_address,
        )
        return record


@transaction.atomic
def emergency_contact_update(
    *, actor: User, client_id: UUID, data: Mapping[str, object], ip_address: str | None = None
) -> EmergencyContact:
    """Write the client's one emergency contact (``client_record_write``): staff (front
    desk) and the client's assigned therapists may. Phone numbers arrive parsed (E.164 on
    save)."""
    return client_record_write(
        model=EmergencyContact,
        client=client_get(actor=actor, client_id=client_id),
        actor=actor,
        fields=EMERGENCY_CONTACT_FIELDS,
        data=data,
        record_type=EMERGENCY_CONTACT,
        ip_address=ip_address,
    )
