"""The cue lexicon: reporting words with the stance and hedging they carry.

The words live in data files shipped with the package (``data/cues-fr.toml``,
``data/cues-en.toml``), not in code, so that a linguist can extend them
without reading the extractor.  `Lexicon.load` reads one language's file and
normalises every word the way `fold` normalises article text, so that a
lookup is one dictionary or set access.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from importlib import resources
from typing import Any

import attrs

from ..model import Certainty, Stance

__all__ = ["LANGUAGES", "Lexicon", "VerbSense", "fold"]

#: The languages a draft can be made in.
LANGUAGES = ("fr", "en")

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """`text` as words are compared: lower case, no accents, straight apostrophes, single spaces.

    >>> fold("  L’État   Major ")
    "l'etat major"
    """
    text = text.translate(_APOSTROPHES).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip()


@attrs.frozen
class VerbSense:
    """What a reporting verb says about its content.

    Attributes:
        stance: Whether the speaker asserts or denies the content.
        certainty: How sure the verb makes the speaker sound.
        inverted_only: The verb reports speech only in an incise ("…, a lancé X").
        impersonal: The speaker follows the verb after a preposition
            ("a-t-on appris de source sécuritaire").
    """

    stance: Stance
    certainty: Certainty
    inverted_only: bool = False
    impersonal: bool = False


def _words(table: dict[str, Any], key: str) -> tuple[str, ...]:
    values = table.get(key, [])
    return tuple(sorted({fold(value) for value in values}, key=lambda w: (-len(w), w)))


@attrs.frozen
class Lexicon:
    """One language's reporting words, loaded from its data file.

    Attributes:
        lang: The language (``"fr"`` or ``"en"``).
        lemmas: Verb senses by folded lemma.
        forms: Verb senses by folded surface form.
        The other attributes are word lists, folded, longest first.
    """

    lang: str
    lemmas: dict[str, VerbSense]
    forms: dict[str, VerbSense]
    impersonal_after: tuple[str, ...]
    participles: frozenset[str]
    auxiliaries: frozenset[str]
    between: tuple[str, ...]
    negations: frozenset[str]
    prepositions: tuple[str, ...]
    relays_by: tuple[str, ...]
    relays_to: tuple[str, ...]
    citing: tuple[str, ...]
    hedges_possible: tuple[str, ...]
    hedges_probable: tuple[str, ...]
    conditional_endings: tuple[str, ...]
    conditional_past: frozenset[str]
    standalone: tuple[str, ...]
    pronouns: frozenset[str]
    same_source: tuple[str, ...]
    latter: tuple[str, ...]
    possessives: frozenset[str]
    determiners: frozenset[str]
    indefinite: frozenset[str]
    anonymity: tuple[str, ...]
    anonymous_heads: frozenset[str]
    expert_heads: frozenset[str]
    speaker_stops: frozenset[str]
    speaker_skip: tuple[str, ...]
    months: frozenset[str]
    openers: tuple[str, ...]
    content_openers: tuple[str, ...]
    content_ends: tuple[str, ...]

    @classmethod
    def load(cls, lang: str) -> Lexicon:
        """The shipped lexicon of `lang` (cached).

        Raises:
            ValueError: `lang` is not one of `LANGUAGES`.
        """
        if lang not in LANGUAGES:
            raise ValueError(f"no cue lexicon for language {lang!r} (supported: fr, en)")
        return _load(lang)

    @classmethod
    def from_table(cls, lang: str, table: dict[str, Any]) -> Lexicon:
        """A lexicon from the parsed data file of `lang`."""
        lemmas: dict[str, VerbSense] = {}
        forms: dict[str, VerbSense] = {}
        inverted = table.get("inverted_only", {})
        inverted_words = set(_words(inverted, "lemmas")) | set(_words(inverted, "forms"))
        impersonal = table.get("impersonal", {})
        impersonal_words = set(_words(impersonal, "lemmas")) | set(_words(impersonal, "forms"))
        for group in table.get("verbs", []):
            stance = Stance(group.get("stance", "asserts"))
            certainty = Certainty(group.get("certainty", "certain"))
            for key, target in (("lemmas", lemmas), ("forms", forms)):
                for word in _words(group, key):
                    target[word] = VerbSense(
                        stance, certainty, word in inverted_words, word in impersonal_words
                    )
        for word in impersonal_words:
            lemmas.setdefault(word, VerbSense(Stance.ASSERTS, Certainty.CERTAIN, False, True))
        aux = table.get("auxiliaries", {})
        hedges = table.get("hedges", {})
        anaphora = table.get("anaphora", {})
        anonymous = table.get("anonymous", {})
        speaker = table.get("speaker", {})
        relays = table.get("relays", {})
        return cls(
            lang=lang,
            lemmas=lemmas,
            forms=forms,
            impersonal_after=_words(impersonal, "speaker_after"),
            participles=frozenset(_words(table.get("participles", {}), "forms")),
            auxiliaries=frozenset(_words(aux, "forms")),
            between=_words(aux, "between"),
            negations=frozenset(_words(aux, "negations")),
            prepositions=_words(table.get("prepositions", {}), "certain"),
            relays_by=_words(relays, "by"),
            relays_to=_words(relays, "to"),
            citing=_words(relays, "citing"),
            hedges_possible=_words(hedges, "possible"),
            hedges_probable=_words(hedges, "probable"),
            conditional_endings=_words(hedges, "conditional_endings"),
            conditional_past=frozenset(_words(hedges, "conditional_past")),
            standalone=_words(hedges, "standalone"),
            pronouns=frozenset(_words(anaphora, "pronouns")),
            same_source=_words(anaphora, "same_source"),
            latter=_words(anaphora, "latter"),
            possessives=frozenset(_words(anaphora, "possessives")),
            determiners=frozenset(_words(anaphora, "determiners")),
            indefinite=frozenset(_words(anonymous, "indefinite")),
            anonymity=_words(anonymous, "markers"),
            anonymous_heads=frozenset(_words(anonymous, "heads")),
            expert_heads=frozenset(_words(table.get("experts", {}), "heads")),
            speaker_stops=frozenset(_words(speaker, "stops")),
            speaker_skip=_words(speaker, "skip"),
            months=frozenset(_words(speaker, "months")),
            openers=_words(speaker, "openers"),
            content_openers=_words(speaker, "content_openers"),
            content_ends=_words(speaker, "content_ends"),
        )

    def verb(self, form: str, lemma: str | None = None) -> VerbSense | None:
        """The sense of a verb token, by its form first and then its lemma."""
        sense = self.forms.get(fold(form))
        if sense is None and lemma:
            sense = self.lemmas.get(fold(lemma))
        return sense


@functools.cache
def _load(lang: str) -> Lexicon:
    data = resources.files("provenance.draft").joinpath("data").joinpath(f"cues-{lang}.toml")
    return Lexicon.from_table(lang, tomllib.loads(data.read_text(encoding="utf-8")))
