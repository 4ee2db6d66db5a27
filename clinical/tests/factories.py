from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clinical.models import MedicalHistory, MoodReading, Session, SessionNote, SessionTemplate, TherapyGoal
from practice.tests.factories import ClientFactory, PracticeFactory
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


class SessionNoteFactory(DjangoModelFactory):
    """A note by the client's first assigned therapist."""

    class Meta:
        model = SessionNote

    client = factory.SubFactory(ClientFactory)
    practice = factory.SelfAttribute("client.practice")
    therapist = factory.LazyAttribute(lambda o: o.client.therapists.first())
    session_date = factory.LazyFunction(timezone.localdate)
    session_type = SessionNote.SessionType.REGULAR
    duration = 50
    mood_before = 2
    mood_after = 4
    key_points = factory.LazyFunction(lambda: ["Talked about sleep"])
    interventions = factory.LazyFunction(lambda: ["Psychoeducation"])
    homework = factory.LazyFunction(lambda: ["Sleep diary"])
    progress_notes = factory.Sequence(lambda n: f"Progress {n}")
    private_notes = "Only for me"
    tags = factory.LazyFunction(lambda: ["sleep"])
