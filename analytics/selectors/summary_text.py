"""The plain-language sentence of a client's session summary: deterministic, built only
from the summary's figures (no query), in the active language (Dutch or English): dates
and decimals as that language writes them."""

import datetime
from collections.abc import Sequence

from django.utils import dateformat, formats
from django.utils.translation import gettext, ngettext

from clinical.selectors.surveys import OutcomeChange


def _long_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")  # 3 March 2026, 3 maart 2026


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
        parts = [gettext("no completed sessions yet")]
    else:
        if total_sessions == 1:
            parts = [gettext("1 session, on %(date)s") % {"date": _long_date(first_session_date)}]
        else:
            parts = [
                gettext("%(count)s sessions since %(date)s")
                % {"count": total_sessions, "date": _long_date(first_session_date)}
            ]
        if average_mood_improvement is None:
            parts.append(gettext("no mood ratings recorded"))
        elif average_mood_improvement == 0:
            parts.append(gettext("mood unchanged on average"))
        else:
            size = abs(average_mood_improvement)
            values = {"points": formats.number_format(size, 1)}
            plural = 1 if size == 1 else 2
            if average_mood_improvement > 0:
                text = ngettext(
                    "mood improved by %(points)s point on average",
                    "mood improved by %(points)s points on average",
                    plural,
                )
            else:
                text = ngettext(
                    "mood declined by %(points)s point on average",
                    "mood declined by %(points)s points on average",
                    plural,
                )
            parts.append(text % values)

    if goals_total == 0:
        parts.append(gettext("no therapy goals set"))
    else:
        goals = ngettext("%(active)s of %(total)s goal active", "%(active)s of %(total)s goals active", goals_total) % {
            "active": goals_active,
            "total": goals_total,
        }
        if goals_active:
            goals += gettext(" (average progress %(progress)s%%)") % {"progress": goals_active_average_progress}
        if goals_completed:
            goals += gettext(", %(count)s completed") % {"count": goals_completed}
        if goals_paused:
            goals += gettext(", %(count)s paused") % {"count": goals_paused}
        parts.append(goals)

    text = "; ".join(parts) + "."
    text = text[0].upper() + text[1:]
    if outcome_changes:
        text += " " + "; ".join(_outcome_change_text(change) for change in outcome_changes) + "."
    return text


def _outcome_change_text(change: OutcomeChange) -> str:
    values = {
        "name": change.name,
        "score": change.latest_score,
        "band": change.latest_band,
        "first": change.first_score,
        "first_band": change.first_band,
    }
    if change.count == 1:
        return gettext("%(name)s was %(score)s (%(band)s)") % values
    if change.first_score == change.latest_score:
        return gettext("%(name)s stayed at %(score)s (%(band)s)") % values
    return gettext("%(name)s went from %(first)s (%(first_band)s) to %(score)s (%(band)s)") % values
