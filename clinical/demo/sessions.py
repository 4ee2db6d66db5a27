"""Demo clinical data: session templates (practice-wide and per therapist) and a session
for every completed demo appointment, with moods, a mood timeline, themes, techniques and
homework; plus the session running today. Clients keep recurring themes, so session
summaries have something to find."""

from datetime import timedelta

from clinical.models import MoodReading, Session, SessionTemplate
from practice.demo.core import DemoContext, demo_practices
from scheduling.models import Appointment

PRACTICE_TEMPLATES = [
    (
        "Intake assessment",
        "intake",
        60,
        ["Understand the reason for referral", "Agree on goals"],
        ["Motivational interviewing"],
    ),
    ("CBT session", "individual", 50, ["Challenge unhelpful thoughts", "Plan activities"], ["CBT", "Thought records"]),
    ("Couples session", "relation", 60, ["Improve communication"], ["Emotionally focused therapy", "Active listening"]),
    ("Crisis check-in", "crisis", 30, ["Ensure safety", "Make a safety plan"], ["Safety planning", "Grounding"]),
]
OWN_TEMPLATES = [
    ("EMDR protocol", "EMDR", 60, ["Process a target memory"], ["EMDR", "Resource installation"]),
    ("ACT session", "individual", 50, ["Clarify values"], ["ACT", "Mindfulness"]),
    ("Grief work", "individual", 50, ["Make room for the loss"], ["Narrative therapy", "Letter writing"]),
]
THEMES = [
    "work stress",
    "anxiety",
    "low mood",
    "sleep problems",
    "relationship conflict",
    "grief",
    "self-esteem",
    "panic attacks",
    "boundaries",
    "family tension",
]
TECHNIQUES = ["CBT", "Mindfulness", "Breathing exercises", "Grounding", "Behavioural activation", "Thought records"]
INTERVENTIONS = ["Psychoeducation", "Socratic questioning", "Role play", "Exposure exercise", "Validation"]
HOMEWORK = [
    "Keep a sleep diary",
    "Three-column thought record, twice this week",
    "Ten minutes of breathing practice daily",
    "Plan one pleasant activity each day",
    "Write down three things that went well each evening",
    "",
]


def _templates(ctx: DemoContext) -> list[SessionTemplate]:
    templates = []
    for practice in ctx.practices:
        for name, kind, minutes, goals, techniques in PRACTICE_TEMPLATES:
            templates.append(
                SessionTemplate(
                    practice=practice,
                    name=name,
                    session_type=kind,
                    duration_minutes=minutes,
                    default_goals=goals,
                    common_techniques=techniques,
                )
            )
    for index, therapist in enumerate(ctx.all_therapists):
        name, kind, minutes, goals, techniques = OWN_TEMPLATES[index % len(OWN_TEMPLATES)]
        templates.append(
            SessionTemplate(
                practice_id=therapist.practice_id,
                therapist=therapist,
                name=f"{name} ({therapist.first_name})",
                session_type=kind,
                duration_minutes=minutes,
                default_goals=goals,
                common_techniques=techniques,
            )
        )
    return SessionTemplate.objects.bulk_create(templates)


def _session(ctx: DemoContext, appointment: Appointment, themes: list[str], template) -> Session:
    started_at = appointment.starts_at + timedelta(minutes=ctx.rng.randint(0, 5))
    mood_start = ctx.rng.randint(2, 6)
    concerns = ctx.rng.sample(themes, min(2, len(themes)))
    return Session(
        practice_id=appointment.practice_id,
        appointment=appointment,
        therapist_id=appointment.therapist_id,
        client_id=appointment.client_id,
        template=template,
        status=Session.Status.COMPLETED,
        started_at=started_at,
        ended_at=started_at + timedelta(minutes=ctx.rng.randint(40, 55)),
        mood_start=mood_start,
        mood_current=mood_start,
        mood_end=max(1, min(10, mood_start + ctx.rng.randint(-1, 3))),
        session_goals=[f"Work on {concerns[0]}", *(template.default_goals if template else [])],
        client_concerns=concerns,
        progress_notes=f"Client talked about {' and '.join(concerns)}. Engaged well; explored triggers.",
        goals_discussed=f"Progress on {concerns[0]}; next steps agreed.",
        techniques_used=ctx.rng.sample(TECHNIQUES, 2),
        interventions_applied=ctx.rng.sample(INTERVENTIONS, 2),
        homework_assigned=ctx.rng.choice(HOMEWORK),
        created_at=started_at,
    )


def _readings(ctx: DemoContext, session: Session) -> list[MoodReading]:
    """A short timeline from the start mood towards the end mood."""
    end = session.ended_at or ctx.now
    count = ctx.rng.randint(2, 3)
    target = session.mood_end or session.mood_start
    readings = []
    for step in range(1, count + 1):
        mood = round(session.mood_start + (target - session.mood_start) * step / count)
        readings.append(
            MoodReading(
                session=session,
                mood=mood,
                recorded_at=session.started_at + (end - session.started_at) * step / (count + 1),
            )
        )
    session.mood_current = readings[-1].mood
    return readings


def seed(ctx: DemoContext) -> None:
    templates = _templates(ctx)
    shared = {t.practice_id: [] for t in templates}
    for template in templates:
        if template.therapist_id is None:
            shared[template.practice_id].append(template)
    client_themes = {client.pk: ctx.rng.sample(THEMES, 3) for client in [*ctx.clients, *ctx.other_clients]}
    appointments = (
        Appointment.objects.filter(
            practice__in=ctx.practices, status__in=[Appointment.Status.COMPLETED, Appointment.Status.IN_PROGRESS]
        )
        .select_related("therapist")
        .order_by("starts_at", "therapist__email")
    )
    sessions, readings = [], []
    for appointment in appointments:
        template = ctx.rng.choice([None, None, *shared[appointment.practice_id]])
        session = _session(ctx, appointment, client_themes[appointment.client_id], template)
        if appointment.status == Appointment.Status.IN_PROGRESS:
            session.status = Session.Status.IN_PROGRESS
            session.started_at = appointment.starts_at
            session.ended_at = session.mood_end = None
            session.homework_assigned = ""
        readings += _readings(ctx, session)
        sessions.append(session)
    Session.objects.bulk_create(sessions, batch_size=500)
    MoodReading.objects.bulk_create(readings, batch_size=1000)
    ctx.log.append(
        f"clinical: {len(templates)} session templates, {len(sessions)} sessions, {len(readings)} mood readings"
    )


def reset() -> None:
    """Remove the demo practices' sessions (with their mood readings) and templates."""
    practices = demo_practices()
    MoodReading.objects.filter(session__practice__in=practices).delete()
    Session.objects.filter(practice__in=practices).delete()
    SessionTemplate.objects.filter(practice__in=practices).delete()
