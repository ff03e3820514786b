"""Finding attributions in an article's sentences, by rules over tokens.

For each sentence, `extract` finds the reporting cues of the lexicon (verbs
with their auxiliaries, "selon" / "according to", participles such as
"ajoutant", hedges such as "reportedly" standing alone), decides for each
which side holds the reported content and which the speaker (an inverted
cue, "…, a indiqué X" or "…, X said", has its content before it), and
collects the relays around it ("cité par Y", "citing Y", "told Reuters", a
trailing "selon l'agence Y").  What it finds is a list of `Attribution`:
offsets into the article, not yet sources; `resolve` turns speakers into
sources.  Sentences with no cue are the outlet's own statements.

It is longer than most modules because its rules read one sentence
together: where the cue stands decides where the speaker, the content and
the relays are looked for, so the patterns for cues, speakers, content and
relays call one another and are kept side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model import Certainty, Stance
from .aliases import AliasTable
from .article import Article
from .clauses import (
    clause_start,
    content_after,
    gap_word,
    hedging,
    is_media,
    noun_phrase,
    relays_in,
    speaker_after,
)
from .lexicon import Lexicon, fold
from .tokens import (
    CLOSING,
    FUNCTION_WORDS,
    NOUN_BEFORE,
    OPEN_QUOTES,
    WEEKDAYS,
    SentenceView,
    Span,
    Token,
    skippable,
    trim,
)

__all__ = ["Attribution", "Span", "Token", "extract"]


@attrs.define
class Attribution:
    """One reported statement found in an article, before its speaker is resolved.

    Attributes:
        content: The reported content (offsets into the article).
        cue: The reporting words, or None for the outlet's own voice.
        speaker: The words that name the speaker, or None (the outlet, the wire).
        speaker_role: How the speaker is named: ``mention`` (a name or a
            description), ``pronoun``, ``same`` ("la même source"),
            ``latter`` ("ce dernier"), ``previous`` (a participle goes on
            with the speaker before it), ``wire`` (the article's own wire:
            "reportedly", a conditional) or ``outlet`` (its own voice).
        stance: Whether the speaker asserts or denies the content.
        certainty: How sure the speaker sounds.
        relays: Words naming each relay, nearest the origin first.
        sentence: Index of its sentence.
    """

    content: Span
    cue: Span | None
    speaker: Span | None
    speaker_role: str
    stance: Stance = Stance.ASSERTS
    certainty: Certainty = Certainty.CERTAIN
    relays: list[Span] = attrs.field(factory=list)
    sentence: int = 0

    @property
    def region(self) -> Span:
        """The stretch of the sentence that the attribution takes."""
        spans = [s for s in (self.content, self.cue, self.speaker) if s is not None]
        return min(s[0] for s in spans), max(s[1] for s in spans)


_RANK = {Certainty.CERTAIN: 0, Certainty.PROBABLE: 1, Certainty.POSSIBLE: 2}


def weakest(*values: Certainty) -> Certainty:
    """The least certain of `values`."""
    return max(values, key=lambda value: _RANK[value])


# -- the cue finder --------------------------------------------------------


@attrs.define
class _Cue:
    first: int  # token index where the cue starts (auxiliary)
    verb: int  # token index of the verb (or the preposition's first token)
    last: int  # token index where the cue ends (inclusive)
    stance: Stance
    certainty: Certainty
    role: str  # verb, preposition, participle, standalone
    inverted_only: bool = False
    impersonal: bool = False
    pronoun: bool = False  # "a-t-il", "dit-elle"


def _cues(s: SentenceView, lex: Lexicon) -> list[_Cue]:
    cues: list[_Cue] = []
    tokens = s.tokens
    taken: set[int] = set()
    for i, token in enumerate(tokens):
        if s.quoted(token.start) or i in taken:
            continue
        length = s.match(i, lex.prepositions)
        relative = i + length < len(tokens) and tokens[i + length].folded in {
            "laquelle",
            "lequel",
            "lesquels",
            "lesquelles",
            "which",
            "whom",
        }
        if length and not relative:
            cues.append(
                _Cue(i, i, i + length - 1, Stance.ASSERTS, Certainty.CERTAIN, "preposition")
            )
            taken.update(range(i, i + length))
            continue
        if token.folded in lex.participles and i > 0 and tokens[i - 1].text == ",":
            cues.append(_Cue(i, i, i, Stance.ASSERTS, Certainty.CERTAIN, "participle"))
            continue
        sense = lex.verb(token.text, token.lemma if lex.lang == "fr" else None)
        if sense is None or token.infinitive:
            continue
        if (
            lex.lang == "en"
            and i > 0
            and (tokens[i - 1].folded in NOUN_BEFORE or token.text[:1].isupper())
        ):
            continue  # a noun ("the reports") or a name ("the United States")
        if (
            i > 0
            and lex.verb(tokens[i - 1].text, tokens[i - 1].lemma)
            and tokens[i - 1].folded not in lex.auxiliaries
        ):
            continue  # "rejected claims": a noun after a verb
        first = _auxiliary_start(s, i, lex)
        if _negated(s, first, i, lex):
            continue
        if i > 0 and tokens[i - 1].folded in {"se", "s'"}:
            continue  # "se rejettent", "s'est rendu": not a saying
        if first == i and token.participle and lex.lang == "fr":
            before = tokens[i - 1].folded if i > 0 else ""
            if before == "et" and any(c.role == "verb" for c in cues):
                # "a démenti … et accusé Moscou …": the same speaker goes on.
                cues.append(_Cue(i, i, i, sense.stance, sense.certainty, "participle"))
                continue
            if before not in (",", "»"):
                continue  # a participle used as an adjective: "les chiffres annoncés"
        last = i
        pronoun = False
        while (
            last + 1 < len(tokens)
            and tokens[last + 1].text.startswith("-")
            and (tokens[last + 1].folded.lstrip("-") in {"t", "il", "elle", "on", "ils", "elles"})
        ):
            last += 1
            pronoun = True
        pronoun = pronoun or any(
            tokens[k].text.startswith("-") and tokens[k].folded.lstrip("-") != "t"
            for k in range(first, i)
        )
        cues.append(
            _Cue(
                first,
                i,
                last,
                sense.stance,
                sense.certainty,
                "verb",
                sense.inverted_only,
                sense.impersonal,
                pronoun,
            )
        )
    return cues


def _auxiliary_start(s: SentenceView, verb: int, lex: Lexicon) -> int:
    """Where a verb's cue starts: at its auxiliary, over adverbs and incises between."""
    tokens = s.tokens
    k = verb - 1
    first = verb
    steps = 0
    while k >= 0 and steps < 6:
        token = tokens[k]
        if token.folded in lex.auxiliaries:
            first = k
            k -= 1
            steps += 1
            continue
        if token.text.startswith("-") and token.folded.lstrip("-") in {"t", "il", "elle", "on"}:
            k -= 1
            steps += 1
            continue
        between = s.match_before(k + 1, lex.between)
        if between:
            k -= between
            steps += between
            continue
        if token.text == ",":
            k -= 1
            steps += 1
            continue
        break
    return first


def _negated(s: SentenceView, first: int, verb: int, lex: Lexicon) -> bool:
    for k in range(verb - 1, max(0, first - 2) - 1, -1):
        word = s.tokens[k].folded
        if not s.tokens[k].text[:1].isalnum() and word not in {"n't", "n'"}:
            break
        if word in lex.negations or word in {"n't", "pas"}:
            return True
    # "ce que Téhéran a toujours démenti", "a charge it denies": a relative clause.
    for k in range(max(0, first - 3), first):
        relative = s.tokens[k].folded in {"que", "qu'", "which"}
        if relative and k > 0 and s.tokens[k - 1].folded in {"ce", "ce qu'", ","}:
            return True
    return False


# -- the rules -------------------------------------------------------------


def extract(
    article: Article,
    tokens: Sequence[Token],
    lex: Lexicon,
    aliases: AliasTable,
) -> list[Attribution]:
    """The attributions and own-voice statements of `article`, in text order.

    Args:
        article: The article, cut into sentences.
        tokens: Its tokens, in order (from the language's tokenizer).
        lex: The language's cue lexicon.
        aliases: The alias table (to tell news media among relays).
    """
    found: list[Attribution] = []
    position = 0
    for index, sentence in enumerate(article.sentences):
        while position < len(tokens) and tokens[position].start < sentence.start:
            position += 1
        end = position
        while end < len(tokens) and tokens[end].end <= sentence.end:
            end += 1
        s = SentenceView(article.text, sentence, tokens[position:end])
        position = end
        found.extend(_sentence_attributions(s, index, lex, aliases))
    return found


def _sentence_attributions(
    s: SentenceView, index: int, lex: Lexicon, aliases: AliasTable
) -> list[Attribution]:
    text = s.text
    cues = _cues(s, lex)
    verbs = [c for c in cues if c.role == "verb"]
    result: list[Attribution] = []
    for cue in cues:
        # Start after the attributions before this cue, unless this one encloses them.
        floor = 0
        for earlier in result:
            end = s.index_at(earlier.region[1])
            if end <= cue.first and not (earlier.content[1] >= s.tokens[cue.first].start):
                floor = max(floor, end)
        if cue.role == "verb":
            made = _verb_attribution(s, cue, lex, aliases, floor)
        elif cue.role == "participle":
            made = _participle_attribution(s, cue, lex, result)
        elif cue.role == "preposition":
            if verbs and _relay_of_verb(s, cue, verbs, result, lex, aliases):
                continue
            made = _preposition_attribution(s, cue, lex, aliases, floor)
        else:
            made = []
        for attribution in made:
            attribution.sentence = index
            result.append(attribution)

    def inside(a: Attribution, b: Attribution) -> bool:
        return a.cue is not None and b.content[0] <= a.cue[0] and a.cue[1] <= b.content[1]

    # Reported speech nested in reported content belongs to the outer speaker;
    # of two attributions each inside the other's content, the later cue is the outer one.
    result = [
        a
        for a in result
        if not any(
            b is not a and inside(a, b) and not (inside(b, a) and a.cue > b.cue)  # type: ignore[operator]
            for b in result
        )
    ]
    if not result:
        result = _standalone(s, index, lex)
    if not s.span.heading:
        own = _own_voice(s, index, result, lex)
        if own is not None:
            result.insert(0, own)
    result.sort(key=lambda a: a.region[0])
    del text
    return result


def _verb_attribution(
    s: SentenceView, cue: _Cue, lex: Lexicon, aliases: AliasTable, floor: int
) -> list[Attribution]:
    tokens = s.tokens
    text = s.text
    cue_span = (tokens[cue.first].start, tokens[cue.last].end)
    before = text[s.span.start : cue_span[0]].rstrip(" \u00a0\u202f")
    after = cue.last + 1
    inverted = bool(before) and before[-1] in "," + CLOSING
    if inverted and not cue.pronoun and not cue.impersonal:
        inverted = _inverted_reading(s, after, lex)
        # Content before an incise is a clause: "Le porte-parole, cité par Irna, a rejeté …" is not.
        floor_start = s.tokens[floor].start if floor < len(tokens) else s.span.start
        if inverted and not any(t.finite for t in tokens[: cue.first] if t.start >= floor_start):
            inverted = False
    speaker: Span | None = None
    role = "mention"
    content: Span | None = None
    tail_start = after
    gap: list[int] = []
    if cue.impersonal:
        speaker_tokens = None
        for k in range(after, len(tokens)):
            length = s.match(k, lex.impersonal_after)
            if length:
                speaker_tokens = k + length
                break
        if speaker_tokens is None:
            return []
        speaker, tail_start = speaker_after(s, speaker_tokens, lex)
        start = clause_start(s, cue.first, lex, floor, openers=False)
        content = trim(text, tokens[start].start if start < len(tokens) else 0, cue_span[0])
    elif inverted:
        start = clause_start(s, cue.first, lex, floor, openers=False)
        start = min(start, cue.first)
        content = trim(text, tokens[start].start, cue_span[0]) if start < cue.first else None
        if cue.pronoun:
            role = "pronoun"
            tail_start = after
        else:
            speaker, tail_start = speaker_after(s, after, lex)
    else:
        if cue.inverted_only and lex.lang == "fr":
            return []
        speaker_before = _speaker_before(s, cue, lex, floor)
        content, tail_start, gap = content_after(s, after, lex)
        ends_here = content is None or _only_asides(s, after, lex, tokens[cue.verb])
        if lex.lang == "en" and ends_here:
            # "…, Taiwan's defence ministry said." or "…, Shin told foreign reporters."
            comma = _last_comma(s, cue.first, floor)
            if comma is None:
                return []
            start = clause_start(s, comma, lex, floor, openers=False)
            content = trim(text, tokens[start].start, tokens[comma].start)
            speaker = trim(text, tokens[comma].end, cue_span[0], quotes=False)
            tail_start = after
            if cue.pronoun:
                role = "pronoun"
            inverted = True
        else:
            if cue.inverted_only:
                return []
            speaker = speaker_before
            if cue.pronoun:
                role = "pronoun"
    if content is None:
        return []
    if speaker is None and role == "mention":
        return []
    if speaker is not None and role == "mention":
        words = fold(text[speaker[0] : speaker[1]])
        if words in lex.pronouns:
            role = "pronoun"
        elif any(words == p or words.endswith(" " + p) for p in lex.same_source):
            role = "same"
        elif any(words == p for p in lex.latter):
            role = "latter"
    relay_end = len(tokens)
    scan = cue.first if not inverted else cue.last + 1
    if tokens[cue.verb].folded in lex.relays_to:
        scan = cue.verb  # "told Reuters"
    relays = relays_in(s, scan, relay_end, lex, aliases, content)
    if speaker is not None:
        first = s.index_at(speaker[0])
        last = s.index_at(speaker[1])
        inner = relays_in(s, first, last, lex, aliases, None)
        relays.relays = inner.relays + relays.relays
        relays.origin = relays.origin or inner.origin
        relays.removed += inner.removed
    # Trailing "selon l'agence Y" / "according to Y" after the content: a relay.
    past = any(tokens[k].folded not in lex.auxiliaries for k in range(cue.first, cue.verb))
    past = past or cue.first < cue.verb or _past_form(tokens[cue.verb], lex)
    attributions = []
    pieces = _split_content(s, content, lex) if not inverted else [content]
    for piece in pieces:
        certainty = cue.certainty
        if certainty is Certainty.CERTAIN:
            certainty = hedging(s, piece, lex, past)
        made = Attribution(
            piece,
            cue_span,
            speaker,
            role,
            cue.stance,
            certainty,
        )
        if relays.origin is not None and speaker is not None:
            made.relays = [_without(speaker, relays.removed, text), *relays.relays]
            made.speaker = relays.origin
            made.speaker_role = "mention"
        else:
            made.relays = list(relays.relays)
            if speaker is not None:
                made.speaker = _without(speaker, relays.removed, text)
        attributions.append(made)
    del gap, tail_start
    return [a for a in attributions if a.speaker is None or a.speaker[1] > a.speaker[0]]


def _past_form(token: Token, lex: Lexicon) -> bool:
    if lex.lang == "en":
        return token.folded.endswith("ed") or token.folded in {"said", "told", "wrote", "thought"}
    return token.participle


def _without(span: Span, removed: list[Span], text: str) -> Span:
    """`span` cut before the first relay phrase inside it."""
    start, end = span
    for a, _ in removed:
        if start < a < end:
            end = a
    trimmed = trim(text, start, end, quotes=False)
    return trimmed if trimmed is not None else span


def _speaker_before(s: SentenceView, cue: _Cue, lex: Lexicon, floor: int) -> Span | None:
    tokens = s.tokens
    start = clause_start(s, cue.first, lex, floor)
    if start >= cue.first:
        return None
    # A leading aside before a comma ("En septembre, …", "Mardi, …") is not the speaker.
    k = start
    while k < cue.first and not s.quoted(tokens[k].start):
        commas = [j for j in range(k, min(cue.first, k + 5)) if tokens[j].text == ","]
        if not commas:
            break
        chunk = [tokens[j] for j in range(k, commas[0])]
        if chunk and all(
            t.folded in FUNCTION_WORDS
            or t.folded in lex.months
            or t.folded in WEEKDAYS
            or t.text.isdigit()
            or t.folded in {"however", "meanwhile", "cependant", "toutefois"}
            or t.folded in {"pour", "sa", "part", "son", "cote", "quant", "lui"}
            for t in chunk
        ):
            k = commas[0] + 1
            continue
        break
    while k < cue.first and tokens[k].text in CLOSING + OPEN_QUOTES + ",":
        k += 1
    if k >= cue.first:
        return None
    return trim(s.text, tokens[k].start, tokens[cue.first - 1].end, quotes=False)


def _last_comma(s: SentenceView, end: int, floor: int) -> int | None:
    """The last comma (or closing quotation mark) before token `end`, outside quotations."""
    for k in range(end - 1, floor - 1, -1):
        token = s.tokens[k]
        if token.text == "," and not s.quoted(token.start):
            return k
        if token.text in CLOSING and any(b - 1 == token.start for _, b in s.quotes):
            return k
    return None


def _inverted_reading(s: SentenceView, after: int, lex: Lexicon) -> bool:
    """Whether a cue after a comma or a quotation is an incise ("…, a indiqué X").

    It is not when a "que" / "that" / colon opens content after it, or when
    what follows it is not a short speaker ending the clause: "X, sous
    couvert d'anonymat, a estimé que …"; "Grossi, a jugé la situation « … »".
    """
    tokens = s.tokens
    n = len(tokens)
    for k in range(after, min(n, after + 8)):
        if tokens[k].folded in lex.content_openers or tokens[k].text == ":":
            if all(gap_word(s, g, lex) for g in range(after, k)):
                return False
            break
    speaker, end = speaker_after(s, after, lex)
    if speaker is None:
        return True
    first = s.index_at(speaker[0])
    last = s.index_at(speaker[1])
    core = list(tokens[first:last])
    comma = next((k for k, t in enumerate(core) if t.text == ","), len(core))
    if comma > 14 or any(lex.verb(t.text, t.lemma) for t in core[:comma]):
        return False
    opening = core[0] if core else None
    if opening is not None and not (
        opening.text[:1].isupper()
        or opening.folded in lex.determiners | lex.indefinite | lex.possessives
        or opening.folded in {"l'", "ce", "cette", "ces", "this", "these", "its"}
    ):
        return False
    if end >= n:
        return True
    stop = tokens[end]
    return (
        stop.text in {",", ".", "!", "?", ";", "("}
        or stop.folded in lex.speaker_stops
        or bool(skippable(s, end, lex))
    )


def _only_asides(s: SentenceView, i: int, lex: Lexicon, verb: Token) -> bool:
    """Whether the tokens from `i` to the end are asides (time, place, addressee, relays)."""
    tokens = s.tokens
    n = len(tokens)
    k = i
    while k < n:
        token = tokens[k]
        if token.text in {".", "!", "?"} or token.text in CLOSING:
            k += 1
            continue
        if token.text == ",":
            nxt = k + 1
            return nxt < n and bool(
                s.match(nxt, lex.citing)
                or s.match(nxt, lex.relays_by)
                or s.match(nxt, lex.prepositions)
            )
        skip = skippable(s, k, lex)
        if skip:
            k += skip
            continue
        if token.folded in lex.speaker_stops or s.match(k, lex.relays_by) or s.match(k, lex.citing):
            return True
        if k == i and token.folded in {"reporters", "journalists", "supporters", "lawmakers"}:
            k += 1
            continue
        if (
            k == i
            and verb.folded in {"told", "tells", "tell"}
            and (token.text[:1].isupper() or token.folded in {"foreign", "local", "state"})
        ):
            # an addressee: "told Reuters", "told foreign reporters"
            j = k
            while (
                j < n
                and tokens[j].text not in {",", "."}
                and tokens[j].folded not in (lex.speaker_stops | {"that"})
            ):
                j += 1
            if j < n and tokens[j].folded == "that":
                return False
            if j - k <= 3:
                k = j
                continue
        return False
    return True


def _split_content(s: SentenceView, content: Span, lex: Lexicon) -> list[Span]:
    """Content split at "… and that …" / "… et que …" into its statements."""
    text = s.text
    body = text[content[0] : content[1]]
    for joiner in (" and that ", " et que ", " et qu'", " et qu’"):
        at = body.find(joiner)
        if at > 0 and not s.quoted(content[0] + at):
            first = trim(text, content[0], content[0] + at)
            second = trim(text, content[0] + at + len(joiner), content[1])
            return [p for p in (first, second) if p is not None]
    return [content]


def _participle_attribution(
    s: SentenceView, cue: _Cue, lex: Lexicon, previous: list[Attribution]
) -> list[Attribution]:
    if not previous:
        return []
    tokens = s.tokens
    content, _, _ = content_after(s, cue.last + 1, lex)
    if content is None:
        return []
    last = previous[-1]
    start = tokens[cue.first].start
    if last.content[0] < start <= last.content[1]:
        # "a démenti toute implication et accusé Moscou …": the first content stops at "et".
        cut = trim(s.text, last.content[0], start)
        if cut is not None:
            text = s.text[cut[0] : cut[1]]
            for joiner in (" et", " and"):
                if text.endswith(joiner):
                    cut = trim(s.text, cut[0], cut[1] - len(joiner)) or cut
            last.content = cut
    made = Attribution(
        content,
        (tokens[cue.first].start, tokens[cue.last].end),
        last.speaker,
        "previous",
        cue.stance,
        hedging(s, content, lex, True),
        list(last.relays),
    )
    return [made]


def _relay_of_verb(
    s: SentenceView,
    cue: _Cue,
    verbs: list[_Cue],
    result: list[Attribution],
    lex: Lexicon,
    aliases: AliasTable,
) -> bool:
    """A "selon Y" in a sentence with a reporting verb names a relay: add it."""
    phrase = noun_phrase(s, cue.last + 1, lex)
    if phrase is None:
        return False
    if not result:
        return False
    offset = s.tokens[cue.first].start
    target = min(result, key=lambda a: abs(a.region[1] - offset))
    if (
        target.cue is not None
        and offset < target.cue[0]
        and not is_media(s.text[phrase[0] : phrase[1]], aliases)
    ):
        return False
    target.relays.append(phrase)
    return True


def _preposition_attribution(
    s: SentenceView, cue: _Cue, lex: Lexicon, aliases: AliasTable, floor: int
) -> list[Attribution]:
    tokens = s.tokens
    text = s.text
    cue_span = (tokens[cue.first].start, tokens[cue.last].end)
    start = clause_start(s, cue.first, lex, floor, openers=False)
    leading = all(
        tokens[k].text in OPEN_QUOTES + CLOSING + "," or skippable(s, k, lex)
        for k in range(start, cue.first)
    )
    if leading:
        # "Selon X, C": the speaker runs to the comma (over ", citant Y,").
        k = cue.last + 1
        comma = None
        while k < len(tokens):
            if tokens[k].text == "," and not s.quoted(tokens[k].start):
                if k + 1 < len(tokens) and s.match(k + 1, lex.citing):
                    k += 1
                    continue
                comma = k
                break
            k += 1
        if comma is None:
            return []
        speaker = trim(text, tokens[cue.last + 1].start, tokens[comma - 1].end, quotes=False)
        content, _, _ = content_after(s, comma + 1, lex)
        first_speaker, last_speaker = cue.last + 1, comma
    else:
        content = trim(text, tokens[start].start, cue_span[0])
        speaker, after = speaker_after(s, cue.last + 1, lex)
        first_speaker, last_speaker = cue.last + 1, after
    if speaker is None or content is None:
        return []
    relays = relays_in(s, first_speaker, last_speaker, lex, aliases, None)
    role = "mention"
    words = fold(text[speaker[0] : speaker[1]])
    if any(words == p for p in lex.same_source):
        role = "same"
    made = Attribution(
        content,
        cue_span,
        speaker,
        role,
        Stance.ASSERTS,
        hedging(s, content, lex, False),
    )
    if relays.origin is not None:
        made.relays = [_without(speaker, relays.removed, text), *relays.relays]
        made.speaker = relays.origin
    else:
        made.relays = relays.relays
        made.speaker = _without(speaker, relays.removed, text)
    return [made]


def _standalone(s: SentenceView, index: int, lex: Lexicon) -> list[Attribution]:
    """A hedge with no cue in its sentence ("reportedly", "aurait"): the wire's hedged claim."""
    tokens = s.tokens
    for k, token in enumerate(tokens):
        if s.quoted(token.start):
            continue
        if s.match(k, lex.standalone) == 1:
            text = s.text
            start = s.span.start
            colon = text.find(" : ", start, token.start)
            if colon < 0:
                colon = text.find(": ", start, token.start)
            if colon >= 0:
                start = colon + 2
            content = trim(text, start, s.span.end)
            if content is None:
                return []
            return [
                Attribution(
                    content,
                    (token.start, token.end),
                    None,
                    "wire",
                    Stance.ASSERTS,
                    Certainty.POSSIBLE,
                    sentence=index,
                )
            ]
    return []


def _own_voice(
    s: SentenceView, index: int, found: list[Attribution], lex: Lexicon
) -> Attribution | None:
    """The part of a sentence that the outlet states in its own voice, if any."""
    text = s.text
    start, end = s.span.start, s.span.end
    if found:
        first = min(a.region[0] for a in found)
        first_token = s.index_at(first)
        cut = first_token
        length = s.match_before(cut, lex.openers)
        if not length:
            return None
        end = s.tokens[cut - length].start
    span = trim(text, start, end, quotes=False)
    if span is None:
        return None
    words = text[span[0] : span[1]].split()
    if len(words) < 4:
        return None
    return Attribution(span, None, None, "outlet", sentence=index)
