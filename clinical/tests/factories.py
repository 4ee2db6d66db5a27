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
    SessionNote,
    SessionTemplate,
    Survey,
    SurveyAssignment,
    SurveyResponse,
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


def custom_questions() -> list[dict]:
    """One question of each type, as stored."""
    return [
        {"id": "mood", "text": "How was your week?", "type": "scale", "required": True, "options": None,
         "scale": {"min": 1, "max": 10}, "scale_labels": {"min": "Bad", "max": "Great"}},
        {"id": "symptoms", "text": "Which did you notice?", "type": "multipleChoice", "required": True,
         "options": ["Anxiety", "Low mood", "None"], "scale": None, "scale_labels": None},
        {"id": "slept", "text": "Did you sleep well?", "type": "yesNo", "required": False, "options": None,
         "scale": None, "scale_labels": None},
        {"id": "notes", "text": "Anything else?", "type": "text", "required": False, "options": None,
         "scale": None, "scale_labels": None},
    ]  # fmt: skip


class SurveyFactory(DjangoModelFactory):
    """A therapist's own survey with one question of each type."""

    class Meta:
        model = Survey

    practice = factory.SubFactory(PracticeFactory)
    created_by = factory.SubFactory(
        "practice.tests.factories.TherapistFactory", practice=factory.SelfAttribute("..practice")
    )
    title = factory.Sequence(lambda n: f"Check-in {n}")
    description = "Weekly check-in"
    questions = factory.LazyFunction(custom_questions)


class SurveyAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = SurveyAssignment

    survey = factory.SubFactory(SurveyFactory)
    practice = factory.SelfAttribute("survey.practice")
    client = factory.SubFactory(ClientFactory, practice=factory.SelfAttribute("..practice"))
    assigned_by = factory.LazyAttribute(lambda o: o.client.therapists.first())


class SurveyResponseFactory(DjangoModelFactory):
    """A response to a custom survey; pass ``survey`` (a standard one) with ``answers``,
    ``instrument``, ``total_score`` and ``severity`` for a scored one."""

    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    practice = factory.SelfAttribute("survey.practice")
    client = factory.SubFactory(ClientFactory, practice=factory.SelfAttribute("..practice"))
    entered_by = factory.LazyAttribute(lambda o: o.client.therapists.first())
    submitted_at = factory.LazyFunction(timezone.now)
    answers = factory.LazyFunction(
        lambda: [{"question_id": "mood", "value": 6}, {"question_id": "symptoms", "value": "Anxiety"}]
    )


def phq9_answers(*values: int) -> list[dict]:
    return [{"question_id": f"phq9_{n}", "value": v} for n, v in enumerate(values, start=1)]


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
