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
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model import Certainty, Stance
from .aliases import AliasTable
from .article import Article, Sentence
from .lexicon import Lexicon, fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


__all__ = ["Attribution", "Span", "Token", "extract"]

Span = tuple[int, int]

_CLOSING = "»”\"’'"
_OPEN_QUOTES = '«“"'
_MAX_PHRASE = 6
_WEEKDAYS = _words(
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday "
    "thursday friday saturday sunday "
)
_FUNCTION = _words(
    "on in at to the a an this last next week month year earlier later also again le "
    "la les l' un une des de du d' a à au aux en ce cette dernier derniere soir matin "
    "semaine mois annee jour debut fin mi the of "
)
_NOUN_BEFORE = _words(
    "the a an these those such of by media press news its his her their our "
    "unconfirmed earlier recent some many several other previous "
)
_MEDIA_WORDS = _words(
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


class _Sentence:
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
        for length in range(1, _MAX_PHRASE + 1):
            if i + length > len(self.tokens):
                break
            if self.phrase(i, length) in wanted:
                best = length
        return best

    def match_before(self, end: int, phrases: Sequence[str] | frozenset[str]) -> int:
        """How many tokens ending just before index `end` form one of `phrases`, or 0."""
        wanted = phrases if isinstance(phrases, frozenset) else frozenset(phrases)
        best = 0
        for length in range(1, _MAX_PHRASE + 1):
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
    from .article import _quote_regions

    return _quote_regions(text, start, end)


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


def _cues(s: _Sentence, lex: Lexicon) -> list[_Cue]:
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
            and (tokens[i - 1].folded in _NOUN_BEFORE or token.text[:1].isupper())
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


def _auxiliary_start(s: _Sentence, verb: int, lex: Lexicon) -> int:
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


def _negated(s: _Sentence, first: int, verb: int, lex: Lexicon) -> bool:
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


# -- spans -----------------------------------------------------------------

_TRIM = " \t\u00a0\u202f,;:.-–—"


def _trim(text: str, start: int, end: int, quotes: bool = True) -> Span | None:
    """`start`..`end` without surrounding spaces and punctuation (and quotation marks).

    A quotation mark is kept when the span holds its partner: "la coopération
    «pour faire face … hostiles»" keeps its closing guillemet.
    """
    strip = _TRIM + (_OPEN_QUOTES + _CLOSING + "«»“”" if quotes else "")
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


def _skippable(s: _Sentence, i: int, lex: Lexicon) -> int:
    """How many tokens at `i` are a time, a place of saying or a similar aside, or 0."""
    tokens = s.tokens
    if i >= len(tokens):
        return 0
    length = s.match(i, lex.speaker_skip)
    if length:
        return length
    word = tokens[i].folded
    if word in _WEEKDAYS or word in lex.months:
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


def _speaker_after(s: _Sentence, i: int, lex: Lexicon) -> tuple[Span | None, int]:
    """The speaker that follows an inverted cue at token `i`; and the index after it."""
    tokens = s.tokens
    n = len(tokens)
    while i < n:
        skip = _skippable(s, i, lex)
        to = s.match(i, lex.relays_to)
        if not skip and to:
            end = _media_phrase(s, i + to, n)
            if end > i + to:
                skip = end - i
        if not skip:
            break
        i += skip
    start = i
    j = i
    while j < n:
        token = tokens[j]
        if token.text in {",", ".", ";", ":", "!", "?", "(", ")"} | set(_CLOSING + "«"):
            if token.text == "," and _apposition(s, j, lex):
                j = n
            elif token.text == ",":
                # "son directeur général, Rafael Grossi, qui …": the name belongs to the speaker.
                k = j + 1
                while k < n and (tokens[k].text[:1].isupper() or tokens[k].text == "-"):
                    k += 1
                if k > j + 1 and (k >= n or tokens[k].text in {",", "."}):
                    j = k
            break
        stop = token.folded in lex.speaker_stops or _skippable(s, j, lex)
        if j > start and stop and token.folded not in {"de", "du", "des", "d'"}:
            break
        j += 1
    if j > n:
        j = n
    end_offset = tokens[j - 1].end if j > start else None
    if end_offset is None:
        return None, j
    return _trim(s.text, tokens[start].start, end_offset, quotes=False), j


def _apposition(s: _Sentence, comma: int, lex: Lexicon) -> bool:
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


def _clause_start(
    s: _Sentence, end: int, lex: Lexicon, floor: int = 0, openers: bool = True
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


def _content_after(
    s: _Sentence, i: int, lex: Lexicon, stop: int | None = None
) -> tuple[Span | None, int, list[int]]:
    """The content that follows a cue ending before token `i`: span, first index, gap tokens."""
    tokens = s.tokens
    n = len(tokens) if stop is None else stop
    gap: list[int] = []
    start = i
    for k in range(i, min(n, i + 8)):
        if tokens[k].folded in lex.content_openers or tokens[k].text == ":":
            if all(_gap_word(s, g, lex) for g in range(i, k)):
                gap = list(range(i, k))
                start = k + 1
            break
    else:
        while start < n:
            skip = _skippable(s, start, lex)
            if not skip:
                break
            gap.extend(range(start, start + skip))
            start += skip
    if start >= n:
        return None, start, gap
    end_offset = tokens[n - 1].end
    begin = tokens[start].start
    folded_tail = s.text[begin:end_offset]
    cut = _content_end(folded_tail, lex)
    if cut is not None:
        end_offset = begin + cut
    return _trim(s.text, begin, end_offset), start, gap


def _gap_word(s: _Sentence, k: int, lex: Lexicon) -> bool:
    token = s.tokens[k]
    return (
        token.text[:1].isupper()
        or token.text.isdigit()
        or not token.text[:1].isalnum()
        or token.folded in _FUNCTION
        or token.folded in lex.months
        or token.folded in _WEEKDAYS
        or token.folded in {"reporters", "journalists", "journalistes", "presse", "press"}
        or token.folded in {"agence", "agency", "interview", "entretien", "television"}
    )


def _content_end(text: str, lex: Lexicon) -> int | None:
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


# -- relays ----------------------------------------------------------------


def _noun_phrase(s: _Sentence, i: int, lex: Lexicon, limit: int | None = None) -> Span | None:
    tokens = s.tokens
    n = len(tokens) if limit is None else min(limit, len(tokens))
    j = i
    while j < n:
        token = tokens[j]
        if token.text in {",", ".", ";", ":", "(", ")", "!", "?"} or token.text in _CLOSING:
            break
        if j > i and token.folded in lex.speaker_stops and token.folded not in {"de", "du"}:
            break
        if j > i and token.folded in {"que", "qu'", "that", "as", "who", "qui"}:
            break
        j += 1
    if j == i:
        return None
    return _trim(s.text, tokens[i].start, tokens[j - 1].end, quotes=False)


def _media_phrase(s: _Sentence, i: int, last: int) -> int:
    """The end index of a news organisation's name at `i` ("l'agence Yonhap", "AFP"), or `i`."""
    tokens = s.tokens
    j = i
    if j < last and tokens[j].folded in {"l'", "la", "le", "les", "the"}:
        j += 1
    if j < last and tokens[j].folded in _MEDIA_WORDS:
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


def _is_media(text: str, aliases: AliasTable) -> bool:
    known = aliases.find_source(text)
    if known is not None and known.kind.value in {"wire", "state-media", "outlet"}:
        return True
    return bool(set(fold(text).replace("'", " ").split()) & _MEDIA_WORDS)


def _citable(text: str, lex: Lexicon, aliases: AliasTable) -> bool:
    """Whether `text` after "citing" names a speaker (not "declassified intelligence")."""
    if aliases.find_source(text) is not None or aliases.country_of(text) is not None:
        return True
    words = text.split()
    if any(w[:1].isupper() for w in words):
        return True
    return bool({fold(w) for w in words} & lex.anonymous_heads)


@attrs.define
class _Relays:
    relays: list[Span] = attrs.field(factory=list)
    origin: Span | None = None
    removed: list[Span] = attrs.field(factory=list)


def _relays_in(
    s: _Sentence, first: int, last: int, lex: Lexicon, aliases: AliasTable, content: Span | None
) -> _Relays:
    """Relays named in tokens first..last-1, outside the content."""
    found = _Relays()
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
                end = _media_phrase(s, k + length, last)
                phrase = (
                    _trim(s.text, tokens[k + length].start, tokens[end - 1].end, quotes=False)
                    if end > k + length
                    else None
                )
            else:
                phrase = _noun_phrase(s, k + length, lex, last)
            if phrase is None:
                continue
            text = s.text[phrase[0] : phrase[1]]
            if kind == "to" and not _is_media(text, aliases):
                continue
            if kind == "citing" and not _citable(text, lex, aliases):
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


# -- hedging ---------------------------------------------------------------


def _hedging(
    s: _Sentence, content: Span, lex: Lexicon, cue: _Cue | None, past_cue: bool
) -> Certainty:
    """The hedging that words in the content add."""
    certainty = Certainty.CERTAIN
    tokens = [t for t in s.tokens if content[0] <= t.start < content[1]]
    sub = _Sentence(s.text, s.span, tokens)
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
        s = _Sentence(article.text, sentence, tokens[position:end])
        position = end
        found.extend(_sentence_attributions(s, index, lex, aliases))
    return found


def _sentence_attributions(
    s: _Sentence, index: int, lex: Lexicon, aliases: AliasTable
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
    s: _Sentence, cue: _Cue, lex: Lexicon, aliases: AliasTable, floor: int
) -> list[Attribution]:
    tokens = s.tokens
    text = s.text
    cue_span = (tokens[cue.first].start, tokens[cue.last].end)
    before = text[s.span.start : cue_span[0]].rstrip(" \u00a0\u202f")
    after = cue.last + 1
    inverted = bool(before) and before[-1] in "," + _CLOSING
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
        speaker, tail_start = _speaker_after(s, speaker_tokens, lex)
        start = _clause_start(s, cue.first, lex, floor, openers=False)
        content = _trim(text, tokens[start].start if start < len(tokens) else 0, cue_span[0])
    elif inverted:
        start = _clause_start(s, cue.first, lex, floor, openers=False)
        start = min(start, cue.first)
        content = _trim(text, tokens[start].start, cue_span[0]) if start < cue.first else None
        if cue.pronoun:
            role = "pronoun"
            tail_start = after
        else:
            speaker, tail_start = _speaker_after(s, after, lex)
    else:
        if cue.inverted_only and lex.lang == "fr":
            return []
        speaker_before = _speaker_before(s, cue, lex, floor)
        content, tail_start, gap = _content_after(s, after, lex)
        ends_here = content is None or _only_asides(s, after, lex, tokens[cue.verb])
        if lex.lang == "en" and ends_here:
            # "…, Taiwan's defence ministry said." or "…, Shin told foreign reporters."
            comma = _last_comma(s, cue.first, floor)
            if comma is None:
                return []
            start = _clause_start(s, comma, lex, floor, openers=False)
            content = _trim(text, tokens[start].start, tokens[comma].start)
            speaker = _trim(text, tokens[comma].end, cue_span[0], quotes=False)
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
    relays = _relays_in(s, scan, relay_end, lex, aliases, content)
    if speaker is not None:
        first = s.index_at(speaker[0])
        last = s.index_at(speaker[1])
        inner = _relays_in(s, first, last, lex, aliases, None)
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
            certainty = _hedging(s, piece, lex, cue, past)
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
    trimmed = _trim(text, start, end, quotes=False)
    return trimmed if trimmed is not None else span


def _speaker_before(s: _Sentence, cue: _Cue, lex: Lexicon, floor: int) -> Span | None:
    tokens = s.tokens
    start = _clause_start(s, cue.first, lex, floor)
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
            t.folded in _FUNCTION
            or t.folded in lex.months
            or t.folded in _WEEKDAYS
            or t.text.isdigit()
            or t.folded in {"however", "meanwhile", "cependant", "toutefois"}
            or t.folded in {"pour", "sa", "part", "son", "cote", "quant", "lui"}
            for t in chunk
        ):
            k = commas[0] + 1
            continue
        break
    while k < cue.first and tokens[k].text in _CLOSING + _OPEN_QUOTES + ",":
        k += 1
    if k >= cue.first:
        return None
    return _trim(s.text, tokens[k].start, tokens[cue.first - 1].end, quotes=False)


def _last_comma(s: _Sentence, end: int, floor: int) -> int | None:
    """The last comma (or closing quotation mark) before token `end`, outside quotations."""
    for k in range(end - 1, floor - 1, -1):
        token = s.tokens[k]
        if token.text == "," and not s.quoted(token.start):
            return k
        if token.text in _CLOSING and any(b - 1 == token.start for _, b in s.quotes):
            return k
    return None


def _inverted_reading(s: _Sentence, after: int, lex: Lexicon) -> bool:
    """Whether a cue after a comma or a quotation is an incise ("…, a indiqué X").

    It is not when a "que" / "that" / colon opens content after it, or when
    what follows it is not a short speaker ending the clause: "X, sous
    couvert d'anonymat, a estimé que …"; "Grossi, a jugé la situation « … »".
    """
    tokens = s.tokens
    n = len(tokens)
    for k in range(after, min(n, after + 8)):
        if tokens[k].folded in lex.content_openers or tokens[k].text == ":":
            if all(_gap_word(s, g, lex) for g in range(after, k)):
                return False
            break
    speaker, end = _speaker_after(s, after, lex)
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
        or bool(_skippable(s, end, lex))
    )


def _only_asides(s: _Sentence, i: int, lex: Lexicon, verb: Token) -> bool:
    """Whether the tokens from `i` to the end are asides (time, place, addressee, relays)."""
    tokens = s.tokens
    n = len(tokens)
    k = i
    while k < n:
        token = tokens[k]
        if token.text in {".", "!", "?"} or token.text in _CLOSING:
            k += 1
            continue
        if token.text == ",":
            nxt = k + 1
            return nxt < n and bool(
                s.match(nxt, lex.citing)
                or s.match(nxt, lex.relays_by)
                or s.match(nxt, lex.prepositions)
            )
        skip = _skippable(s, k, lex)
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


def _split_content(s: _Sentence, content: Span, lex: Lexicon) -> list[Span]:
    """Content split at "… and that …" / "… et que …" into its statements."""
    text = s.text
    body = text[content[0] : content[1]]
    for joiner in (" and that ", " et que ", " et qu'", " et qu’"):
        at = body.find(joiner)
        if at > 0 and not s.quoted(content[0] + at):
            first = _trim(text, content[0], content[0] + at)
            second = _trim(text, content[0] + at + len(joiner), content[1])
            return [p for p in (first, second) if p is not None]
    return [content]


def _participle_attribution(
    s: _Sentence, cue: _Cue, lex: Lexicon, previous: list[Attribution]
) -> list[Attribution]:
    if not previous:
        return []
    tokens = s.tokens
    content, _, _ = _content_after(s, cue.last + 1, lex)
    if content is None:
        return []
    last = previous[-1]
    start = tokens[cue.first].start
    if last.content[0] < start <= last.content[1]:
        # "a démenti toute implication et accusé Moscou …": the first content stops at "et".
        cut = _trim(s.text, last.content[0], start)
        if cut is not None:
            text = s.text[cut[0] : cut[1]]
            for joiner in (" et", " and"):
                if text.endswith(joiner):
                    cut = _trim(s.text, cut[0], cut[1] - len(joiner)) or cut
            last.content = cut
    made = Attribution(
        content,
        (tokens[cue.first].start, tokens[cue.last].end),
        last.speaker,
        "previous",
        cue.stance,
        _hedging(s, content, lex, cue, True),
        list(last.relays),
    )
    return [made]


def _relay_of_verb(
    s: _Sentence,
    cue: _Cue,
    verbs: list[_Cue],
    result: list[Attribution],
    lex: Lexicon,
    aliases: AliasTable,
) -> bool:
    """A "selon Y" in a sentence with a reporting verb names a relay: add it."""
    phrase = _noun_phrase(s, cue.last + 1, lex)
    if phrase is None:
        return False
    if not result:
        return False
    offset = s.tokens[cue.first].start
    target = min(result, key=lambda a: abs(a.region[1] - offset))
    if (
        target.cue is not None
        and offset < target.cue[0]
        and not _is_media(s.text[phrase[0] : phrase[1]], aliases)
    ):
        return False
    target.relays.append(phrase)
    return True


def _preposition_attribution(
    s: _Sentence, cue: _Cue, lex: Lexicon, aliases: AliasTable, floor: int
) -> list[Attribution]:
    tokens = s.tokens
    text = s.text
    cue_span = (tokens[cue.first].start, tokens[cue.last].end)
    start = _clause_start(s, cue.first, lex, floor, openers=False)
    leading = all(
        tokens[k].text in _OPEN_QUOTES + _CLOSING + "," or _skippable(s, k, lex)
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
        speaker = _trim(text, tokens[cue.last + 1].start, tokens[comma - 1].end, quotes=False)
        content, _, _ = _content_after(s, comma + 1, lex)
        first_speaker, last_speaker = cue.last + 1, comma
    else:
        content = _trim(text, tokens[start].start, cue_span[0])
        speaker, after = _speaker_after(s, cue.last + 1, lex)
        first_speaker, last_speaker = cue.last + 1, after
    if speaker is None or content is None:
        return []
    relays = _relays_in(s, first_speaker, last_speaker, lex, aliases, None)
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
        _hedging(s, content, lex, None, False),
    )
    if relays.origin is not None:
        made.relays = [_without(speaker, relays.removed, text), *relays.relays]
        made.speaker = relays.origin
    else:
        made.relays = relays.relays
        made.speaker = _without(speaker, relays.removed, text)
    return [made]


def _standalone(s: _Sentence, index: int, lex: Lexicon) -> list[Attribution]:
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
            content = _trim(text, start, s.span.end)
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
    s: _Sentence, index: int, found: list[Attribution], lex: Lexicon
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
    span = _trim(text, start, end, quotes=False)
    if span is None:
        return None
    words = text[span[0] : span[1]].split()
    if len(words) < 4:
        return None
    return Attribution(span, None, None, "outlet", sentence=index)
