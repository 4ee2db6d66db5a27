import factory
from factory.django import DjangoModelFactory

from practice.models import Client, EmergencyContact, Message, Practice, Therapist, User, UserNotification


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n}")
    timezone = "Europe/Amsterdam"
    currency = "EUR"
    country = "NL"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    practice = factory.SubFactory(PracticeFactory)
    role = User.Role.THERAPIST
    password = factory.django.Password("correct-horse-battery")


class TherapistFactory(UserFactory):
    role = User.Role.THERAPIST
    profile = factory.RelatedFactory("practice.tests.factories.TherapistProfileFactory", factory_related_name="user")


class TherapistProfileFactory(DjangoModelFactory):
    class Meta:
        model = Therapist

    license_number = factory.Sequence(lambda n: f"LIC-{n:05d}")


class StaffFactory(UserFactory):
    role = User.Role.STAFF
    is_staff = True


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client
        skip_postgeneration_save = True

    practice = factory.SubFactory(PracticeFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    phone = factory.Sequence(lambda n: f"+31612{n % 1_000_000:06d}")
    profile_photo_url = factory.Sequence(lambda n: f"https://images.example.com/{n}.jpg")
    status = Client.Status.ACTIVE

    @factory.post_generation
    def therapists(self, create, extracted, **kwargs):
        if create and extracted:
            self.therapists.set(extracted)


class EmergencyContactFactory(DjangoModelFactory):
    class Meta:
        model = EmergencyContact

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    relationship = "partner"
    phone = factory.Sequence(lambda n: f"+31623{n % 1_000_000:06d}")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")


class UserNotificationFactory(DjangoModelFactory):
    class Meta:
        model = UserNotification

    recipient = factory.SubFactory(TherapistFactory)
    practice = factory.SelfAttribute("recipient.practice")
    kind = UserNotification.Kind.APPOINTMENT_BOOKED
    title = "New appointment"
    message = factory.Sequence(lambda n: f"Sam booked an appointment ({n}).")


class MessageFactory(DjangoModelFactory):
    """A message; pass ``sender`` and ``recipient`` of one practice."""

    class Meta:
        model = Message

    sender = factory.SubFactory(StaffFactory)
    recipient = factory.SubFactory(TherapistFactory, practice=factory.SelfAttribute("..sender.practice"))
    practice = factory.SelfAttribute("sender.practice")
    subject = factory.Sequence(lambda n: f"Subject {n}")
    content = factory.Sequence(lambda n: f"Message body {n}")
