"""Preparing an appointment with the digest of the client's previous session: the
preparation itself is scheduling's write, the digest clinical's audited read."""

from uuid import UUID

from django.db import transaction

from clinical.models import Session
from clinical.selectors.sessions import session_previous_completed
from clinical.services.sessions import session_record_views
from practice.models import User
from scheduling.models import Appointment
from scheduling.services.appointments import appointment_prepare


@transaction.atomic
def appointment_prepare_with_review(
    *,
    actor: User,
    appointment_id: UUID,
    preparation_notes: str,
    review_previous_session: bool,
    focus_areas: list[str],
    ip_address: str | None = None,
) -> tuple[Appointment, Session | None]:
    """Write the therapist's preparation notes (``appointment_prepare``: the appointment's
    own therapist, an upcoming appointment); with ``review_previous_session`` also return
    the client's previous completed session with this therapist, its read audited."""
    appointment = appointment_prepare(
        actor=actor,
        appointment_id=appointment_id,
        preparation_notes=preparation_notes,
        review_previous_session=review_previous_session,
        focus_areas=focus_areas,
        ip_address=ip_address,
    )
    previous = None
    if review_previous_session:
        previous = session_previous_completed(
            actor=actor, client_id=appointment.client_id, before=appointment.starts_at
        )
        if previous is not None:
            session_record_views(actor=actor, shown=[(previous.pk, previous.client_id)], ip_address=ip_address)
    return appointment, previous
