from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from practice.tests.factories import ClientFactory, PracticeFactory, TherapistFactory
from scheduling.models import Appointment, NoShowPolicy, SessionRate


class AppointmentFactory(DjangoModelFactory):
    """An upcoming 50-minute appointment; pass ``therapist`` and ``client`` of one practice."""

    class Meta:
        model = Appointment

    therapist = factory.SubFactory(TherapistFactory)
    client = factory.SubFactory(ClientFactory, practice=factory.SelfAttribute("..therapist.practice"))
    practice = factory.SelfAttribute("therapist.practice")
    starts_at = factory.Sequence(lambda n: timezone.now().replace(microsecond=0) + timedelta(days=1, hours=n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=50))
    appointment_type = Appointment.Type.INDIVIDUAL
    status = Appointment.Status.SCHEDULED


class SessionRateFactory(DjangoModelFactory):
    class Meta:
        model = SessionRate
        django_get_or_create = ("practice", "appointment_type")

    appointment_type = Appointment.Type.INDIVIDUAL
    amount = Decimal("95.00")
    currency = "EUR"


class NoShowPolicyFactory(DjangoModelFactory):
    class Meta:
        model = NoShowPolicy

    practice = factory.SubFactory(PracticeFactory)
    default_fee = Decimal("50.00")
    maximum_fee = Decimal("100.00")
    grace_minutes = 15
