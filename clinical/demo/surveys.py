"""Demo surveys: PHQ-9 and GAD-7 histories that improve over a course of sessions for a
few clients of therapist1@demo.example (entered during their sessions; one early PHQ-9
flags item 9 for follow-up), two surveys of that therapist's own with assignments and a
response each, and open PHQ-9 assignments. Every write goes through the survey services,
so scores, bands and audit entries are the server's own."""

from datetime import timedelta

from clinical import scoring
from clinical.models import Session, Survey, SurveyAssignment, SurveyResponse
from clinical.services import surveys as services
from practice.demo.core import DemoContext, demo_practices

HISTORY_CLIENTS = 4
HISTORY_LENGTH = 6

CHECK_IN = {
    "title": "Weekly check-in",
    "description": "A short look back at the week.",
    "type": Survey.Type.ASSESSMENT,
    "questions": [
        {"id": "q1", "text": "How would you rate your mood this week?", "type": "scale",
         "scale": {"min": 1, "max": 10}, "scale_labels": {"min": "Very low", "max": "Very good"}},
        {"id": "q2", "text": "What did you notice most this week?", "type": "multipleChoice",
         "options": ["Worry", "Low mood", "Poor sleep", "Irritability", "None of these"]},
        {"id": "q3", "text": "Did you practise your homework exercise?", "type": "yesNo"},
        {"id": "q4", "text": "Anything you want to bring to the next session?", "type": "text", "required": False},
    ],
}  # fmt: skip
FEEDBACK = {
    "title": "Session feedback",
    "description": "How the sessions are working for you.",
    "type": Survey.Type.FEEDBACK,
    "is_practice_wide": True,
    "questions": [
        {"id": "q1", "text": "How helpful was today's session?", "type": "scale",
         "scale": {"min": 1, "max": 5}, "scale_labels": {"min": "Not at all", "max": "Very"}},
        {"id": "q2", "text": "Did you feel heard?", "type": "yesNo"},
        {"id": "q3", "text": "What could we do differently?", "type": "text", "required": False},
    ],
}  # fmt: skip


def reset() -> None:
    """Remove the demo practices' responses, assignments and surveys (the standard ones
    too: the practices go next, and get new ones when they are built again)."""
    practices = list(demo_practices())
    SurveyResponse.objects.filter(practice__in=practices).delete()
    SurveyAssignment.objects.filter(practice__in=practices).delete()
    Survey.objects.filter(practice__in=practices).delete()


def _answers(ctx: DemoContext, spec: scoring.InstrumentDefinition, total: int, flag: bool) -> list[dict]:
    """Item answers (0-3) adding up to ``total``; the follow-up item is 1 when ``flag``,
    else 0."""
    values = dict.fromkeys(spec.item_ids, 0)
    follow_up = {spec.item_id(n) for n in spec.follow_up_items}
    if flag:
        values[spec.item_id(spec.follow_up_items[0])] = 1
    free = [item for item in spec.item_ids if item not in follow_up]
    remaining = total - sum(values.values())
    while remaining > 0:
        item = ctx.rng.choice([item for item in free if values[item] < scoring.ANSWER_MAX])
        values[item] += 1
        remaining -= 1
    return [{"question_id": item, "value": value} for item, value in values.items()]


def _trajectory(ctx: DemoContext, start: int, length: int) -> list[int]:
    """Scores that fall from ``start`` by 1-4 points a time, never below 2."""
    scores = [start]
    for _ in range(length - 1):
        scores.append(max(2, scores[-1] - ctx.rng.randint(1, 4)))
    return scores


def seed(ctx: DemoContext) -> None:
    therapist = ctx.therapists[0]
    standard = {s.instrument: s for s in Survey.objects.filter(practice=ctx.practice, is_standard=True)}
    sessions_of: dict = {}
    for session in Session.objects.filter(therapist=therapist, status=Session.Status.COMPLETED).order_by(
        "started_at", "id"
    ):
        sessions_of.setdefault(session.client_id, []).append(session)
    own_clients = [c for c in ctx.clients if c.status == c.Status.ACTIVE and therapist in c.therapists.all()]
    history_clients = [c for c in own_clients if len(sessions_of.get(c.pk, [])) >= 3][:HISTORY_CLIENTS]

    responses = 0
    for index, client in enumerate(history_clients):
        sessions = sessions_of[client.pk][-HISTORY_LENGTH:]
        for spec, start in ((scoring.PHQ9, ctx.rng.randint(14, 21)), (scoring.GAD7, ctx.rng.randint(11, 17))):
            for number, (session, total) in enumerate(
                zip(sessions, _trajectory(ctx, start, len(sessions)), strict=True)
            ):
                flag = spec is scoring.PHQ9 and index == 0 and number == 0
                services.survey_response_create(
                    actor=therapist,
                    survey_id=standard[spec.code].pk,
                    client_id=client.pk,
                    session_id=session.pk,
                    answers=_answers(ctx, spec, total, flag),
                    completion_time=ctx.rng.randint(3, 6),
                    submitted_at=session.started_at + timedelta(minutes=10),
                )
                responses += 1

    check_in = services.survey_create(actor=therapist, **CHECK_IN)
    feedback = services.survey_create(actor=therapist, **FEEDBACK)
    due = ctx.today + timedelta(days=7)
    others = [c for c in own_clients if c not in history_clients]
    assignments = services.survey_assign(
        actor=therapist, survey_id=check_in.pk, client_ids=[c.pk for c in own_clients[:3]], due_date=due
    )
    assignments += services.survey_assign(
        actor=therapist,
        survey_id=feedback.pk,
        client_ids=[c.pk for c in own_clients[1:3]],
        due_date=due,
        is_recurring=True,
        recurrence_pattern=SurveyAssignment.Recurrence.MONTHLY,
    )
    assignments += services.survey_assign(
        actor=therapist, survey_id=standard[scoring.PHQ9.code].pk, client_ids=[c.pk for c in others[:2]], due_date=due
    )
    services.survey_response_create(
        actor=therapist,
        survey_id=check_in.pk,
        client_id=own_clients[0].pk,
        answers=[
            {"question_id": "q1", "value": 6},
            {"question_id": "q2", "value": "Poor sleep"},
            {"question_id": "q3", "value": True},
            {"question_id": "q4", "value": "I want to talk about my sleep."},
        ],
        completion_time=4,
        submitted_at=ctx.now - timedelta(days=1),
    )
    services.survey_response_create(
        actor=therapist,
        survey_id=feedback.pk,
        client_id=own_clients[1].pk,
        answers=[{"question_id": "q1", "value": 4}, {"question_id": "q2", "value": True}],
        completion_time=2,
        submitted_at=ctx.now - timedelta(days=2),
    )
    ctx.log.append(
        f"surveys: PHQ-9/GAD-7 histories for {len(history_clients)} clients ({responses} scored responses), "
        f"2 own surveys, {len(assignments)} assignments"
    )
