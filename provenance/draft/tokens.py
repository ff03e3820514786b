"""Tokens and the sentence view that the attribution rules read.

`Token` is a word of the article with what the language model says of it;
`SentenceView` holds one sentence's tokens with the lookups the rules need
(multi-word phrases, quotations); `trim` and `skippable` cut spans and skip
asides such as dates.  Everything here is offsets into the article's text.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .article import Sentence, _quote_regions
from .lexicon import Lexicon, fold

__all__ = [
    "CLOSING",
    "FUNCTION_WORDS",
    "MAX_PHRASE",
    "MEDIA_WORDS",
    "NOUN_BEFORE",
    "OPEN_QUOTES",
    "WEEKDAYS",
    "SentenceView",
    "Span",
    "Token",
    "skippable",
    "trim",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


Span = tuple[int, int]

CLOSING = "»”\"’'"
OPEN_QUOTES = '«“"'
MAX_PHRASE = 6
WEEKDAYS = _words(
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday "
    "thursday friday saturday sunday "
)
FUNCTION_WORDS = _words(
    "on in at to the a an this last next week month year earlier later also again le "
    "la les l' un une des de du d' a à au aux en ce cette dernier derniere soir matin "
    "semaine mois annee jour debut fin mi the of "
)
NOUN_BEFORE = _words(
    "the a an these those such of by media press news its his her their our "
    "unconfirmed earlier recent some many several other previous "
)
MEDIA_WORDS = _words(
    "agence agency journal quotidien newspaper daily chaine channel television radio "
    "broadcaster magazine hebdomadaire site tv "
)


@attrs.frozen
class Token:
    """A word of the article, with what the language model says of it."""

    text: str
    start: int
    end: int
    lemma: str
    participle: bool = False
    infinitive: bool = False
    person: bool = False
    finite: bool = True

    @property
    def folded(self) -> str:
        """Its text as words are compared."""
        return fold(self.text)


class SentenceView:
    """One sentence's tokens with the lookups the rules need."""

    def __init__(self, text: str, sentence: Sentence, tokens: Sequence[Token]) -> None:
        self.text = text
        self.span = sentence
        self.tokens = list(tokens)
        self.quotes = _quote_spans(text, sentence.start, sentence.end)
        self._folds: dict[tuple[int, int], str] = {}

    def phrase(self, i: int, length: int) -> str:
        """The folded text of tokens i .. i+length-1."""
        key = (i, length)
        if key not in self._folds:
            j = i + length - 1
            if j >= len(self.tokens):
                self._folds[key] = ""
            else:
                self._folds[key] = fold(self.text[self.tokens[i].start : self.tokens[j].end])
        return self._folds[key]

    def match(self, i: int, phrases: Sequence[str] | frozenset[str]) -> int:
        """How many tokens from i form one of `phrases` (longest), or 0."""
        wanted = phrases if isinstance(phrases, frozenset) else frozenset(phrases)
        best = 0
        for length in range(1, MAX_PHRASE + 1):
            if i + length > len(self.tokens):
                break
            if self.phrase(i, length) in wanted:
                best = length
        return best

    def match_before(self, end: int, phrases: Sequence[str] | frozenset[str]) -> int:
        """How many tokens ending just before index `end` form one of `phrases`, or 0."""
        wanted = phrases if isinstance(phrases, frozenset) else frozenset(phrases)
        best = 0
        for length in range(1, MAX_PHRASE + 1):
            start = end - length
            if start < 0:
                break
            if self.phrase(start, length) in wanted:
                best = length
        return best

    def quoted(self, offset: int) -> bool:
        """Whether the character at `offset` is inside a quotation."""
        return any(a < offset < b - 1 for a, b in self.quotes)

    def index_at(self, offset: int) -> int:
        """The index of the first token starting at or after `offset`."""
        for index, token in enumerate(self.tokens):
            if token.start >= offset:
                return index
        return len(self.tokens)


def _quote_spans(text: str, start: int, end: int) -> list[Span]:
    return _quote_regions(text, start, end)


_TRIM = " \t\u00a0\u202f,;:.-–—"


def trim(text: str, start: int, end: int, quotes: bool = True) -> Span | None:
    """`start`..`end` without surrounding spaces and punctuation (and quotation marks).

    A quotation mark is kept when the span holds its partner: "la coopération
    «pour faire face … hostiles»" keeps its closing guillemet.
    """
    strip = _TRIM + (OPEN_QUOTES + CLOSING + "«»“”" if quotes else "")
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    if end <= start or not any(c.isalnum() for c in text[start:end]):
        return None
    inner = text[start:end]
    for opening, closing in (("«", "»"), ("“", "”")):
        if inner.count(opening) > inner.count(closing):
            at = end
            while at < len(text) and text[at] in " \u00a0\u202f":
                at += 1
            if at < len(text) and text[at] == closing:
                end = at + 1
        elif inner.count(closing) > inner.count(opening):
            at = start
            while at > 0 and text[at - 1] in " \u00a0\u202f":
                at -= 1
            if at > 0 and text[at - 1] == opening:
                start = at - 1
    if inner.count('"') % 2 == 1:
        if end < len(text) and text[end] == '"' and text[start] != '"':
            end += 1
        elif start > 0 and text[start - 1] == '"':
            start -= 1
    return start, end


def skippable(s: SentenceView, i: int, lex: Lexicon) -> int:
    """How many tokens at `i` are a time, a place of saying or a similar aside, or 0."""
    tokens = s.tokens
    if i >= len(tokens):
        return 0
    length = s.match(i, lex.speaker_skip)
    if length:
        return length
    word = tokens[i].folded
    if word in WEEKDAYS or word in lex.months:
        return 1
    # "le 28 mars", "on March 18", "début mars", "mardi soir"
    if word in {"le", "on", "debut", "fin", "mi", "early", "late"} and i + 1 < len(tokens):
        j = i + 1
        while j < len(tokens) and (tokens[j].text.isdigit() or tokens[j].folded in lex.months):
            j += 1
        if j > i + 1:
            return j - i
    if tokens[i].text.isdigit() and i + 1 < len(tokens) and tokens[i + 1].folded in lex.months:
        return 2
    return 0
