"""Tests of the grading scales against the published standards.

The expected names, meanings and ranges are the standards' own tables
(Admiralty code: NATO STANAG 2511 / AJP-2.1, US FM 2-22.3 appendix B;
estimative language: US ICD 203), copied here word for word: they are the
specification the library must match, not an output it computes.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provenance import Credibility, Likelihood, Rating, Reliability

__all__: list[str] = []

RELIABILITY_TABLE = [
    (
        "A",
        "Completely reliable",
        "no doubt of authenticity, trustworthiness or competency; "
        "a history of complete reliability",
    ),
    ("B", "Usually reliable", "minor doubt; a history of valid information most of the time"),
    ("C", "Fairly reliable", "doubt, but has provided valid information in the past"),
    (
        "D",
        "Not usually reliable",
        "significant doubt, but has provided valid information in the past",
    ),
    (
        "E",
        "Unreliable",
        "lacking in authenticity, trustworthiness and competency; a history of invalid information",
    ),
    ("F", "Reliability cannot be judged", "no basis exists for evaluating the source"),
]

CREDIBILITY_TABLE = [
    (
        1,
        "Confirmed by other sources",
        "confirmed by other independent sources; logical in itself; "
        "consistent with other information on the subject",
    ),
    (2, "Probably true", "not confirmed; logical in itself; consistent with other information"),
    (
        3,
        "Possibly true",
        "not confirmed; reasonably logical; agrees with some other information",
    ),
    (
        4,
        "Doubtful",
        "not confirmed; possible but not logical; no other information on the subject",
    ),
    (5, "Improbable", "not confirmed; not logical; contradicted by other information"),
    (
        6,
        "Truth cannot be judged",
        "no basis exists for evaluating the validity of the information",
    ),
]

LIKELIHOOD_TABLE = [
    ("almost no chance", "remote", 0.01, 0.05),
    ("very unlikely", "highly improbable", 0.05, 0.20),
    ("unlikely", "improbable", 0.20, 0.45),
    ("roughly even chance", "roughly even odds", 0.45, 0.55),
    ("likely", "probable", 0.55, 0.80),
    ("very likely", "highly probable", 0.80, 0.95),
    ("almost certain", "nearly certain", 0.95, 0.99),
]

ALL_RATINGS = [f"{r}{c}" for r in "ABCDEF" for c in "123456"]

probabilities = st.floats(0.0, 1.0)


class TestReliability:
    @pytest.mark.parametrize(("letter", "name", "meaning"), RELIABILITY_TABLE)
    def test_names_and_meanings_match_the_standard(
        self, letter: str, name: str, meaning: str
    ) -> None:
        """Each grade has the Admiralty code's name and meaning, word for word."""
        grade = Reliability(letter)
        assert name == grade.label
        assert meaning == grade.meaning

    def test_the_scale_has_exactly_the_standard_grades(self) -> None:
        """The scale is A to F, in the standard's order, and nothing else."""
        assert [row[0] for row in RELIABILITY_TABLE] == [g.value for g in Reliability]

    def test_grades_rank_from_best_to_worst(self) -> None:
        """A ranks best and F worst, and `at_least` follows the ranks."""
        grades = list(Reliability)
        assert list(range(6)) == [g.rank for g in grades]
        for better in grades:
            for worse in grades:
                assert (better.rank <= worse.rank) == better.at_least(worse)

    @pytest.mark.parametrize("text", ["b", " B ", "B"])
    def test_parse_accepts_either_case(self, text: str) -> None:
        """A grade letter parses in either case and with surrounding spaces."""
        assert Reliability.B is Reliability.parse(text)

    @pytest.mark.parametrize("bad", ["G", "", "AB", "1", None, 1, True])
    def test_parse_refuses_what_is_not_a_grade(self, bad: object) -> None:
        """Anything but a letter A-F is refused with a ValueError naming it."""
        with pytest.raises(ValueError, match="Admiralty") as caught:
            Reliability.parse(bad)  # type: ignore[arg-type]
        assert repr(bad) in str(caught.value)


class TestCredibility:
    @pytest.mark.parametrize(("digit", "name", "meaning"), CREDIBILITY_TABLE)
    def test_names_and_meanings_match_the_standard(
        self, digit: int, name: str, meaning: str
    ) -> None:
        """Each grade has the Admiralty code's name and meaning, word for word."""
        grade = Credibility(digit)
        assert name == grade.label
        assert meaning == grade.meaning

    def test_the_scale_has_exactly_the_standard_grades(self) -> None:
        """The scale is 1 to 6, in the standard's order, and nothing else."""
        assert [row[0] for row in CREDIBILITY_TABLE] == [int(g) for g in Credibility]

    @pytest.mark.parametrize("value", [3, "3", " 3 ", Credibility.POSSIBLY_TRUE])
    def test_parse_accepts_a_digit_or_its_text(self, value: object) -> None:
        """A grade parses from its number, its digit as text, or itself."""
        assert Credibility.POSSIBLY_TRUE is Credibility.parse(value)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [0, 7, "7", "", "three", 2.0, True, None])
    def test_parse_refuses_what_is_not_a_grade(self, bad: object) -> None:
        """Anything but 1-6 is refused with a ValueError naming it."""
        with pytest.raises(ValueError, match="credibility") as caught:
            Credibility.parse(bad)  # type: ignore[arg-type]
        assert str(caught.value).startswith((repr(bad), str(bad)))


class TestRating:
    @pytest.mark.parametrize("text", ALL_RATINGS)
    def test_every_rating_round_trips(self, text: str) -> None:
        """Each of the 36 ratings prints as it was written, from upper or lower case."""
        assert text == str(Rating.parse(text))
        assert text == str(Rating.parse(text.lower()))

    @pytest.mark.parametrize("text", ALL_RATINGS)
    def test_parsed_parts_are_the_grades(self, text: str) -> None:
        """The letter is the reliability and the digit the credibility."""
        rating = Rating.parse(text)
        assert Reliability(text[0]) is rating.reliability
        assert Credibility(int(text[1])) is rating.credibility

    def test_there_are_thirty_six(self) -> None:
        """Six reliabilities times six credibilities give 36 distinct ratings."""
        assert len({Rating.parse(text) for text in ALL_RATINGS}) == len(ALL_RATINGS) == 36

    @pytest.mark.parametrize(
        "bad", ["", "B", "G1", "A0", "A7", "AA", "11", "1A", "B22", "B 2", "B-2", "Ｂ２", None, 12]
    )
    def test_bad_ratings_are_refused(self, bad: object) -> None:
        """What is not a letter A-F then a digit 1-6 is refused with a ValueError naming it."""
        with pytest.raises(ValueError, match="Admiralty rating") as caught:
            Rating.parse(bad)  # type: ignore[arg-type]
        assert repr(bad) in str(caught.value) or repr(str(bad).strip()) in str(caught.value)

    def test_a_rating_is_made_from_its_parts(self) -> None:
        """A rating built from a letter and a digit equals the parsed one."""
        assert Rating.parse("E3") == Rating("E", 3)


class TestLikelihood:
    @pytest.mark.parametrize(("band", "row"), list(zip(Likelihood, LIKELIHOOD_TABLE, strict=True)))
    def test_bands_match_the_standard(
        self, band: Likelihood, row: tuple[str, str, float, float]
    ) -> None:
        """Each band has ICD 203's wording, alternative wording and range, in order."""
        label, alternative, low, high = row
        assert (label, alternative, low, high) == (
            band.label,
            band.alternative,
            band.low,
            band.high,
        )
        assert label == str(band)

    def test_bands_tile_the_scale(self) -> None:
        """Each band starts where the one before it ends."""
        bands = list(Likelihood)
        for lower, upper in itertools.pairwise(bands):
            assert lower.high == upper.low

    @pytest.mark.parametrize(
        ("probability", "label"),
        [
            (0.0, "almost no chance"),
            (0.01, "almost no chance"),
            (0.05, "very unlikely"),
            (0.20, "unlikely"),
            (0.45, "roughly even chance"),
            (0.50, "roughly even chance"),
            (0.55, "roughly even chance"),
            (0.80, "likely"),
            (0.95, "very likely"),
            (0.99, "almost certain"),
            (1.0, "almost certain"),
        ],
    )
    def test_a_boundary_belongs_to_the_band_nearer_even_odds(
        self, probability: float, label: str
    ) -> None:
        """On a boundary the words never claim more than the number (the documented rule)."""
        assert label == Likelihood.of(probability).label

    @pytest.mark.parametrize("edge", [0.05, 0.20, 0.45, 0.55, 0.80, 0.95])
    def test_just_past_a_boundary_is_the_next_band(self, edge: float) -> None:
        """A hair away from even odds across a boundary is the outer band."""
        outward = math.nextafter(edge, 0.0 if edge < 0.5 else 1.0)
        inner, outer = Likelihood.of(edge), Likelihood.of(outward)
        order = list(Likelihood)
        assert 1 == abs(order.index(inner) - order.index(outer))
        assert abs(outer.low + outer.high - 1) > abs(inner.low + inner.high - 1)

    def test_below_one_percent_and_above_ninety_nine(self) -> None:
        """Below 1 % is "almost no chance" and above 99 % "almost certain"."""
        assert Likelihood.ALMOST_NO_CHANCE is Likelihood.of(0.001)
        assert Likelihood.ALMOST_CERTAIN is Likelihood.of(0.999)

    @given(probabilities)
    @example(0.05)
    @example(0.95)
    @example(0.5)
    def test_a_probability_lies_in_its_band(self, p: float) -> None:
        """The band of p contains p, and p is on its edge only on the side nearer even odds."""
        band = Likelihood.of(p)
        if p < 0.01:
            assert Likelihood.ALMOST_NO_CHANCE is band
        elif p > 0.99:
            assert Likelihood.ALMOST_CERTAIN is band
        elif p < 0.5:
            assert band.low <= p < band.high
        elif p > 0.5:
            assert band.low < p <= band.high
        else:
            assert Likelihood.ROUGHLY_EVEN_CHANCE is band

    @given(probabilities, probabilities)
    @example(0.8, math.nextafter(0.8, 1.0))
    def test_bands_are_monotone(self, p: float, q: float) -> None:
        """A higher probability never falls in a lower band."""
        p, q = sorted((p, q))
        order = list(Likelihood)
        assert order.index(Likelihood.of(p)) <= order.index(Likelihood.of(q))

    @pytest.mark.parametrize("bad", [-0.01, 1.01, math.nan, math.inf, -math.inf, True, "0.5", None])
    def test_of_refuses_what_is_not_a_probability(self, bad: object) -> None:
        """Of() refuses anything but a number in [0, 1], naming the value."""
        with pytest.raises(ValueError, match="probability") as caught:
            Likelihood.of(bad)  # type: ignore[arg-type]
        assert repr(bad) in str(caught.value)

    @pytest.mark.parametrize(("band", "row"), list(zip(Likelihood, LIKELIHOOD_TABLE, strict=True)))
    def test_parse_accepts_either_wording(
        self, band: Likelihood, row: tuple[str, str, float, float]
    ) -> None:
        """Either of a band's wordings names it, in any case and spacing."""
        label, alternative = row[0], row[1]
        assert band is Likelihood.parse(label)
        assert band is Likelihood.parse(alternative.upper())
        assert band is Likelihood.parse("  " + label.replace(" ", "   ") + " ")

    @pytest.mark.parametrize("bad", ["", "certain", "probably", "Roughly", None, 0.5])
    def test_parse_refuses_what_names_no_band(self, bad: object) -> None:
        """A word that names no band is refused with a ValueError naming it."""
        with pytest.raises(ValueError, match="ICD 203") as caught:
            Likelihood.parse(bad)  # type: ignore[arg-type]
        assert repr(bad) in str(caught.value)
