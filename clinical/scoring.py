"""Scored outcome measures: the PHQ-9 (depression) and GAD-7 (anxiety) questionnaires.

Pure Python, no database: the items, the 0-3 answer scale, the total score and the severity
band of each instrument, as published by their authors (Kroenke, Spitzer and Williams,
2001; Spitzer, Kroenke, Williams and Löwe, 2006; both free to use). Surveys and the session
summary call :func:`score` and :func:`severity_band`; nothing else decides a band."""

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy


class Instrument(enum.StrEnum):
    PHQ9 = "phq9"
    GAD7 = "gad7"


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    code: str
    label: str


@dataclass(frozen=True)
class InstrumentDefinition:
    code: Instrument
    name: str
    title: str
    description: str
    stem: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    #: Item numbers (1-based) whose answer above 0 needs the therapist's follow-up.
    follow_up_items: tuple[int, ...] = ()

    @property
    def max_score(self) -> int:
        return len(self.items) * ANSWER_MAX

    def item_id(self, number: int) -> str:
        return f"{self.code}_{number}"

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(self.item_id(number) for number in range(1, len(self.items) + 1))


ANSWER_MIN = 0
ANSWER_MAX = 3
#: The answer scale both instruments share, value by value.
ANSWER_LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")

MINIMAL = Band(0, 4, "minimal", gettext_lazy("minimal"))
MILD = Band(5, 9, "mild", gettext_lazy("mild"))
MODERATE = Band(10, 14, "moderate", gettext_lazy("moderate"))

PHQ9 = InstrumentDefinition(
    code=Instrument.PHQ9,
    name="PHQ-9",
    title="PHQ-9 depression questionnaire",
    description="Patient Health Questionnaire: nine items on depressive symptoms over the last two weeks.",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself - or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite - being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    bands=(
        MINIMAL,
        MILD,
        MODERATE,
        Band(15, 19, "moderately_severe", gettext_lazy("moderately severe")),
        Band(20, 27, "severe", gettext_lazy("severe")),
    ),
    follow_up_items=(9,),
)

GAD7 = InstrumentDefinition(
    code=Instrument.GAD7,
    name="GAD-7",
    title="GAD-7 anxiety questionnaire",
    description="Generalized Anxiety Disorder scale: seven items on anxiety symptoms over the last two weeks.",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ),
    bands=(MINIMAL, MILD, MODERATE, Band(15, 21, "severe", gettext_lazy("severe"))),
)

INSTRUMENTS: dict[str, InstrumentDefinition] = {PHQ9.code: PHQ9, GAD7.code: GAD7}
#: Every band code of every instrument (the values a response's severity may take).
SEVERITY_CODES = tuple(dict.fromkeys(band.code for d in INSTRUMENTS.values() for band in d.bands))


class ScoringError(ValueError):
    """The answers cannot be scored. ``item_id`` names the offending item, if one does."""

    def __init__(self, message: str, item_id: str | None = None) -> None:
        super().__init__(message)
        self.item_id = item_id


@dataclass(frozen=True)
class Score:
    instrument: Instrument
    total: int
    band: Band
    #: Follow-up items answered above 0, by item id (PHQ-9 item 9: thoughts of self-harm).
    flagged_items: tuple[str, ...]

    @property
    def needs_follow_up(self) -> bool:
        return bool(self.flagged_items)


def definition(instrument: str) -> InstrumentDefinition:
    try:
        return INSTRUMENTS[instrument]
    except KeyError:
        raise ScoringError(f"{instrument!r} is not a scored instrument.") from None


def severity_band(instrument: str, total: int) -> Band:
    """The band a total score falls in; a total outside 0..max is an error."""
    for band in definition(instrument).bands:
        if band.low <= total <= band.high:
            return band
    raise ScoringError(f"{total!r} is not a possible {definition(instrument).name} total.")


def score(instrument: str, answers: Mapping[str, int]) -> Score:
    """Total and band of one completed questionnaire.

    ``answers`` maps every item id (``phq9_1`` .. ``phq9_9``) to its answer, an integer
    0-3. A missing, unknown or out-of-range answer is a :class:`ScoringError`: an
    incomplete questionnaire has no valid total (the instruments' manuals do not prorate)."""
    spec = definition(instrument)
    unknown = sorted(set(answers) - set(spec.item_ids))
    if unknown:
        raise ScoringError(f"{unknown[0]!r} is not an item of the {spec.name}.", unknown[0])
    total = 0
    for item_id in spec.item_ids:
        if item_id not in answers or answers[item_id] is None:
            raise ScoringError(f"Every {spec.name} item must be answered.", item_id)
        value = answers[item_id]
        if isinstance(value, bool) or not isinstance(value, int) or not ANSWER_MIN <= value <= ANSWER_MAX:
            raise ScoringError(f"An answer is a whole number from {ANSWER_MIN} to {ANSWER_MAX}.", item_id)
        total += value
    flagged = tuple(spec.item_id(n) for n in spec.follow_up_items if answers[spec.item_id(n)] > 0)
    return Score(instrument=spec.code, total=total, band=severity_band(instrument, total), flagged_items=flagged)
