"""Demo clinical records: medical histories for most clients and therapy goals in every
status (emergency contacts come with the clients, in ``practice.demo``)."""

from datetime import timedelta

from clinical.models import MedicalHistory, TherapyGoal
from practice.demo.core import DemoContext, demo_practices

MEDICATIONS = ["Sertraline 50mg", "Escitalopram 10mg", "Melatonin 3mg", "Propranolol 10mg", "Bupropion 150mg"]
ALLERGIES = ["Penicillin", "Pollen", "Latex", "Peanuts", "Ibuprofen"]
CONDITIONS = ["Asthma", "Migraine", "Hypothyroidism", "Type 2 diabetes", "Chronic back pain"]
HOSPITALIZATIONS = ["2016: appendectomy", "2019: fractured wrist", "2021: pneumonia"]
THERAPY_DETAILS = [
    "Six months of CBT for panic attacks.",
    "Counselling at university, about a year.",
    "EMDR after a traffic accident.",
]
GOALS = [
    "Sleep at least seven hours on weeknights",
    "Use a breathing exercise when anxiety starts",
    "Go to the gym twice a week",
    "Reconnect with one friend a month",
    "Reduce alcohol to weekends only",
    "Speak up in team meetings",
    "Keep a daily mood journal",
    "Return to work part-time",
]


def reset() -> None:
    """Remove the demo practices' histories and goals (before their clients go)."""
    practices = list(demo_practices())
    TherapyGoal.objects.filter(client__practice__in=practices).delete()
    MedicalHistory.objects.filter(client__practice__in=practices).delete()


def _sample(ctx: DemoContext, items: list[str], most: int) -> list[str]:
    return ctx.rng.sample(items, ctx.rng.randint(0, most))


def seed(ctx: DemoContext) -> None:
    histories: list[MedicalHistory] = []
    goals: list[TherapyGoal] = []
    statuses = list(TherapyGoal.Status)
    for index, client in enumerate([*ctx.clients, *ctx.other_clients]):
        therapist = client.therapists.order_by("email").first()
        if index % 5 != 4:  # a few clients have no history yet
            previous_therapy = ctx.rng.random() < 0.4
            histories.append(
                MedicalHistory(
                    client=client,
                    current_medications=_sample(ctx, MEDICATIONS, 2),
                    allergies=_sample(ctx, ALLERGIES, 2),
                    previous_therapy=previous_therapy,
                    previous_therapy_details=ctx.rng.choice(THERAPY_DETAILS) if previous_therapy else "",
                    medical_conditions=_sample(ctx, CONDITIONS, 2),
                    hospitalizations=_sample(ctx, HOSPITALIZATIONS, 1),
                    updated_by=therapist,
                )
            )
        for number, text in enumerate(ctx.rng.sample(GOALS, ctx.rng.randint(1, 4))):
            # Every status occurs: the first goal's status rotates over the clients.
            status = statuses[(index + number) % len(statuses)]
            created_at = ctx.now - timedelta(days=ctx.rng.randint(30, 200))
            goals.append(
                TherapyGoal(
                    client=client,
                    therapist=therapist,
                    goal=text,
                    status=status,
                    progress=100 if status == TherapyGoal.Status.COMPLETED else ctx.rng.randrange(0, 95, 5),
                    created_at=created_at,
                    target_date=ctx.today + timedelta(days=ctx.rng.randint(14, 180)),
                    completed_at=(
                        created_at + timedelta(days=ctx.rng.randint(7, 25))
                        if status == TherapyGoal.Status.COMPLETED
                        else None
                    ),
                )
            )
    MedicalHistory.objects.bulk_create(histories)
    TherapyGoal.objects.bulk_create(goals)
    ctx.log.append(f"clinical records: {len(histories)} medical histories, {len(goals)} therapy goals")
