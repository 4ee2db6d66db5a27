import factory
import pyotp
from django.utils import timezone
from factory.django import DjangoModelFactory

from practice.models import (
    Client,
    EmergencyContact,
    Message,
    Practice,
    Therapist,
    TwoFactorDevice,
    User,
    UserNotification,
)


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n}")
    timezone = "Europe/Amsterdam"
    currency = "EUR"
    country = "NL"
    # Tests read messages in English unless they ask for Dutch (the model's default is nl).
    default_language = "en"


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


class TwoFactorDeviceFactory(DjangoModelFactory):
    """An enabled authenticator; the plain secret is ``device.secret`` (for
    ``pyotp.TOTP(device.secret).now()``)."""

    class Meta:
        model = TwoFactorDevice

    user = factory.SubFactory(UserFactory)
    secret = factory.LazyFunction(pyotp.random_base32)
    enabled = True
    confirmed_at = factory.LazyFunction(timezone.now)


class TherapistFactory(UserFactory):
    """A therapist past two-factor setup, as every therapist using the API is. With
    ``two_factor=False``: one who has not set it up yet (and reaches only the two-factor
    endpoints and ``/auth/me``)."""

    class Params:
        two_factor = True

    role = User.Role.THERAPIST
    profile = factory.RelatedFactory("practice.tests.factories.TherapistProfileFactory", factory_related_name="user")
    two_factor_device = factory.Maybe(
        "two_factor",
        yes_declaration=factory.RelatedFactory(TwoFactorDeviceFactory, factory_related_name="user"),
        no_declaration=None,
    )


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
