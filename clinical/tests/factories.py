from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clinical.models import (
    Challenge,
    ChallengeAssignment,
    MedicalHistory,
    MoodReading,
    Resource,
    ResourceAssignment,
    Session,
    SessionTemplate,
    TherapyGoal,
)
from practice.tests.factories import ClientFactory, PracticeFactory, TherapistFactory
from scheduling.tests.factories import AppointmentFactory


class SessionTemplateFactory(DjangoModelFactory):
    class Meta:
        model = SessionTemplate

    practice = factory.SubFactory(PracticeFactory)
    therapist = None
    name = factory.Sequence(lambda n: f"Template {n}")
    session_type = "individual"
    default_goals = factory.LazyFunction(lambda: ["Reduce anxiety", "Build coping skills"])
    common_techniques = factory.LazyFunction(lambda: ["CBT", "Breathing exercises"])
    duration_minutes = 50


class SessionFactory(DjangoModelFactory):
    """A completed session of a (past, completed) appointment. Use ``status`` and
    ``ended_at=None`` for one in progress."""

    class Meta:
        model = Session

    appointment = factory.SubFactory(
        AppointmentFactory,
        starts_at=factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) - timedelta(days=7)),
        status="completed",
    )
    practice = factory.SelfAttribute("appointment.practice")
    therapist = factory.SelfAttribute("appointment.therapist")
    client = factory.SelfAttribute("appointment.client")
    status = Session.Status.COMPLETED
    started_at = factory.SelfAttribute("appointment.starts_at")
    ended_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(minutes=50))
    mood_start = 4
    mood_current = 6
    mood_end = 6
    session_goals = factory.LazyFunction(lambda: ["Sleep better"])
    client_concerns = factory.LazyFunction(lambda: ["Work stress"])
    techniques_used = factory.LazyFunction(lambda: ["CBT"])
    homework_assigned = "Keep a sleep diary"


class MoodReadingFactory(DjangoModelFactory):
    class Meta:
        model = MoodReading

    session = factory.SubFactory(SessionFactory)
    mood = 5
    recorded_at = factory.LazyFunction(timezone.now)


class MedicalHistoryFactory(DjangoModelFactory):
    class Meta:
        model = MedicalHistory

    client = factory.SubFactory(ClientFactory)
    current_medications = factory.LazyFunction(lambda: ["Sertraline 50mg"])
    allergies = factory.LazyFunction(lambda: ["Penicillin"])
    previous_therapy = True
    previous_therapy_details = "CBT in 2021"
    medical_conditions = factory.LazyFunction(lambda: ["Asthma"])
    hospitalizations = factory.LazyFunction(list)


class TherapyGoalFactory(DjangoModelFactory):
    class Meta:
        model = TherapyGoal

    client = factory.SubFactory(ClientFactory)
    therapist = factory.LazyAttribute(lambda o: o.client.therapists.first())
    goal = factory.Sequence(lambda n: f"Goal {n}")
    status = TherapyGoal.Status.ACTIVE
    progress = 30


class ChallengeFactory(DjangoModelFactory):
    class Meta:
        model = Challenge

    author = factory.SubFactory(TherapistFactory)
    practice = factory.SelfAttribute("author.practice")
    title = factory.Sequence(lambda n: f"Challenge {n}")
    description = "Ten minutes of breathing each morning."
    category = "mindfulness"
    instructions = factory.LazyFunction(lambda: ["Sit comfortably", "Breathe in for four counts"])


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    author = factory.SubFactory(TherapistFactory)
    practice = factory.SelfAttribute("author.practice")
    title = factory.Sequence(lambda n: f"Resource {n}")
    description = "What anxiety is and why it passes."
    category = "anxiety"
    content_url = "https://example.com/anxiety"
    tags = factory.LazyFunction(lambda: ["anxiety"])


class ChallengeAssignmentFactory(DjangoModelFactory):
    """Pass ``challenge`` and ``client``; assigned by the challenge's author."""

    class Meta:
        model = ChallengeAssignment

    challenge = factory.SubFactory(ChallengeFactory)
    client = factory.SubFactory(ClientFactory, practice=factory.SelfAttribute("..challenge.practice"))
    practice = factory.SelfAttribute("challenge.practice")
    therapist = factory.SelfAttribute("challenge.author")
    start_date = factory.LazyFunction(timezone.localdate)


class ResourceAssignmentFactory(DjangoModelFactory):
    """Pass ``resource`` and ``client``; assigned by the resource's author."""

    class Meta:
        model = ResourceAssignment

    resource = factory.SubFactory(ResourceFactory)
    client = factory.SubFactory(ClientFactory, practice=factory.SelfAttribute("..resource.practice"))
    practice = factory.SelfAttribute("resource.practice")
    therapist = factory.SelfAttribute("resource.author")
