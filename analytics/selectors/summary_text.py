"""The plain-language sentence of a client's session summary: deterministic, built only
from the summary's figures (no query)."""

import datetime
from collections.abc import Sequence

from django.utils import dateformat

from clinical.selectors.surveys import OutcomeChange


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _long_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")  # 3 March 2026


def progress_summary_text(
    *,
    total_sessions: int,
    first_session_date: datetime.date | None,
    average_mood_improvement: float | None,
    goals_total: int,
    goals_active: int,
    goals_completed: int,
    goals_paused: int,
    goals_active_average_progress: int | None,
    outcome_changes: Sequence[OutcomeChange] = (),
) -> str:
    """One deterministic sentence a therapist reads at a glance, e.g.
    "11 sessions since 3 March 2026; mood improved by 1.8 points on average; 2 of 3 goals
    active (average progress 55%), 1 completed." and, when the client took the PHQ-9 or
    GAD-7, a second one: "PHQ-9 went from 16 (moderately severe) to 8 (mild)." """
    if total_sessions == 0:
        parts = ["no completed sessions yet"]
    else:
        if total_sessions == 1:
            parts = [f"1 session, on {_long_date(first_session_date)}"]
        else:
            parts = [f"{total_sessions} sessions since {_long_date(first_session_date)}"]
        if average_mood_improvement is None:
            parts.append("no mood ratings recorded")
        elif average_mood_improvement == 0:
            parts.append("mood unchanged on average")
        else:
            direction = "improved" if average_mood_improvement > 0 else "declined"
            size = abs(average_mood_improvement)
            parts.append(f"mood {direction} by {size:.1f} {'point' if size == 1 else 'points'} on average")

    if goals_total == 0:
        parts.append("no therapy goals set")
    else:
        goals = f"{goals_active} of {_plural(goals_total, 'goal')} active"
        if goals_active:
            goals += f" (average progress {goals_active_average_progress}%)"
        if goals_completed:
            goals += f", {goals_completed} completed"
        if goals_paused:
            goals += f", {goals_paused} paused"
        parts.append(goals)

    text = "; ".join(parts) + "."
    text = text[0].upper() + text[1:]
    if outcome_changes:
        text += " " + "; ".join(_outcome_change_text(change) for change in outcome_changes) + "."
    return text


def _outcome_change_text(change: OutcomeChange) -> str:
    latest = f"{change.latest_score} ({change.latest_band})"
    if change.count == 1:
        return f"{change.name} was {latest}"
    if change.first_score == change.latest_score:
        return f"{change.name} stayed at {latest}"
    return f"{change.name} went from {change.first_score} ({change.first_band}) to {latest}"
