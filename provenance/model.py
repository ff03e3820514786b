"""The claim model: who says what, how sure, and by which way it reached us.

`Source`, `Proposition` and `Claim` are frozen attrs classes; change one with
`attrs.evolve`.  Each validates its own fields when it is made (a slug id, a
non-empty text, a credence in (0, 1), a withdrawal not before the saying) and
refuses a bad value with a `LedgerError` that names the field and the value.
Whether the ids a claim refers to exist is the ledger's business.

>>> kcna = Source("kcna", "Korean Central News Agency", kind="state-media",
...               affiliation="DPRK", reliability="E")
>>> kcna.reliability.label
'Unreliable'
>>> Claim("naryshkin-visit", "kcna", via=["afp", "le-figaro"]).via
('afp', 'le-figaro')
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from .errors import LedgerError, Problem, shown
from .grading import Reliability

__all__ = ["Certainty", "Claim", "Proposition", "Source", "SourceKind", "Stance", "is_slug"]

T = TypeVar("T")
E = TypeVar("E", bound=enum.StrEnum)

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
URL = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)


class SourceKind(enum.StrEnum):
    """What kind of speaker a source is; spelled as in the ledger file."""

    STATE_MEDIA = "state-media"
    GOVERNMENT = "government"
    OFFICIAL = "official"
    WIRE = "wire"
    OUTLET = "outlet"
    INTELLIGENCE = "intelligence"
    MILITARY = "military"
    RECORD = "record"
    NGO = "ngo"
    EXPERT = "expert"
    ANONYMOUS = "anonymous"
    OTHER = "other"


class Stance(enum.StrEnum):
    """Whether a claim asserts or denies its proposition."""

    ASSERTS = "asserts"
    DENIES = "denies"


class Certainty(enum.StrEnum):
    """How sure the source sounds (FactBank's CT, PR and PS)."""

    CERTAIN = "certain"
    PROBABLE = "probable"
    POSSIBLE = "possible"


def is_slug(value: object) -> bool:
    """Whether `value` is a valid id: ``[a-z0-9][a-z0-9._-]*``."""
    return isinstance(value, str) and SLUG.match(value) is not None


def _fail(field: str, message: str) -> LedgerError:
    return LedgerError(Problem(message, field))


def _enum(cls: type[E], field: str, what: str) -> Callable[[Any], E]:
    def convert(value: Any) -> E:
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except (ValueError, TypeError):
            choices = ", ".join(m.value for m in cls)
            raise _fail(field, f"{shown(value)} is not {what} ({choices})") from None

    return convert


def _reliability(value: Reliability | str) -> Reliability:
    try:
        return Reliability.parse(value)
    except ValueError as error:
        raise _fail("reliability", str(error)) from None


def _slug(field: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if not is_slug(value):
            raise _fail(
                field, f"{shown(value)} is not an id (lower-case letters, digits, '.', '_', '-')"
            )
        return str(value)

    return convert


def _each(
    check: Callable[[str], Callable[[Any], Any]], field: str
) -> Callable[[Any], tuple[str, ...]]:
    """A converter for a list whose items `check(place)` validates, placed at ``field[i]``."""

    whole = check(field)

    def convert(value: Any) -> tuple[str, ...]:
        items = _sequence(field, value)
        for index, item in enumerate(items):
            try:
                whole(item)
            except LedgerError:
                check(f"{field}[{index}]")(item)  # the same refusal, placed at the item
        return items

    return convert


def _sequence(field: str, value: Any) -> tuple[Any, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _fail(field, f"expected a list, got {shown(value)}")
    return tuple(value)


def _text(field: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if not isinstance(value, str):
            raise _fail(field, f"expected text, got {shown(value)}")
        if not value.strip():
            raise _fail(field, "must not be empty")
        return value

    return convert


def _optional(convert: Callable[[Any], T]) -> Callable[[Any], T | None]:
    def optional(value: Any) -> T | None:
        return None if value is None else convert(value)

    return optional


def _url(value: Any) -> str:
    if not isinstance(value, str) or not URL.match(value):
        raise _fail("url", f"{shown(value)} is not an http(s) URL")
    return value


def _lang(value: Any) -> str:
    if not isinstance(value, str) or not LANG.match(value):
        raise _fail("lang", f"{shown(value)} is not a language tag (e.g. 'fr', 'en-GB')")
    return value


def to_date(field: str) -> Callable[[Any], dt.date]:
    """A converter that accepts a `datetime.date` or an ISO 8601 date string."""

    def convert(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            raise _fail(field, f"expected a date without a time, got {value.isoformat()!r}")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise _fail(field, f"{shown(value)} is not a date (YYYY-MM-DD)")

    return convert


def _credence(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail("credence", f"expected a number, got {shown(value)}")
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise _fail("credence", f"{shown(value)} is not a probability strictly between 0 and 1")
    return float(value)


# Named converters, one per field, so that type checkers and inspect.signature
# see each field's type: the first parameter's annotation is what the class's
# __init__ accepts (text for an enum, an ISO string for a date), the return
# annotation what the field holds.  Values from a file are checked all the same.


_ID_CHECK = _slug("id")


def _id(value: str) -> str:
    return _ID_CHECK(value)


_PROPOSITION_ID_CHECK = _slug("proposition")


def _proposition_id(value: str) -> str:
    return _PROPOSITION_ID_CHECK(value)


_SOURCE_ID_CHECK = _slug("source")


def _source_id(value: str) -> str:
    return _SOURCE_ID_CHECK(value)


_NAME_CHECK = _text("name")


def _name(value: str) -> str:
    return _NAME_CHECK(value)


_STATEMENT_CHECK = _text("text")


def _statement(value: str) -> str:
    return _STATEMENT_CHECK(value)


_KIND_CHECK = _enum(SourceKind, "kind", "a source kind")


def _kind(value: SourceKind | str) -> SourceKind:
    return _KIND_CHECK(value)


_STANCE_CHECK = _enum(Stance, "stance", "a stance")


def _stance(value: Stance | str) -> Stance:
    return _STANCE_CHECK(value)


_CERTAINTY_CHECK = _enum(Certainty, "certainty", "a certainty")


def _certainty(value: Certainty | str) -> Certainty:
    return _CERTAINTY_CHECK(value)


_AFFILIATION_CHECK = _optional(_text("affiliation"))


def _affiliation(value: str | None) -> str | None:
    return _AFFILIATION_CHECK(value)


_NOTE_CHECK = _optional(_text("note"))


def _note(value: str | None) -> str | None:
    return _NOTE_CHECK(value)


_QUOTE_CHECK = _optional(_text("quote"))


def _quote(value: str | None) -> str | None:
    return _QUOTE_CHECK(value)


_DEPENDS_ON_CHECK = _each(_slug, "depends_on")


def _cue(value: str | None) -> str | None:
    return _optional(_text("cue"))(value)


def _depends_on(value: Iterable[str]) -> tuple[str, ...]:
    return _DEPENDS_ON_CHECK(value)


_VIA_CHECK = _each(_slug, "via")


def _via(value: Iterable[str]) -> tuple[str, ...]:
    return _VIA_CHECK(value)


_ABOUT_CHECK = _each(_text, "about")


def _about(value: Iterable[str]) -> tuple[str, ...]:
    return _ABOUT_CHECK(value)


_OPTIONAL_URL_CHECK = _optional(_url)


def _optional_url(value: str | None) -> str | None:
    return _OPTIONAL_URL_CHECK(value)


_OPTIONAL_LANG_CHECK = _optional(_lang)


def _optional_lang(value: str | None) -> str | None:
    return _OPTIONAL_LANG_CHECK(value)


_OPTIONAL_CREDENCE_CHECK = _optional(_credence)


def _optional_credence(value: float | None) -> float | None:
    return _OPTIONAL_CREDENCE_CHECK(value)


_SAID_ON_CHECK = _optional(to_date("said_on"))


def _said_on(value: dt.date | str | None) -> dt.date | None:
    return _SAID_ON_CHECK(value)


_WITHDRAWN_ON_CHECK = _optional(to_date("withdrawn_on"))


def _withdrawn_on(value: dt.date | str | None) -> dt.date | None:
    return _WITHDRAWN_ON_CHECK(value)


@attrs.frozen
class Source:
    """Who makes statements: an agency, a government, an official, a record.

    Attributes:
        id: A slug, unique in its ledger.
        name: The name as a reader knows it.
        kind: What kind of speaker it is.
        affiliation: The party whose interest it represents (KCNA: ``"DPRK"``);
            a claim about that party is a claim by a party with a stake.
        reliability: Its Admiralty reliability grade.
        depends_on: Ids of sources it relays or serves; they are not
            independent of it.
        url: Where it can be found.
        note: Free text, e.g. why it has its grade.
    """

    id: str = attrs.field(converter=_id)
    name: str = attrs.field(converter=_name)
    kind: SourceKind = attrs.field(default=SourceKind.OTHER, converter=_kind)
    affiliation: str | None = attrs.field(default=None, converter=_affiliation)
    reliability: Reliability = attrs.field(default=Reliability.F, converter=_reliability)
    depends_on: tuple[str, ...] = attrs.field(default=(), converter=_depends_on)
    url: str | None = attrs.field(default=None, converter=_optional_url)
    note: str | None = attrs.field(default=None, converter=_note)

    def __attrs_post_init__(self) -> None:
        if self.id in self.depends_on:
            raise _fail("depends_on", f"source {self.id!r} cannot depend on itself")
        if len(set(self.depends_on)) != len(self.depends_on):
            raise _fail("depends_on", "names a source twice")

    def has_stake_in(self, proposition: Proposition) -> bool:
        """Whether this source's affiliation is one of the parties `proposition` is about."""
        return self.affiliation is not None and party_key(self.affiliation) in proposition.parties


@functools.lru_cache(maxsize=4096)
def party_key(party: str) -> str:
    """The form in which party names are compared: case and spacing do not matter."""
    return " ".join(party.split()).casefold()


@attrs.frozen
class Proposition:
    """Something true or false, written once in the analyst's words.

    Attributes:
        id: A slug, unique in its ledger.
        text: The statement.
        about: The parties it is about; a source affiliated with one of them
            has a stake in it.
        note: Free text.
    """

    id: str = attrs.field(converter=_id)
    text: str = attrs.field(converter=_statement)
    about: tuple[str, ...] = attrs.field(default=(), converter=_about)
    note: str | None = attrs.field(default=None, converter=_note)

    @property
    def parties(self) -> frozenset[str]:
        """The parties of `about`, compared without regard to case or spacing."""
        return _parties(self.about)


@functools.lru_cache(maxsize=4096)
def _parties(about: tuple[str, ...]) -> frozenset[str]:
    # Every claim on a proposition asks for its parties: they are worked out once.
    return frozenset(party_key(party) for party in about)


@attrs.frozen
class Claim:
    """One source asserting or denying one proposition.

    Attributes:
        proposition: Id of the proposition it bears on.
        source: Id of the source that makes it.
        stance: Whether it asserts or denies the proposition.
        certainty: How sure the source sounds.
        via: The relay chain by which it reached us, nearest the origin first
            (``["afp", "le-figaro"]``); it names neither the source itself
            nor any source twice.
        said_on: When it was said.
        quote: The words, verbatim, in their original language.
        cue: The reporting words that attribute it, as they appear in the
            article (``"a indiqué"``, ``"selon"``, ``"said"``,
            ``"according to"``); none for what an outlet says in its own voice.
        lang: The quote's language, when it differs from the ledger's.
        credence: The analyst's own probability that it is right, overriding
            the one derived from the source's grade; strictly between 0 and 1.
        url: Where it was said.
        withdrawn_on: When the source took it back; not before `said_on`.
        note: Free text.
    """

    proposition: str = attrs.field(converter=_proposition_id)
    source: str = attrs.field(converter=_source_id)
    stance: Stance = attrs.field(default=Stance.ASSERTS, converter=_stance)
    certainty: Certainty = attrs.field(default=Certainty.CERTAIN, converter=_certainty)
    via: tuple[str, ...] = attrs.field(default=(), converter=_via)
    said_on: dt.date | None = attrs.field(default=None, converter=_said_on)
    quote: str | None = attrs.field(default=None, converter=_quote)
    cue: str | None = attrs.field(default=None, converter=_cue)
    lang: str | None = attrs.field(default=None, converter=_optional_lang)
    credence: float | None = attrs.field(default=None, converter=_optional_credence)
    url: str | None = attrs.field(default=None, converter=_optional_url)
    withdrawn_on: dt.date | None = attrs.field(default=None, converter=_withdrawn_on)
    note: str | None = attrs.field(default=None, converter=_note)

    def __attrs_post_init__(self) -> None:
        if self.source in self.via:
            raise _fail("via", f"the relay chain names the claim's own source {self.source!r}")
        seen: set[str] = set()
        for index, relay in enumerate(self.via):
            if relay in seen:
                raise _fail(f"via[{index}]", f"the relay chain names {relay!r} twice")
            seen.add(relay)
        if self.withdrawn_on and self.said_on and self.withdrawn_on < self.said_on:
            raise _fail(
                "withdrawn_on",
                f"{self.withdrawn_on.isoformat()} is before said_on {self.said_on.isoformat()}",
            )

    def speakers(self) -> tuple[str, ...]:
        """The source and every source on its relay chain."""
        return (self.source, *self.via)
