"""Building the draft ledger: speakers resolved to sources, content to propositions.

`build` walks an article's attributions in order with a `Resolver`, gives
each its source and relay chain (the relays named in the sentence, then the
wire, then the outlet), makes one proposition per reported content (its
text the content, cleaned) and one claim per attribution (its quote the
content as an exact substring, its cue the reporting words), and marks the
ledger as a draft: title, notes, and every source left at reliability F.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ..errors import LedgerError
from ..ledger import Ledger
from ..model import Claim, Proposition, Source, SourceKind
from .aliases import AliasTable
from .article import Article, DraftError
from .extract import Attribution
from .lexicon import Lexicon
from .resolve import Resolver, SourceDraft, slugify
from .tokens import Token

__all__ = ["PROPOSITION_NOTE", "SOURCE_NOTE", "build", "unique"]

#: The notes that mark a drafted ledger's sources and propositions as drafts.
SOURCE_NOTE = "Drafted from the article: check it, and grade its reliability (left at F)."
PROPOSITION_NOTE = "Drafted from the article's words: edit the wording, merge duplicates."


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


def build(
    article: Article,
    attributions: list[Attribution],
    *,
    lexicon: Lexicon,
    aliases: AliasTable,
    tokens: Callable[[str], list[Token]],
    outlet: str | None = None,
    wire: str | None = None,
) -> Ledger:
    """The draft ledger of an article from its attributions, speakers resolved.

    Args:
        article: The article, cut into sentences.
        attributions: What `extract` found in it, in text order.
        lexicon: Its language's lexicon.
        aliases: The alias table.
        tokens: The tokenizer (needed for "ce dernier" / "the latter").
        outlet: Id of the outlet that published it.
        wire: Id of the wire that wrote it; by default the dateline's.

    Raises:
        DraftError: The draft breaks a ledger rule (a bug: it never should).
    """
    text = article.text
    dateline_country = aliases.city(article.city) if article.city else None
    resolver = Resolver(lexicon, aliases, dateline_country)
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
    words = tokens(text) if any(a.speaker_role == "latter" for a in attributions) else []
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
            named = _latter(article, words, attribution)
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
        pid = unique(slugify(" ".join(statement.split()[:6]), "statement", limit=40), taken)
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
            sources, propositions, built, title=title[:200], lang=lexicon.lang
        )
    except LedgerError as error:  # pragma: no cover - the builder keeps every rule
        raise DraftError(f"the draft breaks a ledger rule: {error}") from error


def unique(stem: str, taken: set[str]) -> str:
    """`stem`, or `stem-2`, `stem-3`… whichever is not taken yet; it is then taken."""
    candidate = stem
    number = 2
    while candidate in taken:
        candidate = f"{stem}-{number}"
        number += 1
    taken.add(candidate)
    return candidate
