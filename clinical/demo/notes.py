"""Demo session notes: a note for each demo therapist's recent completed sessions, written
and (for some) edited through the services, so they carry versions and audit entries; one
deleted note shows that deleting keeps the record."""

from clinical.models import Session, SessionNote, SessionNoteVersion
from clinical.services.notes import session_note_create, session_note_delete, session_note_update
from practice.demo.core import DemoContext, demo_practices

NOTES_PER_THERAPIST = 10
SESSION_TYPES = [
    SessionNote.SessionType.REGULAR,
    SessionNote.SessionType.CBT,
    SessionNote.SessionType.REGULAR,
    SessionNote.SessionType.PROGRESS_REVIEW,
    SessionNote.SessionType.EMDR,
]
KEY_POINTS = [
    "Reported better sleep since the last session",
    "Worry about work deadlines came up again",
    "Practised the breathing exercise in session",
    "Named two situations that trigger panic",
    "Reflected on the conversation with their partner",
    "Noticed more energy in the mornings",
]
HOMEWORK = ["Sleep diary", "Thought record twice this week", "Ten minutes of breathing practice daily"]


def reset() -> None:
    practices = list(demo_practices())
    SessionNoteVersion.objects.filter(note__practice__in=practices).delete()
    SessionNote.objects.filter(practice__in=practices).delete()


def seed(ctx: DemoContext) -> None:
    practice_tz = {p.pk: p.tzinfo for p in ctx.practices}
    written = edited = 0
    for therapist in ctx.all_therapists:
        sessions = (
            Session.objects.filter(therapist=therapist, status=Session.Status.COMPLETED)
            .select_related("client")
            .order_by("-started_at")[:NOTES_PER_THERAPIST]
        )
        notes = []
        for index, session in enumerate(sessions):
            if not session.client.therapists.filter(pk=therapist.pk).exists():
                continue
            concerns = session.client_concerns or ["their week"]
            hulpvragen = {
                concern: {"discussed": True, "progress": 20 + 10 * (index % 6), "notes": f"Worked on {concern}."}
                for concern in concerns
            }
            notes.append(
                session_note_create(
                    actor=therapist,
                    client_id=session.client_id,
                    session_date=session.started_at.astimezone(practice_tz[session.practice_id]).date(),
                    session_id=session.pk,
                    data={
                        "session_type": SESSION_TYPES[index % len(SESSION_TYPES)],
                        "duration": session.duration_minutes or 50,
                        "mood_before": 1 + index % 3,
                        "mood_after": 3 + index % 3,
                        "key_points": ctx.rng.sample(KEY_POINTS, 2),
                        "interventions": list(session.interventions_applied or ["Psychoeducation"]),
                        "homework": [ctx.rng.choice(HOMEWORK)],
                        "progress_notes": session.progress_notes or "Engaged well.",
                        "private_notes": "Consider a longer session next time." if index % 3 == 0 else "",
                        "tags": [concern.split()[0] for concern in concerns],
                        "is_important": index % 5 == 0,
                        "hulpvragen_progress": hulpvragen,
                    },
                )
            )
        written += len(notes)
        for note in notes[:2]:  # the two newest were revised after the session
            session_note_update(
                actor=therapist,
                note_id=note.pk,
                changes={"progress_notes": f"{note.progress_notes} Follow-up call agreed.", "is_important": True},
            )
            edited += 1
        if len(notes) > 3:
            session_note_delete(actor=therapist, note_id=notes[-1].pk)
    ctx.log.append(f"session notes: {written} notes, {edited} edited (with versions), deleted ones kept")
