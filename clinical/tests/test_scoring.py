"""The PHQ-9 and GAD-7 scoring: totals, the severity bands at every boundary, the PHQ-9
item-9 flag, and answers that cannot be scored."""

import pytest

from clinical import scoring


def _answers(spec: scoring.InstrumentDefinition, total: int, *, item9: int = 0) -> dict[str, int]:
    """Answers adding up to ``total``, filled item by item (the last item holds ``item9``)."""
    answers = dict.fromkeys(spec.item_ids, 0)
    answers[spec.item_ids[-1]] = item9
    remaining = total - item9
    for item in spec.item_ids[:-1]:
        answers[item] = min(scoring.ANSWER_MAX, remaining)
        remaining -= answers[item]
    assert sum(answers.values()) == total
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_at_every_boundary(total, band):
    result = scoring.score("phq9", _answers(scoring.PHQ9, total, item9=0 if total < 27 else 3))
    assert result.total == total
    assert result.band.code == band
    assert scoring.severity_band("phq9", total).code == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands_at_every_boundary(total, band):
    result = scoring.score("gad7", _answers(scoring.GAD7, total, item9=0 if total < 21 else 3))
    assert result.total == total
    assert result.band.code == band
    assert result.needs_follow_up is False  # the GAD-7 flags nothing


def test_band_labels_read_as_words():
    assert scoring.severity_band("phq9", 17).label == "moderately severe"
    assert scoring.severity_band("gad7", 17).label == "severe"


@pytest.mark.parametrize(("item9", "flagged"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item_9_above_zero_needs_follow_up(item9, flagged):
    result = scoring.score("phq9", _answers(scoring.PHQ9, 6, item9=item9))
    assert result.needs_follow_up is flagged
    assert result.flagged_items == (("phq9_9",) if flagged else ())


def test_the_bands_cover_every_possible_total_once():
    for spec in scoring.INSTRUMENTS.values():
        covered = [total for band in spec.bands for total in range(band.low, band.high + 1)]
        assert covered == list(range(spec.max_score + 1))
    assert (scoring.PHQ9.max_score, scoring.GAD7.max_score) == (27, 21)
    assert (len(scoring.PHQ9.items), len(scoring.GAD7.items)) == (9, 7)


@pytest.mark.parametrize("total", [-1, 28])
def test_a_total_outside_the_range_has_no_band(total):
    with pytest.raises(scoring.ScoringError):
        scoring.severity_band("phq9", total)


def test_an_incomplete_questionnaire_is_not_scored():
    answers = _answers(scoring.PHQ9, 10)
    del answers["phq9_4"]
    with pytest.raises(scoring.ScoringError) as error:
        scoring.score("phq9", answers)
    assert error.value.item_id == "phq9_4"


def test_an_unanswered_item_is_not_scored():
    answers = {**_answers(scoring.GAD7, 3), "gad7_2": None}
    with pytest.raises(scoring.ScoringError):
        scoring.score("gad7", answers)


@pytest.mark.parametrize("value", [-1, 4, 1.5, True, "2", None])
def test_an_answer_outside_0_to_3_is_not_scored(value):
    answers = {**_answers(scoring.GAD7, 0), "gad7_5": value}
    with pytest.raises(scoring.ScoringError) as error:
        scoring.score("gad7", answers)
    assert error.value.item_id == "gad7_5"


def test_an_item_the_instrument_lacks_is_not_scored():
    answers = {**_answers(scoring.GAD7, 0), "gad7_8": 1}
    with pytest.raises(scoring.ScoringError) as error:
        scoring.score("gad7", answers)
    assert error.value.item_id == "gad7_8"


def test_an_unknown_instrument_is_not_scored():
    with pytest.raises(scoring.ScoringError):
        scoring.score("bdi2", {})
