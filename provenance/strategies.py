"""Hypothesis strategies for property tests of code that uses this library.

Every function returns a `SearchStrategy` of valid values: `ledgers` draws
whole ledgers with the structure real ones have (parties with a stake,
relay chains, dependent sources, denials, withdrawn and hedged claims,
public records, house rules); `sources`, `propositions`, `claims` and
`policies` draw the parts; `texts`, `ids`, `parties`, `urls` and `langs`
draw field values.  Text is hostile on purpose: markup, table pipes,
control characters, bidirectional overrides and every script, so that
whatever renders a ledger is tested against what a real file may hold.

This module imports hypothesis (the ``test`` extra); ``import provenance``
does not.  It is longer than the others because it is the one module users
import strategies from, and a third of it is the pools of realistic and
hostile values (words, names, statements, hosts) that the strategies draw.

>>> from hypothesis import given, settings
>>> @settings(max_examples=10)
... @given(ledgers(min_propositions=1))
... def test_every_claim_bears_on_a_proposition(ledger):
...     for claim in ledger.claims:
...         assert claim.proposition in {p.id for p in ledger.propositions}
>>> test_every_claim_bears_on_a_proposition()
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import currently_in_test_context, note
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .grading import Reliability
from .ledger import Ledger
from .model import Certainty, Claim, Proposition, Source, SourceKind, Stance, party_key
from .policy import Policy

__all__ = [
    "claims",
    "ids",
    "langs",
    "ledgers",
    "parties",
    "policies",
    "propositions",
    "sources",
    "texts",
    "urls",
]

T = TypeVar("T")

# Plain words, so that drawn text reads like a story and not only like an attack.
_WORDS = (
    "Pyongyang",
    "Moscow",
    "Seoul",
    "Washington",
    "Naryshkin",
    "Kim",
    "Putin",
    "visited",
    "said",
    "denied",
    "the",
    "talks",
    "reached",
    "complete",
    "consensus",
    "on",
    "7,000",
    "containers",
    "of",
    "munitions",
    "since",
    "July",
    "2023",
    "satellite",
    "technology",
    "summit",
    "Le chef du renseignement",
    "s'est déplacé",
    "selon",
    "a déclaré",
    "d'après",
)

# Fragments that break naive rendering, by kind; each kind is drawn as often
# as the others, however many fragments it has.
_HOSTILE = (
    # markup and file syntax: HTML, Markdown, templates, tables, TOML, JSON
    (
        "<script>alert(1)</script>",
        "<b>",
        "</td></tr>",
        "&amp;",
        "&lt;i&gt;",
        "&#x202e;",
        "**bold**",
        "_em_",
        "`code`",
        "# heading",
        "[x](javascript:alert(1))",
        "![img](http://example.invalid/x.png)",
        "{{ title }}",
        "${HOME}",
        "%s %d",
        "|",
        "| a | b |",
        "||",
        "+---+",
        "\\",
        '"',
        "'",
        '"""',
        "'''",
        "]]",
        "[[sources]]",
        "<!--",
        "-->",
    ),
    # line and column breaks
    ("\n", "\r\n", "\r", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"),
    # control characters and terminal escapes
    (
        "\x00",
        "\x07",
        "\x08",
        "\x1b[31m",
        "\x1b[0m",
        "\x1b]8;;http://example.invalid\x1b\\",
        "\x7f",
        "\x9b",
    ),
    # invisible and direction-changing characters
    (
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u2060",
        "\ufeff",
        "\xa0",
        "\xad",
    ),
    # other scripts, emoji, combining marks, unusual code points
    (
        "e\u0301",
        "Z\u0351\u0364\u0336",
        "وكالة الأنباء المركزية الكورية",
        "朝鲜中央通讯社",
        "조선중앙통신",
        "Нарышкин",
        "שלום",
        "नमस्ते",
        "ภาษาไทย",
        "🇰🇵",
        "👍🏽",
        "🧑\u200d🚀",
        "\U0001d54f",
        "\uffff",
    ),
)

_CONTROLS = st.characters(min_codepoint=0x00, max_codepoint=0x1F) | st.characters(
    min_codepoint=0x7F, max_codepoint=0x9F
)
# Any character a file can hold: everything but lone surrogates.
_ANY = st.characters(exclude_categories=["Cs"])

_PARTIES = ("DPRK", "Russia", "USA", "South Korea", "China", "Ukraine")
_SPELLINGS: tuple[Callable[[str], str], ...] = (
    lambda party: party,
    str.lower,
    str.upper,
    lambda party: f" {party.replace(' ', '  ')} ",
)

_IDS = (
    "kcna",
    "afp",
    "yonhap",
    "reuters",
    "ap",
    "state-dept",
    "svr",
    "nis",
    "un-panel",
    "naryshkin-visit",
    "containers",
    "talks.consensus",
    "a",
    "0",
    "x_1",
)
_SLUG_START = "abcdefghijklmnopqrstuvwxyz0123456789"
_SLUG_REST = _SLUG_START + "._-"

_NAMES = (
    "Korean Central News Agency",
    "Agence France-Presse",
    "Yonhap",
    "Reuters",
    "US State Department",
    "South Korean Ministry of Defence",
    "Russian Foreign Intelligence Service (SVR)",
    "UN Panel of Experts",
    "an unnamed official",
)

_STATEMENTS = (
    "SVR director Sergei Naryshkin visited Pyongyang from Monday to Wednesday.",
    "North Korea shipped about 7,000 containers of munitions to Russia since July 2023.",
    "The talks reached complete consensus.",
    "Pyongyang seeks Russian satellite technology.",
)

_HOSTS = (
    "example.org",
    "kcna.kp",
    "www.afp.com",
    "en.yna.co.kr",
    "xn--80ak6aa92e.com",
    "127.0.0.1:8080",
    "user@host.example",
    "例え.jp",
)
_URL_PATHS = (
    "/",
    "/news/2024/03/28",
    '/a"><script>alert(1)</script>',
    "/?q=a&b=<c>",
    "/#|x|",
    "/%E2%80%AE",
    "/path_(with)_[brackets]",
)

# Reporting words as articles spell them.
_CUES = ("a indiqué", "selon", "said", "according to", "a démenti", "reportedly", "d'après")

_LANGS = ("fr", "en", "en-GB", "ko", "ru", "zh-Hant-TW", "ar", "ja", "de-CH-1996", "kor")

# Days within which the dates of one ledger fall, so that `as_of` splits its claims.
_STORY_DAYS = 120


# Composite strategies rather than st.builds or st.tuples, whose every part
# hypothesis's explain phase varies a hundred times after shrinking: with
# whole ledgers that took minutes.  A composite's draws are not varied.


@st.composite
def _joined(draw: st.DrawFn, *parts: SearchStrategy[str]) -> str:
    return "".join(draw(part) for part in parts)


_MADE_ID = _joined(st.sampled_from(_SLUG_START), st.text(_SLUG_REST, max_size=15))


@st.composite
def _spelt(
    draw: st.DrawFn, party: SearchStrategy[str], spelling: SearchStrategy[Callable[[str], str]]
) -> str:
    return draw(spelling)(draw(party))


@st.composite
def _each(draw: st.DrawFn, *parts: SearchStrategy[Any]) -> tuple[Any, ...]:
    """Like st.tuples, without exposing each part to the explain phase."""
    return tuple(draw(part) for part in parts)


@st.composite
def _built(draw: st.DrawFn, cls: Callable[..., T], /, **fields: SearchStrategy[Any]) -> T:
    """Like st.builds, without exposing each field to the explain phase."""
    return cls(**{name: draw(strategy) for name, strategy in fields.items()})


def texts(*, max_fragments: int = 8) -> SearchStrategy[str]:
    """Text valid in any text field (not empty after ``strip()``), often hostile.

    Draws a few fragments and joins them with spaces: plain words,
    markup (``<script>``, ``&amp;``, ``**bold**``, ``[x](javascript:…)``),
    table pipes, newlines and tabs, C0 and C1 control characters, DEL,
    terminal escapes (``\\x1b[31m``), bidirectional overrides (U+202A-U+202E,
    U+2066-U+2069), zero-width characters, combining marks, emoji and
    words of many scripts, and any other character except lone surrogates
    (which no file can hold).

    Args:
        max_fragments: The most fragments one text is made of (at least 1).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(texts())
    ... def test_texts_are_never_blank(text):
    ...     assert text.strip()
    >>> test_texts_are_never_blank()
    """
    if max_fragments < 1:
        raise InvalidArgument(f"max_fragments={max_fragments!r} must be at least 1")
    words = st.sampled_from(_WORDS)
    fragment = st.one_of(
        words,
        words,
        words,
        *(st.sampled_from(kind) for kind in _HOSTILE),
        st.text(_ANY, min_size=1, max_size=6),
        _CONTROLS,
    )
    return (
        st.lists(fragment, min_size=1, max_size=max_fragments)
        .map(" ".join)
        .filter(lambda text: bool(text.strip()))
    )


def ids() -> SearchStrategy[str]:
    """Ids: slugs of lower-case letters and digits, then also ``.``, ``_`` and ``-``.

    Realistic ones (``"kcna"``, ``"naryshkin-visit"``) and any other slug, so
    that near-misses for did-you-mean hints occur.

    >>> from hypothesis import given, settings
    >>> from provenance.model import is_slug
    >>> @settings(max_examples=20)
    ... @given(ids())
    ... def test_ids_are_slugs(value):
    ...     assert is_slug(value)
    >>> test_ids_are_slugs()
    """
    return st.sampled_from(_IDS) | _MADE_ID


def parties() -> SearchStrategy[str]:
    """Party names (``"DPRK"``, ``"Russia"``, ``"USA"``…) from a small pool.

    The pool is small so that a source's affiliation is often one of the
    parties a proposition is about: sources with a stake are common.  Some
    are spelt with other case or spacing (``"dprk"``, ``" South  Korea "``),
    which name the same party.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(parties())
    ... def test_parties_are_not_blank(party):
    ...     assert party.strip()
    >>> test_parties_are_not_blank()
    """
    return _spelt(st.sampled_from(_PARTIES), st.sampled_from(_SPELLINGS))


def urls() -> SearchStrategy[str]:
    """http(s) URLs, some of them hostile to HTML (quotes, angle brackets).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(urls())
    ... def test_urls_are_http(url):
    ...     assert url.lower().startswith(("http://", "https://"))
    >>> test_urls_are_http()
    """
    no_space = _ANY.filter(lambda c: not c.isspace())
    return _joined(
        st.sampled_from(("https://", "http://", "HTTPS://")),
        st.sampled_from(_HOSTS),
        st.sampled_from(_URL_PATHS) | st.text(no_space, max_size=12).map(lambda p: "/" + p),
    )


def langs() -> SearchStrategy[str]:
    """Language tags such as ``"fr"``, ``"en-GB"`` or ``"zh-Hant-TW"``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(langs())
    ... def test_langs_start_with_letters(lang):
    ...     assert lang[:2].isalpha()
    >>> test_langs_start_with_letters()
    """
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    subtag = st.text(letters + "0123456789", min_size=1, max_size=8)
    made = _joined(
        st.text(letters, min_size=2, max_size=3),
        st.lists(subtag, max_size=2).map(lambda subtags: "".join("-" + s for s in subtags)),
    )
    return st.sampled_from(_LANGS) | made


# Strategies shared by every draw: the first draw from a new strategy object
# validates it, which would otherwise cost more than the drawing itself.
_TEXT = texts()
_ID = ids()
_MAYBE_TEXT = st.none() | _TEXT
_MAYBE_CUE = st.none() | st.sampled_from(_CUES) | _TEXT
_MAYBE_URL = st.none() | urls()
_MAYBE_LANG = st.none() | langs()
_NAME = st.sampled_from(_NAMES) | _TEXT
_STATEMENT = st.sampled_from(_STATEMENTS) | _TEXT
_CREDENCE = st.none() | st.floats(0.0, 1.0, exclude_min=True, exclude_max=True)
_KIND = st.sampled_from(SourceKind)
_RELIABILITY = st.sampled_from(Reliability)
# Stories assert more than they deny; an even mix would make nearly everything disputed.
_STANCE = st.sampled_from([Stance.ASSERTS, Stance.ASSERTS, Stance.ASSERTS, Stance.DENIES])
_CERTAINTY = st.sampled_from(Certainty)
_ONE_IN_FOUR = st.integers(1, 4).map(lambda k: k == 4)
_ONE_IN_FIVE = st.integers(1, 5).map(lambda k: k == 5)
_DELAY = st.integers(0, _STORY_DAYS)
_ANY_PEERS = st.lists(_ID, unique=True, max_size=3)
_PARTY = parties()
_PARTY_POOL = st.lists(_PARTY, min_size=1, max_size=4, unique_by=party_key)
_STORY_START = st.dates(max_value=dt.date.max - dt.timedelta(_STORY_DAYS))


def _peers(pool: Sequence[str] | None) -> SearchStrategy[list[str]]:
    """Up to three distinct ids from `pool`, or any ids if `pool` is None."""
    if pool is None:
        return _ANY_PEERS
    choices = list(dict.fromkeys(pool))
    if not choices:
        return st.just([])
    return st.lists(st.sampled_from(choices), unique=True, max_size=min(3, len(choices)))


def _draw_source(
    draw: st.DrawFn,
    source_id: str,
    peers: SearchStrategy[list[str]],
    affiliation: SearchStrategy[str | None],
) -> Source:
    if draw(_ONE_IN_FIVE):
        # A public record: a register, a court document.
        kind, reliability = SourceKind.RECORD, Reliability.A
    else:
        kind, reliability = draw(_KIND), draw(_RELIABILITY)
    return Source(
        id=source_id,
        name=draw(_NAME),
        kind=kind,
        affiliation=draw(affiliation),
        reliability=reliability,
        depends_on=[peer for peer in draw(peers) if peer != source_id],
        url=draw(_MAYBE_URL),
        note=draw(_MAYBE_TEXT),
    )


@st.composite
def _sources(
    draw: st.DrawFn,
    id: str | None,
    peers: SearchStrategy[list[str]],
    affiliation: SearchStrategy[str | None],
) -> Source:
    return _draw_source(draw, id if id is not None else draw(_ID), peers, affiliation)


def sources(
    *,
    id: str | None = None,
    may_depend_on: Sequence[str] | None = None,
    affiliations: SearchStrategy[str] | None = None,
) -> SearchStrategy[Source]:
    """Sources with every field drawn; about one in five is an A-graded public record.

    Args:
        id: The id to give the source; drawn from `ids` if None.
        may_depend_on: The ids its ``depends_on`` is drawn from (never its
            own); any ids if None, which a ledger would refuse unless they
            are its sources.
        affiliations: Where an affiliation comes from (it may also be none);
            `parties` if None.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(sources(may_depend_on=["afp", "kcna"]))
    ... def test_dependencies_come_from_the_pool(source):
    ...     assert set(source.depends_on) <= {"afp", "kcna"} - {source.id}
    >>> test_dependencies_come_from_the_pool()
    """
    party = affiliations if affiliations is not None else _PARTY
    return _sources(id, _peers(may_depend_on), st.none() | party)


def _draw_proposition(
    draw: st.DrawFn, proposition_id: str, about: SearchStrategy[list[str]]
) -> Proposition:
    return Proposition(
        id=proposition_id,
        text=draw(_STATEMENT),
        about=draw(about),
        note=draw(_MAYBE_TEXT),
    )


@st.composite
def _propositions(draw: st.DrawFn, id: str | None, about: SearchStrategy[list[str]]) -> Proposition:
    return _draw_proposition(draw, id if id is not None else draw(_ID), about)


def propositions(
    *, id: str | None = None, about: SearchStrategy[str] | None = None
) -> SearchStrategy[Proposition]:
    """Propositions with every field drawn.

    Args:
        id: The id to give the proposition; drawn from `ids` if None.
        about: Where the parties it is about come from; `parties` if None.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(propositions(id="visit"))
    ... def test_the_id_is_kept(proposition):
    ...     assert "visit" == proposition.id
    >>> test_the_id_is_kept()
    """
    return _propositions(id, st.lists(about if about is not None else _PARTY, max_size=3))


def _days_after(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days) if day <= dt.date.max - dt.timedelta(days) else dt.date.max


def _draw_claim(
    draw: st.DrawFn,
    proposition: str,
    source: str,
    peers: SearchStrategy[list[str]],
    dates: SearchStrategy[dt.date],
    maybe_dates: SearchStrategy[dt.date | None],
) -> Claim:
    said_on = draw(maybe_dates)
    withdrawn_on = None
    if draw(_ONE_IN_FOUR):
        withdrawn_on = draw(dates) if said_on is None else _days_after(said_on, draw(_DELAY))
    return Claim(
        proposition=proposition,
        source=source,
        stance=draw(_STANCE),
        certainty=draw(_CERTAINTY),
        via=[peer for peer in draw(peers) if peer != source],
        said_on=said_on,
        quote=draw(_MAYBE_TEXT),
        cue=draw(_MAYBE_CUE),
        lang=draw(_MAYBE_LANG),
        credence=draw(_CREDENCE),
        url=draw(_MAYBE_URL),
        withdrawn_on=withdrawn_on,
        note=draw(_MAYBE_TEXT),
    )


def _correction(draw: st.DrawFn, claim: Claim, dates: SearchStrategy[dt.date]) -> Claim:
    """The same source's word on the other side, said on or after `claim`."""
    said_on = draw(dates) if claim.said_on is None else _days_after(claim.said_on, draw(_DELAY))
    stance = Stance.DENIES if claim.stance is Stance.ASSERTS else Stance.ASSERTS
    return Claim(
        proposition=claim.proposition,
        source=claim.source,
        stance=stance,
        certainty=draw(_CERTAINTY),
        via=claim.via,
        said_on=said_on,
        credence=draw(_CREDENCE),
    )


@st.composite
def _claims(
    draw: st.DrawFn,
    proposition: str | None,
    source: str | None,
    peers: SearchStrategy[list[str]],
    dates: SearchStrategy[dt.date],
) -> Claim:
    return _draw_claim(
        draw,
        proposition if proposition is not None else draw(_ID),
        source if source is not None else draw(_ID),
        peers,
        dates,
        st.none() | dates,
    )


def claims(
    *,
    proposition: str | None = None,
    source: str | None = None,
    relays: Sequence[str] | None = None,
    dates: SearchStrategy[dt.date] | None = None,
) -> SearchStrategy[Claim]:
    """Claims with every field drawn: denials, hedges, relay chains, withdrawals.

    A claim is withdrawn about one time in four, never before it was said.
    Its relay chain names no source twice and never its own source.

    Args:
        proposition: The id of the proposition it bears on; drawn if None.
        source: The id of its source; drawn if None.
        relays: The ids its relay chain is drawn from; any ids if None.
        dates: Where `said_on` comes from; any date if None.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(claims(source="kcna", relays=["kcna", "afp", "yonhap"]))
    ... def test_a_claim_is_not_relayed_by_its_source(claim):
    ...     assert "kcna" not in claim.via
    >>> test_a_claim_is_not_relayed_by_its_source()
    """
    return _claims(proposition, source, _peers(relays), dates if dates is not None else st.dates())


def _table(
    keys: Sequence[object], values: SearchStrategy[float]
) -> SearchStrategy[dict[object, float]]:
    """Some or all of `keys`, each with a value."""
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


@st.composite
def _descending(draw: st.DrawFn, values: SearchStrategy[float]) -> dict[object, float]:
    """A full reliability table in which a better grade never has a lower probability."""
    drawn = sorted(draw(st.lists(values, min_size=6, max_size=6)), reverse=True)
    return dict(zip(Reliability, drawn, strict=True))


def policies(*, as_of: bool = True) -> SearchStrategy[Policy]:
    """Policies across the whole valid range of every setting.

    The prior stays within [.01, .99] and `establish_at` within [.51, .99],
    where probabilities are still informative.  Reliability tables are
    partial, full, or full and ordered (a better grade never counts for
    less); hedging tables are partial or full.

    Args:
        as_of: Whether a date may be drawn for `Policy.as_of`; a ledger's
            own policy has none (its date is the ledger's ``as_of``).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(policies())
    ... def test_at_least_two_voices(policy):
    ...     assert policy.min_independent >= 2
    >>> test_at_least_two_voices()
    """
    p = st.floats(0.5, 1.0, exclude_max=True)
    return _built(
        Policy,
        prior=st.floats(0.01, 0.99),
        reliability_p=_table(list(Reliability), p) | _descending(p),
        hedging=_table(list(Certainty), st.floats(0.0, 1.0)),
        stake_cap=st.floats(0.5, 1.0, exclude_max=True),
        min_independent=st.integers(2, 5),
        min_reliability=st.sampled_from(Reliability),
        contest_reliability=st.sampled_from(Reliability),
        establish_at=st.floats(0.51, 0.99),
        public_record=st.booleans(),
        as_of=(st.none() | st.dates()) if as_of else st.none(),
    )


# How a ledger is drawn, for shrinking.
#
# Each source, proposition and claim is one element of a list: hypothesis
# deletes list elements, which a count drawn first and items drawn after
# would not allow.  It deletes an element by removing its choices from the
# sequence it replays, a few consecutive choices at a time (up to five,
# with the list's own "one more" choice), so an entry in its simplest form
# takes at most four choices: a source is an id, a slot and a grade; a
# proposition an id, a slot and its parties; a claim a source, a
# proposition and a stance; each with one switch for the rest (a source's
# kind, party and dependencies; a claim's relays, hedging, dates,
# withdrawal, credence and correction), which the shrinker turns off,
# dropping every choice behind it in one step.
#
# Whatever refers to another entry does so by a slot number: each entry
# holds a distinct slot, and a reference names the entry with the highest
# slot not above it (or the lowest), so that deleting one entry changes no
# reference to another.  Every choice shrinks to its simplest value: the
# first source and proposition, an assertion, certain, no relay, no date.
#
# What only decorates an entry (its name or text, notes, URLs, quotes,
# languages) is drawn after the structure of the whole ledger, behind a
# switch drawn first: turning it off drops every decoration at once and
# leaves the structure drawn as it was.
#
# Switches inside an entry count from 1, not 0: hypothesis's first pass
# rerandomises what follows every small choice that counts from 0 and
# changes the shape of what is drawn (as `st.one_of` does), a dozen whole
# ledgers for each; a switch that counts from 1 is simply lowered later,
# and the choices it no longer needs are deleted with it.  The one
# decorations switch counts from 0, so that the first pass turns it off.
#
# Each entry is drawn by one composite that reads plain integer choices
# itself, rather than by layers of `.map` and nested strategies: every layer
# is hypothesis work on every draw, and (before Python 3.12) lines its
# explain phase traces on every call while shrinking.
_OFFSET = st.integers(0, _STORY_DAYS)
_MAYBE_OFFSET = st.none() | _OFFSET
_DECORATED = st.integers(0, 1)
_ONE_TO = {n: st.integers(1, n) for n in (2, 3, 4, 5)}
_UNIT = st.floats(0.0, 1.0, exclude_min=True, exclude_max=True)
# A party is drawn as its place in the story's pool of parties.
_PARTY_INDEX = st.integers(0, 3)
_ABOUT = st.lists(_PARTY_INDEX, max_size=3)
_POOL_ID = st.sampled_from(_IDS)


def _once_in(draw: st.DrawFn, n: int) -> bool:
    """True one time in `n`; shrinks to false."""
    return bool(draw(_ONE_TO[n]) == n)


def _detailed(draw: st.DrawFn) -> bool:
    """True three times in four; shrinks to false."""
    return bool(draw(_ONE_TO[4]) != 1)


def _few(draw: st.DrawFn, slot: SearchStrategy[int]) -> tuple[int, ...]:
    """Mostly no slot, some times one, a few times two."""
    return tuple(draw(slot) for _ in range(max(0, draw(_ONE_TO[5]) - 3)))


@st.composite
def _source_entry(draw: st.DrawFn, slot: SearchStrategy[int]) -> tuple[Any, ...]:
    """id, slot, grade; then made id, public record (one in five), kind, party, dependencies."""
    entry_id, at, reliability = draw(_POOL_ID), draw(slot), draw(_RELIABILITY)
    if not _detailed(draw):
        return (entry_id, at, reliability, None)
    made = draw(_MADE_ID) if _once_in(draw, 4) else None
    record = _once_in(draw, 5)
    kind = draw(_KIND)
    party = draw(_PARTY_INDEX) if _once_in(draw, 3) else None
    return (entry_id, at, reliability, (made, record, kind, party, _few(draw, slot)))


@st.composite
def _proposition_entry(draw: st.DrawFn, slot: SearchStrategy[int]) -> tuple[Any, ...]:
    """id, slot, parties; then a made id."""
    entry_id, at, about = draw(_POOL_ID), draw(slot), draw(_ABOUT)
    if not _detailed(draw):
        return (entry_id, at, about, None)
    return (entry_id, at, about, (draw(_MADE_ID) if _once_in(draw, 4) else None,))


@st.composite
def _claim_entry(
    draw: st.DrawFn, source_slot: SearchStrategy[int], reference: SearchStrategy[int], slots: int
) -> tuple[Any, ...]:
    """source, proposition, stance; then relays, hedging, date, withdrawal, credence, correction.

    Claims cluster on the first proposition of a story, as they do in real
    ones, so that several independent voices often meet: half the
    references name the lowest slot.
    """
    by, at, stance = draw(source_slot), max(0, draw(reference) - slots), draw(_STANCE)
    if not _detailed(draw):
        return (by, at, stance, None)
    relays = _few(draw, source_slot)
    certainty = draw(_CERTAINTY)
    said = draw(_OFFSET) if _once_in(draw, 2) else None
    # Withdrawn one time in four, and how long after it was said.
    delay = draw(_OFFSET) if _once_in(draw, 4) else None
    credence = draw(_UNIT) if _once_in(draw, 2) else None
    correction = None
    if _once_in(draw, 4):
        # The same source's later word on the other side.
        correction = (draw(_CERTAINTY), draw(_UNIT) if _once_in(draw, 2) else None, draw(_OFFSET))
    return (by, at, stance, (relays, certainty, said, delay, credence, correction))


@st.composite
def _behind(draw: st.DrawFn, switch: SearchStrategy[bool], on: SearchStrategy[T], off: T) -> T:
    """`on`'s value when `switch` draws true, else `off`, drawing nothing more."""
    return draw(on) if draw(switch) else off


# The decorations of each kind of entry.
_SOURCE_DECOR = _behind(st.booleans(), _each(_NAME, _MAYBE_URL, _MAYBE_TEXT), None)
_PROPOSITION_DECOR = _behind(st.booleans(), _each(_STATEMENT, _MAYBE_TEXT), None)
_CLAIM_DECOR = _behind(
    st.booleans(),
    _each(_MAYBE_TEXT, _MAYBE_CUE, _MAYBE_LANG, _MAYBE_URL, _MAYBE_TEXT),
    (None,) * 5,
)
_LEDGER_DECOR = _each(_MAYBE_TEXT, _MAYBE_LANG, _MAYBE_TEXT, _MAYBE_URL)


def _ids_of(entries: list[tuple[Any, ...]]) -> list[str]:
    """The ids of drawn sources or propositions, made distinct by a suffix.

    An entry's id is its own, or the one made in its details; one already
    taken gets ``-2``, ``-3``...  Made so rather than drawn distinct, so that
    no drawn entry is thrown away and drawn again, which leaves choices the
    shrinker must work around.
    """
    taken: set[str] = set()
    ids = []
    for entry in entries:
        made = entry[3][0] if entry[3] is not None else None
        base = made if made is not None else str(entry[0])
        entry_id, n = base, 1
        while entry_id in taken:
            n += 1
            entry_id = f"{base}-{n}"
        taken.add(entry_id)
        ids.append(entry_id)
    return ids


@functools.lru_cache(maxsize=32)
def _specs(
    sources: tuple[int, int],
    propositions: tuple[int, int],
    claims: tuple[int, int],
) -> tuple[
    SearchStrategy[Any],
    tuple[SearchStrategy[Any], SearchStrategy[Any]],
    tuple[SearchStrategy[Any], SearchStrategy[Any]],
]:
    """The strategies of a ledger's claims, sources and propositions, made once per set of bounds.

    Sources and propositions come in two: the second for a ledger with claims.
    """
    source_slot = st.integers(0, 2 * max(sources[1], 1))
    proposition_slots = 2 * max(propositions[1], 1)
    source = _source_entry(source_slot)
    proposition = _proposition_entry(st.integers(0, proposition_slots))
    claim = _claim_entry(source_slot, st.integers(0, 2 * proposition_slots), proposition_slots)
    # Claims are drawn first, and where there are some, at least one source
    # and one proposition: a ledger whose claims all fell away for want of
    # either would test nothing about claims.
    return (
        st.lists(claim, min_size=claims[0], max_size=claims[1])
        if sources[1] and propositions[1]
        else st.just([]),
        (
            st.lists(source, min_size=sources[0], max_size=sources[1]),
            st.lists(source, min_size=max(sources[0], 1), max_size=sources[1]),
        ),
        (
            st.lists(proposition, min_size=propositions[0], max_size=propositions[1]),
            st.lists(proposition, min_size=max(propositions[0], 1), max_size=propositions[1]),
        ),
    )


def _resolver(ids: list[str], entries: list[tuple[Any, ...]]) -> Callable[[int], str]:
    """Slot references to ids: the entry with the highest slot not above the reference.

    Of entries that hold the same slot, the last drawn is named.
    """
    order = sorted(
        (
            (entry[1], at, entry_id)
            for at, (entry_id, entry) in enumerate(zip(ids, entries, strict=True))
        ),
    )

    def resolve(reference: int) -> str:
        chosen = order[0][2]
        for slot, _, entry_id in order:
            if slot > reference:
                break
            chosen = entry_id
        return chosen

    return resolve


def _build_sources(
    ids: list[str],
    specs: list[tuple[Any, ...]],
    decors: Sequence[tuple[Any, ...] | None],
    pool: list[str],
) -> list[Source]:
    if not specs:
        return []
    resolve = _resolver(ids, specs)
    built = []
    for source_id, spec, decor in zip(ids, specs, decors, strict=True):
        reliability, details = spec[2], spec[3]
        kind, affiliation = SourceKind.STATE_MEDIA, None
        dependencies: tuple[int, ...] = ()
        if details is not None:
            _, record, kind, affiliation, dependencies = details
            if record:
                # A public record: a register, a court document.
                kind, reliability = SourceKind.RECORD, Reliability.A
        name, url, note = decor if decor is not None else (f"Source {source_id}", None, None)
        depends_on = dict.fromkeys(resolve(i) for i in dependencies)
        depends_on.pop(source_id, None)
        built.append(
            Source(
                id=source_id,
                name=name,
                kind=kind,
                affiliation=None if affiliation is None else pool[affiliation % len(pool)],
                reliability=reliability,
                depends_on=list(depends_on),
                url=url,
                note=note,
            )
        )
    return built


def _build_propositions(
    ids: list[str],
    specs: list[tuple[Any, ...]],
    decors: Sequence[tuple[Any, ...] | None],
    pool: list[str],
) -> list[Proposition]:
    built = []
    for proposition_id, spec, decor in zip(ids, specs, decors, strict=True):
        text, note = decor if decor is not None else (f"Statement {proposition_id}.", None)
        parties = [pool[k % len(pool)] for k in spec[2]]
        built.append(Proposition(id=proposition_id, text=text, about=parties, note=note))
    return built


# A claim's details when it has none: no relay, certain, undated, not
# withdrawn, no credence, not corrected.
_PLAIN_CLAIM: tuple[Any, ...] = ((), Certainty.CERTAIN, None, None, None, None)


def _build_claims(
    specs: list[tuple[Any, ...]],
    decors: Sequence[tuple[Any, ...]],
    proposition_of: Callable[[int], str],
    source_of: Callable[[int], str],
    start: dt.date,
    limit: int,
) -> list[Claim]:
    def day(offset: int) -> dt.date:
        return _days_after(start, offset)

    built: list[Claim] = []
    for spec, decor in zip(specs, decors, strict=True):
        by, at, stance, details = spec
        quote, cue, lang, url, remark = decor
        relays, certainty, said, delay, credence, correction = details or _PLAIN_CLAIM
        source = source_of(by)
        via = dict.fromkeys(source_of(i) for i in relays)
        via.pop(source, None)
        said_on = None if said is None else day(said)
        withdrawn_on = None
        if delay is not None:
            withdrawn_on = day(delay) if said_on is None else _days_after(said_on, delay)
        claim = Claim(
            proposition=proposition_of(at),
            source=source,
            stance=stance,
            certainty=certainty,
            via=list(via),
            said_on=said_on,
            quote=quote,
            cue=cue,
            lang=lang,
            credence=credence,
            url=url,
            withdrawn_on=withdrawn_on,
            note=remark,
        )
        built.append(claim)
        if correction is not None:
            new_certainty, new_credence, later = correction
            built.append(
                Claim(
                    proposition=claim.proposition,
                    source=claim.source,
                    stance=Stance.DENIES if stance is Stance.ASSERTS else Stance.ASSERTS,
                    certainty=new_certainty,
                    via=claim.via,
                    said_on=day(later) if said_on is None else _days_after(said_on, later),
                    credence=new_credence,
                )
            )
    return built[:limit]


class _Shown:
    """A ledger as `provenance.dumps` writes it, made only when hypothesis reports it."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __repr__(self) -> str:
        from .files import dumps

        return "The ledger as a TOML file (provenance.dumps):\n" + dumps(self.ledger, "toml")


@st.composite
def _ledgers(
    draw: st.DrawFn,
    propositions: tuple[int, int],
    sources: tuple[int, int],
    claims: tuple[int, int],
    policy: SearchStrategy[Policy],
) -> Ledger:
    # Drawn first, so that turning it off leaves the structure drawn as it was.
    decorated = draw(_DECORATED)
    # A few parties per story, so that affiliations and `about` overlap.
    pool = draw(_PARTY_POOL)
    claim_specs, source_specs, proposition_specs = _specs(sources, propositions, claims)
    drawn_claims = draw(claim_specs)
    drawn_sources = draw(source_specs[bool(drawn_claims)])
    drawn_propositions = draw(proposition_specs[bool(drawn_claims)])
    # One story's dates fall within a few months, so that as_of splits them.
    start = draw(_STORY_START)
    as_of = draw(_MAYBE_OFFSET)
    house_rules = draw(policy)
    # The decorations, last: names, texts, notes, URLs, quotes, languages.
    if decorated:
        source_decors = [draw(_SOURCE_DECOR) for _ in drawn_sources]
        proposition_decors = [draw(_PROPOSITION_DECOR) for _ in drawn_propositions]
        claim_decors = [draw(_CLAIM_DECOR) for _ in drawn_claims]
        title, lang, publisher, url = draw(_LEDGER_DECOR)
    else:
        source_decors = [None] * len(drawn_sources)
        proposition_decors = [None] * len(drawn_propositions)
        claim_decors = [(None,) * 5] * len(drawn_claims)
        title = lang = publisher = url = None
    source_ids, proposition_ids = _ids_of(drawn_sources), _ids_of(drawn_propositions)
    the_claims: list[Claim] = []
    if drawn_claims:
        # A claim with a correction counts two: draw up to the most and cut.
        the_claims = _build_claims(
            drawn_claims,
            claim_decors,
            _resolver(proposition_ids, drawn_propositions),
            _resolver(source_ids, drawn_sources),
            start,
            claims[1],
        )
    ledger = Ledger.from_objects(
        _build_sources(source_ids, drawn_sources, source_decors, pool),
        _build_propositions(proposition_ids, drawn_propositions, proposition_decors, pool),
        the_claims,
        title=title,
        as_of=None if as_of is None else _days_after(start, as_of),
        lang=lang,
        publisher=publisher,
        url=url,
        policy=house_rules,
    )
    if currently_in_test_context():
        note(_Shown(ledger))
    return ledger


def ledgers(
    min_propositions: int = 0,
    max_propositions: int = 5,
    max_sources: int = 8,
    max_claims: int = 16,
    *,
    min_sources: int = 0,
    min_claims: int = 0,
    policy: SearchStrategy[Policy] | None = None,
) -> SearchStrategy[Ledger]:
    """Valid ledgers with the structure real ones have.

    Sources share affiliations and depend on one another (later ones too,
    as `Ledger.from_objects` allows); a few parties recur, so sources with
    a stake are common; claims are relayed through other sources of the
    ledger, deny, hedge, carry an analyst's credence, are withdrawn, and
    are corrected (the same source's later word on the other side); about
    one source in seven is an A-graded public record.  The dates of a ledger
    fall within a few months, as does its optional ``as_of``; its title,
    language, publisher and URL are optional.  Half the ledgers drawn are
    decorated: names, statements, notes, URLs, quotes, cues and languages
    drawn from `texts` and the other field strategies, hostile text
    included; the others have plain names (``Source kcna``) and no optional
    text, which is also what a failing ledger shrinks to.

    Built to shrink (see docs/testing.md): a failing property ends at a
    source or two, one proposition and the claims that matter.

    Args:
        min_propositions: The fewest propositions.
        max_propositions: The most propositions.
        max_sources: The most sources.
        max_claims: The most claims.
        min_sources: The fewest sources.
        min_claims: The fewest claims; more than 0 implies at least one
            source and one proposition.
        policy: Where the ledger's house rules come from; by default either
            the default `Policy` or one from `policies` (without ``as_of``).

    Raises:
        InvalidArgument: A bound is negative or a minimum exceeds its maximum.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(ledgers(min_claims=1))
    ... def test_a_source_of_every_claim_is_known(ledger):
    ...     known = {s.id for s in ledger.sources}
    ...     assert all(c.source in known and set(c.via) <= known for c in ledger.claims)
    >>> test_a_source_of_every_claim_is_known()
    """
    if min_claims > 0:
        min_sources = max(min_sources, 1)
        min_propositions = max(min_propositions, 1)
    for name, low, high in (
        ("propositions", min_propositions, max_propositions),
        ("sources", min_sources, max_sources),
        ("claims", min_claims, max_claims),
    ):
        if not 0 <= low <= high:
            raise InvalidArgument(
                f"need 0 <= min_{name} <= max_{name}, got {low} and {high}"
                " (claims need at least one source and one proposition)"
            )
    if policy is None:
        policy = st.just(Policy()) | policies(as_of=False)
    return _ledgers(
        (min_propositions, max_propositions),
        (min_sources, max_sources),
        (min_claims, max_claims),
        policy,
    )
