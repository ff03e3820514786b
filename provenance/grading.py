"""The published grading scales: the Admiralty code and ICD 203 estimative language.

Names and numbers follow the standards word for word:

* source reliability A-F and information credibility 1-6 of the Admiralty
  code (NATO STANAG 2511 / AJP-2.1; US Army FM 2-22.3, appendix B);
* the seven likelihood bands of US Intelligence Community Directive 203
  (2015), each with its alternative wording.

>>> Reliability("B").label
'Usually reliable'
>>> str(Rating.parse("B2"))
'B2'
>>> Likelihood.of(0.83).label
'very likely'
"""

from __future__ import annotations

import enum
import math
from typing import Any

import attrs

__all__ = ["Credibility", "Likelihood", "Rating", "Reliability"]


class _Described:
    """A grade of an Admiralty scale, with the standard's name and description of it."""

    @property
    def label(self) -> str:
        """The standard's name for the grade, e.g. ``'Usually reliable'``, ``'Probably true'``."""
        return _DESCRIPTIONS[self][0]

    @property
    def meaning(self) -> str:
        """The standard's description of the grade."""
        return _DESCRIPTIONS[self][1]


class Reliability(_Described, enum.StrEnum):
    """Admiralty source reliability, from A (completely reliable) to F (cannot be judged).

    Members order from best to worst: ``Reliability.A.at_least(Reliability.C)``
    is true.  F ("cannot be judged") sorts last: it is no evidence of
    reliability.
    """

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def rank(self) -> int:
        """0 for A (best) to 5 for F (worst)."""
        return "ABCDEF".index(self.value)

    def at_least(self, other: Reliability) -> bool:
        """Whether this grade is as good as `other` or better."""
        return self.rank <= other.rank

    @classmethod
    def parse(cls, value: Reliability | str) -> Reliability:
        """Accept a member or its letter, in either case.

        Raises:
            ValueError: `value` is not an Admiralty grade.
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str) and value.strip().upper() in cls.__members__:
            return cls(value.strip().upper())
        raise ValueError(f"{value!r} is not an Admiralty reliability grade (A-F)")


_RELIABILITY = {
    Reliability.A: (
        "Completely reliable",
        "no doubt of authenticity, trustworthiness or competency; "
        "a history of complete reliability",
    ),
    Reliability.B: (
        "Usually reliable",
        "minor doubt; a history of valid information most of the time",
    ),
    Reliability.C: ("Fairly reliable", "doubt, but has provided valid information in the past"),
    Reliability.D: (
        "Not usually reliable",
        "significant doubt, but has provided valid information in the past",
    ),
    Reliability.E: (
        "Unreliable",
        "lacking in authenticity, trustworthiness and competency; a history of invalid information",
    ),
    Reliability.F: ("Reliability cannot be judged", "no basis exists for evaluating the source"),
}


class Credibility(_Described, enum.IntEnum):
    """Admiralty information credibility, from 1 (confirmed) to 6 (cannot be judged)."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    @classmethod
    def parse(cls, value: Credibility | int | str) -> Credibility:
        """Accept a member, its digit or the digit as a string.

        Raises:
            ValueError: `value` is not an Admiralty credibility grade.
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
            return cls(value)
        raise ValueError(f"{value!r} is not an Admiralty credibility grade (1-6)")


_CREDIBILITY = {
    Credibility.CONFIRMED: (
        "Confirmed by other sources",
        "confirmed by other independent sources; logical in itself; "
        "consistent with other information on the subject",
    ),
    Credibility.PROBABLY_TRUE: (
        "Probably true",
        "not confirmed; logical in itself; consistent with other information",
    ),
    Credibility.POSSIBLY_TRUE: (
        "Possibly true",
        "not confirmed; reasonably logical; agrees with some other information",
    ),
    Credibility.DOUBTFUL: (
        "Doubtful",
        "not confirmed; possible but not logical; no other information on the subject",
    ),
    Credibility.IMPROBABLE: (
        "Improbable",
        "not confirmed; not logical; contradicted by other information",
    ),
    Credibility.CANNOT_BE_JUDGED: (
        "Truth cannot be judged",
        "no basis exists for evaluating the validity of the information",
    ),
}

# The names and descriptions of both Admiralty scales, by grade.
_DESCRIPTIONS: dict[_Described, tuple[str, str]] = {
    grade: words for scale in (_RELIABILITY, _CREDIBILITY) for grade, words in scale.items()
}


def _to_reliability(value: Reliability | str) -> Reliability:
    return Reliability.parse(value)


def _to_credibility(value: Credibility | int | str) -> Credibility:
    return Credibility.parse(value)


@attrs.frozen
class Rating:
    """An Admiralty rating: a source reliability and an information credibility, e.g. ``B2``.

    >>> Rating.parse("e3")
    Rating(reliability=<Reliability.E: 'E'>, credibility=<Credibility.POSSIBLY_TRUE: 3>)
    """

    reliability: Reliability = attrs.field(converter=_to_reliability)
    credibility: Credibility = attrs.field(converter=_to_credibility)

    def __str__(self) -> str:
        return f"{self.reliability.value}{self.credibility.value}"

    @classmethod
    def parse(cls, text: str) -> Rating:
        """Parse a rating written letter and digit, such as ``"B2"``.

        Raises:
            ValueError: `text` is not a letter A-F followed by a digit 1-6.
        """
        if not isinstance(text, str) or len(text.strip()) != 2:
            raise ValueError(f"{text!r} is not an Admiralty rating (A1 to F6)")
        text = text.strip()
        try:
            return cls(Reliability.parse(text[0]), Credibility.parse(text[1]))
        except ValueError:
            raise ValueError(f"{text!r} is not an Admiralty rating (A1 to F6)") from None


class Likelihood(enum.Enum):
    """The seven ICD 203 likelihood bands, from "almost no chance" to "almost certain".

    Each member has `label` (the first wording), `alternative` (the second
    wording; the two must not be mixed in one product), and `low` and `high`,
    the band's bounds as probabilities.
    """

    ALMOST_NO_CHANCE = ("almost no chance", "remote", 0.01, 0.05)
    VERY_UNLIKELY = ("very unlikely", "highly improbable", 0.05, 0.20)
    UNLIKELY = ("unlikely", "improbable", 0.20, 0.45)
    ROUGHLY_EVEN_CHANCE = ("roughly even chance", "roughly even odds", 0.45, 0.55)
    LIKELY = ("likely", "probable", 0.55, 0.80)
    VERY_LIKELY = ("very likely", "highly probable", 0.80, 0.95)
    ALMOST_CERTAIN = ("almost certain", "nearly certain", 0.95, 0.99)

    def __init__(self, label: str, alternative: str, low: float, high: float) -> None:
        self.label = label
        self.alternative = alternative
        self.low = low
        self.high = high

    def __str__(self) -> str:
        return self.label

    @classmethod
    def of(cls, probability: float) -> Likelihood:
        """The band that `probability` falls in.

        Below 1 % is "almost no chance" and above 99 % "almost certain".  A
        value on the boundary between two bands belongs to the band nearer
        even odds, so that the words never claim more than the number: 0.55
        is "roughly even chance", 0.80 "likely", 0.95 "very likely"; and
        likewise 0.45 is "roughly even chance", 0.20 "unlikely", 0.05 "very
        unlikely".

        >>> Likelihood.of(0.5).label
        'roughly even chance'
        >>> Likelihood.of(0.8).label
        'likely'

        Raises:
            ValueError: `probability` is not a number in [0, 1].
        """
        p = _probability(probability)
        if p <= 0.5:
            for band in _ASCENDING:
                if p < band.high or band is cls.ROUGHLY_EVEN_CHANCE:
                    return band
        for band in reversed(_ASCENDING):
            if p > band.low or band is cls.ROUGHLY_EVEN_CHANCE:
                return band
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def parse(cls, value: Likelihood | str) -> Likelihood:
        """Accept a member or either of its wordings, in any case.

        Raises:
            ValueError: `value` names no band.
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            wanted = " ".join(value.lower().split())
            for band in cls:
                if wanted in (band.label, band.alternative, band.name.lower()):
                    return band
        raise ValueError(f"{value!r} is not an ICD 203 likelihood")


_ASCENDING = tuple(Likelihood)


def _probability(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a probability")
    p = float(value)
    if not (math.isfinite(p) and 0.0 <= p <= 1.0):
        raise ValueError(f"{value!r} is not a probability in [0, 1]")
    return p
