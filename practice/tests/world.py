"""A small, complete practice for tests that walk every route: the people of two practices
and, for the owner therapist, one of each record a path can point at."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clinical.models import Challenge, Resource, Session, SessionNote, Survey, SurveyResponse, TherapyGoal
from clinical.tests.factories import (
    ChallengeFactory,
    MedicalHistoryFactory,
    ResourceFactory,
    SessionFactory,
    SessionNoteFactory,
    SessionTemplateFactory,
    SurveyFactory,
    SurveyResponseFactory,
    TherapyGoalFactory,
    phq9_answers,
)
from practice.models import Client, Message, Practice, User, UserNotification
from practice.tests.factories import (
    ClientFactory,
    EmergencyContactFactory,
    MessageFactory,
    PracticeFactory,
    StaffFactory,
    TherapistFactory,
    UserNotificationFactory,
)
from scheduling.models import Appointment, NoShowPolicy
from scheduling.tests.factories import AppointmentFactory, SessionRateFactory


@dataclass
class World:
    practice: Practice
    other_practice: Practice
    owner: User
    colleague: User
    staff: User
    outsider: User
    client: Client
    colleague_client: Client
    outsider_client: Client
    upcoming: Appointment
    due: Appointment
    in_progress: Appointment
    completed: Appointment
    active_session: Session
    completed_session: Session
    goal: TherapyGoal
    note: SessionNote
    survey: Survey
    phq9: Survey
    survey_response: SurveyResponse
    phq9_response: SurveyResponse
    challenge: Challenge
    resource: Resource
    notification: UserNotification
    message: Message

    def path_ids(self) -> dict[str, list[str]]:
        """The owner's real ids, by the path segment that names their kind
        (``/api/clients/{id}`` -> ``clients``)."""
        session_ids = [str(self.active_session.pk), str(self.completed_session.pk)]
        return {
            "clients": [str(self.client.pk)],
            "therapists": [str(self.owner.pk)],
            "appointments": [str(a.pk) for a in (self.upcoming, self.due, self.in_progress, self.completed)],
            "sessions": session_ids,
            "therapy-goals": [str(self.goal.pk)],
            "session-notes": [str(self.note.pk)],
            "session-templates": [str(pk) for pk in self.practice.session_templates.values_list("pk", flat=True)],
            "surveys": [str(self.survey.pk), str(self.phq9.pk)],
            "challenges": [str(self.challenge.pk)],
            "resources": [str(self.resource.pk)],
            "notifications": [str(self.notification.pk)],
            "messages": [str(self.message.pk)],
            "conversation": [str(self.owner.pk), str(self.staff.pk)],
        }


def build_world() -> World:
    practice = PracticeFactory(name="Main Street Practice", timezone="Europe/Amsterdam", currency="EUR")
    other_practice = PracticeFactory(name="Elsewhere", timezone="America/New_York", currency="USD", country="US")
    owner = TherapistFactory(practice=practice, email="owner@main.example")
    colleague = TherapistFactory(practice=practice, email="colleague@main.example")
    staff = StaffFactory(practice=practice, email="staff@main.example")
    outsider = TherapistFactory(practice=other_practice, email="therapist@elsewhere.example")

    client = ClientFactory(practice=practice, therapists=[owner])
    colleague_client = ClientFactory(practice=practice, therapists=[colleague])
    outsider_client = ClientFactory(practice=other_practice, therapists=[outsider])
    EmergencyContactFactory(client=client)
    MedicalHistoryFactory(client=client)
    goal = TherapyGoalFactory(client=client, therapist=owner)
    SessionTemplateFactory(practice=practice)
    SessionTemplateFactory(practice=practice, therapist=owner)

    SessionRateFactory(practice=practice)
    NoShowPolicy.objects.create(practice=practice, default_fee=Decimal("50.00"), maximum_fee=Decimal("120.00"))
    now = timezone.now().replace(microsecond=0)

    def appointment(starts_at, status, **kwargs) -> Appointment:
        return AppointmentFactory(
            therapist=owner,
            client=client,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
            status=status,
            **kwargs,
        )

    upcoming = appointment(now + timedelta(days=2), Appointment.Status.SCHEDULED)
    due = appointment(now - timedelta(hours=3), Appointment.Status.SCHEDULED)
    in_progress = appointment(now - timedelta(minutes=10), Appointment.Status.IN_PROGRESS)
    completed = appointment(now - timedelta(days=7), Appointment.Status.COMPLETED, focus_areas=["sleep"])
    active_session = SessionFactory(
        appointment=in_progress, status=Session.Status.IN_PROGRESS, started_at=in_progress.starts_at, ended_at=None
    )
    completed_session = SessionFactory(appointment=completed)
    note = SessionNoteFactory(client=client, therapist=owner, session=completed_session, appointment=completed)
    # The colleague's and the other practice's own records, which the owner must never reach.
    AppointmentFactory(therapist=colleague, client=colleague_client, starts_at=now + timedelta(days=3))
    AppointmentFactory(therapist=outsider, client=outsider_client, starts_at=now + timedelta(days=3))

    # The owner's own survey and the practice's PHQ-9 (installed with the practice), each
    # with a response of the owner's client.
    survey = SurveyFactory(practice=practice, created_by=owner)
    phq9 = Survey.objects.get(practice=practice, instrument="phq9")
    survey_response = SurveyResponseFactory(survey=survey, client=client, entered_by=owner)
    phq9_response = SurveyResponseFactory(
        survey=phq9,
        client=client,
        entered_by=owner,
        answers=phq9_answers(2, 2, 2, 2, 2, 2, 2, 2, 0),
        instrument="phq9",
        total_score=16,
        severity="moderately_severe",
    )

    # The owner's personal challenge and resource, their notification, and a message from staff.
    challenge = ChallengeFactory(author=owner)
    resource = ResourceFactory(author=owner)
    notification = UserNotificationFactory(recipient=owner)
    message = MessageFactory(sender=staff, recipient=owner)

    return World(
        practice=practice,
        other_practice=other_practice,
        owner=owner,
        colleague=colleague,
        staff=staff,
        outsider=outsider,
        client=client,
        colleague_client=colleague_client,
        outsider_client=outsider_client,
        upcoming=upcoming,
        due=due,
        in_progress=in_progress,
        completed=completed,
        active_session=active_session,
        completed_session=completed_session,
        goal=goal,
        note=note,
        survey=survey,
        phq9=phq9,
        survey_response=survey_response,
        phq9_response=phq9_response,
        challenge=challenge,
        resource=resource,
        notification=notification,
        message=message,
    )
