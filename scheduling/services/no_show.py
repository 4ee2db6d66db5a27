"""Recording a missed appointment: the no-show, its fee, the audit entry and the email."""

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from practice.errors import ConflictError, ValidationFailed
from practice.i18n import client_language
from practice.models import AuditEvent, User
from practice.services.audit import AuditTarget, audit_log
from scheduling.errors import NoShowAlreadyAppliedError, SchedulingError
from scheduling.models import Appointment, NoShowPolicy, NoShowRecord, Notification
from scheduling.models.no_show import DEFAULT_EMAIL_BODY, DEFAULT_EMAIL_SUBJECT, fill_placeholders
from scheduling.selectors.appointments import appointment_get
from scheduling.selectors.no_show import (
    no_show_policy_active,
    no_show_record_for_appointment,
)
from scheduling.services.appointments import appointment_set_status, appointment_status_allows
from scheduling.services.notifications import notification_queue_email
from scheduling.services.therapist_notices import Kind, appointment_notify_therapist


def _may_become_no_show(status: str) -> bool:
    # The appointment state machine decides; an appointment already set to no-show
    # without a record (through the admin) may still get its record.
    return status == Appointment.Status.NO_SHOW or appointment_status_allows(
        status=status, to_status=Appointment.Status.NO_SHOW
    )


#: Set from rows read in the same transaction, so not looked up again by ``full_clean``.
RELATED_FIELDS = ["id", "appointment", "practice", "client", "policy", "applied_by"]


def _fee_for(*, apply_fee: bool, fee_amount: Decimal | None, policy: NoShowPolicy | None) -> Decimal | None:
    if not apply_fee:
        return None
    if fee_amount is None:
        if policy is None:
            raise ValidationFailed.for_field(
                "fee_amount", gettext("A fee amount is required: the practice has no active no-show policy.")
            )
        return policy.default_fee
    if policy is not None and fee_amount > policy.maximum_fee:
        raise ValidationFailed.for_field(
            "fee_amount",
            gettext("Ensure this value is less than or equal to %(maximum_fee)s.")
            % {"maximum_fee": policy.maximum_fee},
        )
    return fee_amount


def no_show_email_render(*, record: NoShowRecord, policy: NoShowPolicy | None) -> tuple[str, str, str]:
    """Subject, text and HTML of the client's no-show email: the policy's text (or the
    default text) with its placeholders filled, inside ``templates/email/no_show.*``.
    Times are shown in the practice's time zone."""
    appointment = record.appointment
    practice = appointment.practice
    # In the client's language (else the practice's), whoever records the no-show.
    with translation.override(client_language(appointment.client, practice)), timezone.override(practice.tzinfo):
        return _no_show_email(record=record, policy=policy, appointment=appointment, practice=practice)


def _no_show_email(*, record, policy, appointment, practice) -> tuple[str, str, str]:
    starts_at = timezone.localtime(appointment.starts_at, practice.tzinfo)
    fee = formats.number_format(record.fee_amount if record.fee_amount is not None else 0, 2)  # 12.50, 12,50
    values = {
        "client_name": appointment.client.full_name,
        "appointment_time": formats.date_format(starts_at, "l j F Y, H:i T"),
        "fee": fee,
        "currency": practice.currency,
        "practice_name": practice.name,
    }
    # The default texts are translated; a practice's own text is sent as written.
    subject = fill_placeholders(_policy_text(policy.email_subject if policy else None, DEFAULT_EMAIL_SUBJECT), values)
    # A subject is one line of bounded length, whatever the names put into it.
    subject = " ".join(subject.split())[:255]
    context = {
        **values,
        "subject": subject,
        "body": fill_placeholders(_policy_text(policy.email_body if policy else None, DEFAULT_EMAIL_BODY), values),
        "fee_amount": fee if record.fee_amount else None,  # a zero fee is not mentioned
    }
    text = render_to_string("email/no_show.txt", context)
    html = render_to_string("email/no_show.html", context)
    return subject, text, html


def _policy_text(text: str | None, default: str) -> str:
    return gettext(default) if text is None or text == default else text


@transaction.atomic
def appointment_mark_no_show(
    *,
    actor: User,
    appointment_id: UUID,
    reason: str,
    apply_fee: bool = False,
    fee_amount: Decimal | None = None,
    notify_client: bool | None = None,
    ip_address: str | None = None,
) -> NoShowRecord:
    """Record that the client missed the appointment.

    Rules: only the appointment's therapist or practice staff (others: 404); once per
    appointment (409 ``no_show_already_applied`` with the existing record); only after the
    start plus the policy's grace minutes (409 ``no_show_too_early``) and not for a
    cancelled, completed or in-progress appointment (409 ``no_show_not_allowed``). The
    fee is ``fee_amount`` or the policy's default, never above the policy's maximum (400);
    without an active policy a fee needs an amount (400). ``notify_client`` defaults to
    the policy's setting. The appointment row is locked, and the record's uniqueness per
    appointment holds under any concurrency. The appointment update, the record, its
    audit entry and the outbox row commit together; the email goes out after commit."""
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    existing = no_show_record_for_appointment(appointment=appointment)
    if existing is not None:
        raise NoShowAlreadyAppliedError(existing)
    if not _may_become_no_show(appointment.status):
        raise ConflictError(
            SchedulingError.NO_SHOW_NOT_ALLOWED,
            gettext("A %(status)s appointment cannot be marked as a no-show.")
            % {"status": appointment.get_status_display().lower()},
        )
    policy = no_show_policy_active(practice=appointment.practice)
    now = timezone.now()
    grace = timedelta(minutes=policy.grace_minutes if policy else 0)
    if now < appointment.starts_at + grace:
        raise ConflictError(
            SchedulingError.NO_SHOW_TOO_EARLY,
            gettext("A no-show can be recorded from %(minutes)s minute(s) after the start.")
            % {"minutes": format(grace.total_seconds() // 60, ".0f")},
        )
    fee = _fee_for(apply_fee=apply_fee, fee_amount=fee_amount, policy=policy)
    if notify_client is None:
        notify_client = policy.notify_by_default if policy else False
    client = appointment.client
    if notify_client and not client.email:
        raise ValidationFailed.for_field("notify_client", gettext("The client has no email address to notify."))

    record = NoShowRecord(
        appointment=appointment,
        practice=appointment.practice,
        client=client,
        policy=policy,
        reason=reason,
        applied_by=actor,
        applied_at=now,
        fee_amount=fee,
        currency=appointment.practice.currency if fee is not None else "",
    )
    # Related rows were just read from the database; uniqueness and constraints are the
    # database's to enforce (the one-record-per-appointment rule must hold under concurrency).
    record.full_clean(exclude=RELATED_FIELDS, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        # Only reachable if the row lock was bypassed; the unique constraint still holds.
        existing = no_show_record_for_appointment(appointment=appointment)
        if existing is None:
            raise
        raise NoShowAlreadyAppliedError(existing) from None

    if appointment.status != Appointment.Status.NO_SHOW:
        appointment_set_status(appointment=appointment, to_status=Appointment.Status.NO_SHOW)
    appointment_notify_therapist(actor=actor, appointment=appointment, kind=Kind.APPOINTMENT_NO_SHOW)
    audit_log(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[
            AuditTarget(
                record_type="no_show_record",
                record_id=record.pk,
                client_id=client.pk,
                changed_fields=["reason", "fee_amount", "currency", "appointment.status"],
            )
        ],
        ip_address=ip_address,
        practice=appointment.practice,
    )
    record.notification_status = None
    if notify_client:
        subject, text, html = no_show_email_render(record=record, policy=policy)
        notification = notification_queue_email(
            practice=appointment.practice,
            client=client,
            kind=Notification.Kind.NO_SHOW,
            to_address=client.email,
            subject=subject,
            text_body=text,
            html_body=html,
            no_show_record=record,
        )
        record.notification_status = notification.status
    return record
