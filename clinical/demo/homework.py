"""Demo challenges and resources: a practice-wide library written by the demo therapists,
one personal item each, and assignments to their clients in every status."""

from datetime import timedelta

from clinical.models import AssignmentStatus, Challenge, ChallengeAssignment, Resource, ResourceAssignment
from practice.demo.core import DemoContext, demo_practices

CHALLENGES = [
    # (title, category, difficulty, days, minutes, description, instructions)
    (
        "Two weeks of box breathing",
        "mindfulness",
        "beginner",
        14,
        5,
        "Four counts in, hold, out, hold: twice a day.",
        ["Sit upright", "Breathe in for four counts", "Hold for four, breathe out for four, hold for four"],
    ),
    (
        "Three good things",
        "gratitude",
        "beginner",
        21,
        10,
        "Each evening, write down three things that went well and why.",
        ["Keep a notebook by your bed", "Write three things, however small", "Add one line on why each happened"],
    ),
    (
        "Wind-down routine",
        "sleep",
        "intermediate",
        28,
        30,
        "A fixed 30-minute routine before bed, screens off.",
        ["Set a fixed bedtime", "Screens off 30 minutes before", "Same three calming steps every night"],
    ),
    (
        "Daily walk outside",
        "exercise",
        "beginner",
        30,
        20,
        "Twenty minutes outdoors every day, whatever the weather.",
        ["Pick a time that suits your day", "Walk for at least twenty minutes", "Note your mood before and after"],
    ),
]
RESOURCES = [
    # (title, type, category, url, body)
    (
        "Understanding anxiety",
        "article",
        "anxiety",
        "https://www.thuisarts.nl/angst",
        "What anxiety is and why it passes.",
    ),
    ("Sleep hygiene basics", "document", "self_care", "", "Ten habits that help you fall asleep and stay asleep."),
    (
        "Grounding: 5-4-3-2-1",
        "exercise",
        "coping_skills",
        "",
        "Name five things you see, four you hear, three you feel...",
    ),
    ("Body scan (10 minutes)", "audio", "mindfulness", "https://example.org/audio/body-scan", ""),
]


def reset() -> None:
    """Remove the demo practices' assignments, challenges and resources."""
    practices = list(demo_practices())
    ChallengeAssignment.objects.filter(practice__in=practices).delete()
    ResourceAssignment.objects.filter(practice__in=practices).delete()
    Challenge.objects.filter(practice__in=practices).delete()
    Resource.objects.filter(practice__in=practices).delete()


def _status(ctx: DemoContext, index: int) -> tuple[str, object]:
    status = [AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.COMPLETED][index % 3]
    completed_at = ctx.now - timedelta(days=ctx.rng.randint(1, 10)) if status == AssignmentStatus.COMPLETED else None
    return status, completed_at


def seed(ctx: DemoContext) -> None:
    first, *others = ctx.therapists
    challenges = [
        Challenge(
            practice=ctx.practice,
            author=first,
            title=title,
            category=category,
            difficulty=difficulty,
            duration_days=days,
            duration_minutes=minutes,
            description=description,
            instructions=instructions,
            tips=["Same time every day makes it stick"],
            milestones=[{"title": "Halfway", "target": days // 2, "reward": "Tell someone how it went"}],
            rewards={"completion": "Look back on what changed", "milestones": []},
            is_public=index < 3,  # the last one is the author's own
            created_at=ctx.now - timedelta(days=90 - index),
        )
        for index, (title, category, difficulty, days, minutes, description, instructions) in enumerate(CHALLENGES)
    ]
    resources = [
        Resource(
            practice=ctx.practice,
            author=(first, *others)[index % len(ctx.therapists)],
            title=title,
            type=kind,
            category=category,
            content_url=url,
            content_body=body,
            description=body or title,
            tags=[category],
            is_public=True,
            created_at=ctx.now - timedelta(days=80 - index),
        )
        for index, (title, kind, category, url, body) in enumerate(RESOURCES)
    ]
    Challenge.objects.bulk_create(challenges)
    Resource.objects.bulk_create(resources)

    challenge_assignments, resource_assignments = [], []
    seen = set()  # a client shared by two therapists gets homework from the first only
    for therapist in ctx.therapists:
        clients = [
            c for c in ctx.clients if c.status == "active" and c.pk not in seen and therapist in c.therapists.all()
        ][:6]
        seen.update(c.pk for c in clients)
        usable = [c for c in challenges if c.is_public or c.author_id == therapist.pk]
        for index, client in enumerate(clients):
            start = ctx.today - timedelta(days=ctx.rng.randint(0, 20))
            challenge = usable[index % len(usable)]
            status, completed_at = _status(ctx, index)
            challenge_assignments.append(
                ChallengeAssignment(
                    practice=ctx.practice,
                    challenge=challenge,
                    client=client,
                    therapist=therapist,
                    start_date=start,
                    due_date=start + timedelta(days=challenge.duration_days),
                    status=status,
                    completed_at=completed_at,
                )
            )
            status, completed_at = _status(ctx, index + 1)
            resource_assignments.append(
                ResourceAssignment(
                    practice=ctx.practice,
                    resource=resources[index % len(resources)],
                    client=client,
                    therapist=therapist,
                    due_date=ctx.today + timedelta(days=7),
                    status=status,
                    completed_at=completed_at,
                )
            )
    ChallengeAssignment.objects.bulk_create(challenge_assignments)
    ResourceAssignment.objects.bulk_create(resource_assignments)
    ctx.log.append(
        f"homework: {len(challenges)} challenges, {len(resources)} resources, "
        f"{len(challenge_assignments) + len(resource_assignments)} assignments"
    )
