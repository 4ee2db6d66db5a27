from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from practice.tests.factories import ClientFactory, TherapistFactory
from scheduling.models import Appointment


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
