"""The parts of a reported clause: its speaker, its content, its relays, its hedging.

The attribution rules (`extract`) find a cue and ask these helpers where
the speaker and the content around it begin and end, which relays the
sentence names ("cité par Y", "told Reuters", "in a statement carried by
IRNA"), and how the content's own words hedge it (the French conditional,
"may have", "probablement").
"""

from __future__ import annotations

import attrs

from ..model import Certainty
from .aliases import AliasTable
from .lexicon import Lexicon, fold
from .tokens import (
    CLOSING,
    FUNCTION_WORDS,
    MEDIA_WORDS,
    WEEKDAYS,
    SentenceView,
    Span,
    skippable,
    trim,
)

__all__ = [
    "Relays",
    "apposition",
    "citable",
    "clause_start",
    "content_after",
    "content_end",
    "gap_word",
    "hedging",
    "is_media",
    "media_phrase",
    "noun_phrase",
    "relays_in",
    "speaker_after",
]


def speaker_after(s: SentenceView, i: int, lex: Lexicon) -> tuple[Span | None, int]:
    """The speaker that follows an inverted cue at token `i`; and the index after it."""
    tokens = s.tokens
    n = len(tokens)
    while i < n:
        skip = skippable(s, i, lex)
        to = s.match(i, lex.relays_to)
        if not skip and to:
            end = media_phrase(s, i + to, n)
            if end > i + to:
                skip = end - i
        if not skip:
            break
        i += skip
    start = i
    j = i
    while j < n:
        token = tokens[j]
        if token.text in {",", ".", ";", ":", "!", "?", "(", ")"} | set(CLOSING + "«"):
            if token.text == "," and apposition(s, j, lex):
                j = n
            elif token.text == ",":
                # "son directeur général, Rafael Grossi, qui …": the name belongs to the speaker.
                k = j + 1
                while k < n and (tokens[k].text[:1].isupper() or tokens[k].text == "-"):
                    k += 1
                if k > j + 1 and (k >= n or tokens[k].text in {",", "."}):
                    j = k
            break
        stop = token.folded in lex.speaker_stops or skippable(s, j, lex)
        if j > start and stop and token.folded not in {"de", "du", "des", "d'"}:
            break
        j += 1
    if j > n:
        j = n
    end_offset = tokens[j - 1].end if j > start else None
    if end_offset is None:
        return None, j
    return trim(s.text, tokens[start].start, end_offset, quotes=False), j


def apposition(s: SentenceView, comma: int, lex: Lexicon) -> bool:
    """Whether what follows the comma at `comma` is an apposition to the end of the sentence."""
    rest = s.tokens[comma + 1 :]
    words = [t for t in rest if t.text not in {".", "!", "?"}]
    if not words or len(words) > 10:
        return False
    folded = {t.folded for t in words}
    if folded & {"qui", "who", "which", "que", "that", "ajoutant", "adding", "citing", "citant"}:
        return False
    if any(lex.verb(t.text, t.lemma) for t in words):
        return False
    return words[0].text[:1].isupper() or words[0].folded in lex.determiners | {"l'", "un", "une"}


def clause_start(
    s: SentenceView, end: int, lex: Lexicon, floor: int = 0, openers: bool = True
) -> int:
    """The token index where the clause that ends at token `end` starts.

    Reported content before an inverted cue starts at the sentence (or
    after the attribution before it), whatever conjunctions it holds; a
    speaker before its verb starts after the last conjunction or relative
    ("…, quelques semaines après que Séoul a accusé …") when `openers`.
    """
    start = floor
    for k in range(floor, end):
        if s.quoted(s.tokens[k].start):
            continue
        if s.tokens[k].text in {";", ":"} and openers:
            start = k + 1
        if s.tokens[k].text == ";":
            start = k + 1
        if not openers:
            continue
        length = s.match(k, lex.openers)
        if length and k + length <= end:
            start = k + length
    return start


def content_after(
    s: SentenceView, i: int, lex: Lexicon, stop: int | None = None
) -> tuple[Span | None, int, list[int]]:
    """The content that follows a cue ending before token `i`: span, first index, gap tokens."""
    tokens = s.tokens
    n = len(tokens) if stop is None else stop
    gap: list[int] = []
    start = i
    for k in range(i, min(n, i + 8)):
        if tokens[k].folded in lex.content_openers or tokens[k].text == ":":
            if all(gap_word(s, g, lex) for g in range(i, k)):
                gap = list(range(i, k))
                start = k + 1
            break
    else:
        while start < n:
            skip = skippable(s, start, lex)
            if not skip:
                break
            gap.extend(range(start, start + skip))
            start += skip
    if start >= n:
        return None, start, gap
    end_offset = tokens[n - 1].end
    begin = tokens[start].start
    folded_tail = s.text[begin:end_offset]
    cut = content_end(folded_tail, lex)
    if cut is not None:
        end_offset = begin + cut
    return trim(s.text, begin, end_offset), start, gap


def gap_word(s: SentenceView, k: int, lex: Lexicon) -> bool:
    token = s.tokens[k]
    return (
        token.text[:1].isupper()
        or token.text.isdigit()
        or not token.text[:1].isalnum()
        or token.folded in FUNCTION_WORDS
        or token.folded in lex.months
        or token.folded in WEEKDAYS
        or token.folded in {"reporters", "journalists", "journalistes", "presse", "press"}
        or token.folded in {"agence", "agency", "interview", "entretien", "television"}
    )


def content_end(text: str, lex: Lexicon) -> int | None:
    """Where reported content ends in `text` (an offset), when something follows it."""
    folded = fold(text)
    if len(folded) != len(text):
        return None
    best: int | None = None
    for marker in lex.content_ends:
        at = folded.find(marker)
        if at > 0 and (best is None or at < best):
            best = at
    return best


def noun_phrase(s: SentenceView, i: int, lex: Lexicon, limit: int | None = None) -> Span | None:
    tokens = s.tokens
    n = len(tokens) if limit is None else min(limit, len(tokens))
    j = i
    while j < n:
        token = tokens[j]
        if token.text in {",", ".", ";", ":", "(", ")", "!", "?"} or token.text in CLOSING:
            break
        if j > i and token.folded in lex.speaker_stops and token.folded not in {"de", "du"}:
            break
        if j > i and token.folded in {"que", "qu'", "that", "as", "who", "qui"}:
            break
        j += 1
    if j == i:
        return None
    return trim(s.text, tokens[i].start, tokens[j - 1].end, quotes=False)


def media_phrase(s: SentenceView, i: int, last: int) -> int:
    """The end index of a news organisation's name at `i` ("l'agence Yonhap", "AFP"), or `i`."""
    tokens = s.tokens
    j = i
    if j < last and tokens[j].folded in {"l'", "la", "le", "les", "the"}:
        j += 1
    if j < last and tokens[j].folded in MEDIA_WORDS:
        j += 1
        while j < last and tokens[j].folded in {
            "officielle",
            "official",
            "state",
            "news",
            "publique",
            "d'etat",
        }:
            j += 1
    start = j
    while j < last and (tokens[j].text[:1].isupper() or tokens[j].text in {"-", "'"}):
        j += 1
    return j if j > start else i


def is_media(text: str, aliases: AliasTable) -> bool:
    known = aliases.find_source(text)
    if known is not None and known.kind.value in {"wire", "state-media", "outlet"}:
        return True
    return bool(set(fold(text).replace("'", " ").split()) & MEDIA_WORDS)


def citable(text: str, lex: Lexicon, aliases: AliasTable) -> bool:
    """Whether `text` after "citing" names a speaker (not "declassified intelligence")."""
    if aliases.find_source(text) is not None or aliases.country_of(text) is not None:
        return True
    words = text.split()
    if any(w[:1].isupper() for w in words):
        return True
    return bool({fold(w) for w in words} & lex.anonymous_heads)


@attrs.define
class Relays:
    relays: list[Span] = attrs.field(factory=list)
    origin: Span | None = None
    removed: list[Span] = attrs.field(factory=list)


def relays_in(
    s: SentenceView, first: int, last: int, lex: Lexicon, aliases: AliasTable, content: Span | None
) -> Relays:
    """Relays named in tokens first..last-1, outside the content."""
    found = Relays()
    k = first
    tokens = s.tokens
    while k < last:
        token = tokens[k]
        if content and content[0] <= token.start < content[1]:
            k += 1
            continue
        for phrases, kind in ((lex.relays_by, "by"), (lex.citing, "citing"), (lex.relays_to, "to")):
            length = s.match(k, phrases)
            if not length:
                continue
            if kind == "to":
                end = media_phrase(s, k + length, last)
                phrase = (
                    trim(s.text, tokens[k + length].start, tokens[end - 1].end, quotes=False)
                    if end > k + length
                    else None
                )
            else:
                phrase = noun_phrase(s, k + length, lex, last)
            if phrase is None:
                continue
            text = s.text[phrase[0] : phrase[1]]
            if kind == "to" and not is_media(text, aliases):
                continue
            if kind == "citing" and not citable(text, lex, aliases):
                continue
            if kind == "citing":
                found.origin = phrase
            else:
                found.relays.append(phrase)
            found.removed.append((token.start, phrase[1]))
            k = s.index_at(phrase[1])
            break
        else:
            k += 1
    return found


def hedging(s: SentenceView, content: Span, lex: Lexicon, past_cue: bool) -> Certainty:
    """The hedging that words in the content add."""
    certainty = Certainty.CERTAIN
    tokens = [t for t in s.tokens if content[0] <= t.start < content[1]]
    sub = SentenceView(s.text, s.span, tokens)
    for k, token in enumerate(tokens):
        if s.quoted(token.start) and lex.lang == "en":
            continue
        if sub.match(k, lex.hedges_possible):
            return Certainty.POSSIBLE
        if sub.match(k, lex.hedges_probable):
            certainty = Certainty.PROBABLE
        word = token.folded
        if word in lex.conditional_past and k + 1 < len(tokens):
            following = tokens[k + 1]
            if following.participle or following.folded in {"pu", "du", "ete", "eu"}:
                return Certainty.POSSIBLE
            if not past_cue:
                return Certainty.POSSIBLE
        if (
            lex.conditional_endings
            and not past_cue
            and any(word.endswith(e) for e in lex.conditional_endings)
            and len(word) > 5
        ):
            return Certainty.POSSIBLE
    return certainty
