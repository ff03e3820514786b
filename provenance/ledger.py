"""The ledger: the sources, propositions and claims of one story, with integrity rules.

A ledger keeps everything in the order it was given (file order) and
refuses, with a `LedgerError`, anything that would break its integrity
rules: ids are unique; every reference (a claim's source and proposition,
its relay chain, a source's ``depends_on``) resolves.  Field-level rules (slug
ids, non-empty text, a credence in (0, 1), a relay chain without repeats) are
enforced by the model classes themselves.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> ledger = Ledger(title="Example")
>>> ledger.add_source(Source("kcna", "Korean Central News Agency", affiliation="DPRK"))
>>> ledger.add_proposition(Proposition("visit", "Naryshkin visited Pyongyang."))
>>> ledger.add_claim(Claim("visit", "kcna"))
>>> ledger.add_claim(Claim("visit", "kcn"))
Traceback (most recent call last):
...
provenance.errors.LedgerError: claims[1].source: no source 'kcn' (did you mean 'kcna'?)
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import attrs

from .errors import LedgerError, Problem
from .model import Claim, Proposition, Source, _optional_lang, _optional_url, _text, to_date
from .policy import Policy

__all__ = ["Ledger", "merge", "suggest"]

T = TypeVar("T")


#: Past this many sources, propositions and claims in all, a ledger's repr is a summary.
REPR_OBJECTS = 200

# Past this many problems, `Ledger.from_objects` stops looking for "did you
# mean" hints: each look scans every id, and a broken file can hold hundreds
# of thousands of dangling references.
HINTED_PROBLEMS = 20


def suggest(name: str, known: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" hint for a misspelt id, or an empty string."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _policy(value: object) -> Policy:
    if value is None:
        return Policy()
    if not isinstance(value, Policy):
        raise LedgerError(Problem(f"expected a Policy, got {value!r}", "policy"))
    if value.as_of is not None:
        raise LedgerError(
            Problem("as_of belongs at the top of the ledger, not in its policy", "policy.as_of")
        )
    return value


def _title(value: object) -> str | None:
    return None if value is None else _text("title")(value)


def _publisher(value: object) -> str | None:
    return None if value is None else _text("publisher")(value)


def _meta_date(value: object) -> dt.date | None:
    return None if value is None else to_date("as_of")(value)


@attrs.define(eq=False, repr=False)
class Ledger:
    """The sources, propositions and claims of one story or investigation.

    Build one in code with `add_source`, `add_proposition` and `add_claim`
    (or all at once with `Ledger.from_objects`), or load one from a file with
    `provenance.load`.  Two ledgers are equal when their contents are, in
    order.

    Attributes:
        title: What the ledger covers.
        as_of: The date its report is as of, unless a policy says otherwise.
        lang: Language of the quotes, unless a claim says otherwise.
        publisher: Who keeps this ledger.
        url: The article or dossier it covers.
        policy: Its house rules (`Policy`); as_of is set on the ledger, not here.
    """

    title: str | None = attrs.field(default=None, converter=_title)
    as_of: dt.date | None = attrs.field(default=None, converter=_meta_date)
    lang: str | None = attrs.field(default=None, converter=_optional_lang)
    publisher: str | None = attrs.field(default=None, converter=_publisher)
    url: str | None = attrs.field(default=None, converter=_optional_url)
    policy: Policy = attrs.field(factory=Policy, converter=_policy)
    _sources: dict[str, Source] = attrs.field(factory=dict, init=False)
    _propositions: dict[str, Proposition] = attrs.field(factory=dict, init=False)
    _claims: dict[str, list[Claim]] = attrs.field(factory=dict, init=False)

    @classmethod
    def from_objects(
        cls,
        sources: Iterable[Source] = (),
        propositions: Iterable[Proposition] = (),
        claims: Iterable[Claim] = (),
        **meta: Any,
    ) -> Ledger:
        """Build a ledger from its objects, checking them all at once.

        Sources may depend on sources that come after them.  Every problem
        found is reported, not only the first.

        Raises:
            LedgerError: Any integrity rule is broken; `problems` lists each.
        """
        ledger = cls(**meta)
        sources = list(sources)
        problems: list[Problem] = []
        for index, source in enumerate(sources):
            found = ledger._source_problems(source, f"sources[{index}]", check_refs=False)
            problems += found
            if not found:
                ledger._sources[source.id] = source
        for index, source in enumerate(sources):
            if isinstance(source, Source):
                hint = len(problems) < HINTED_PROBLEMS
                problems += ledger._dependency_problems(source, f"sources[{index}]", hint=hint)
        for index, proposition in enumerate(propositions):
            found = ledger._proposition_problems(proposition, f"propositions[{index}]")
            problems += found
            if not found:
                ledger._propositions[proposition.id] = proposition
                ledger._claims[proposition.id] = []
        for index, claim in enumerate(claims):
            hint = len(problems) < HINTED_PROBLEMS
            found = ledger._claim_problems(claim, f"claims[{index}]", hint=hint)
            problems += found
            if not found:
                ledger._claims[claim.proposition].append(claim)
        if problems:
            raise LedgerError(problems)
        return ledger

    # -- reading -----------------------------------------------------------

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source, in the order they were added."""
        return tuple(self._sources.values())

    @property
    def propositions(self) -> tuple[Proposition, ...]:
        """Every proposition, in the order they were added."""
        return tuple(self._propositions.values())

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim, grouped by proposition in proposition order (file order)."""
        return tuple(claim for group in self._claims.values() for claim in group)

    def source(self, source_id: str) -> Source:
        """The source with this id.

        Raises:
            LedgerError: There is none.
        """
        return _lookup(self._sources, source_id, "source")

    def proposition(self, proposition_id: str) -> Proposition:
        """The proposition with this id.

        Raises:
            LedgerError: There is none.
        """
        return _lookup(self._propositions, proposition_id, "proposition")

    def claims_on(self, proposition_id: str) -> tuple[Claim, ...]:
        """The claims that bear on one proposition, in order.

        Raises:
            LedgerError: There is no such proposition.
        """
        self.proposition(proposition_id)
        return tuple(self._claims[proposition_id])

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Source):
            return self._sources.get(item.id) == item
        if isinstance(item, Proposition):
            return self._propositions.get(item.id) == item
        if isinstance(item, Claim):
            return item in self._claims.get(item.proposition, ())
        return False

    def __len__(self) -> int:
        return len(self._propositions)

    def __iter__(self) -> Iterator[Proposition]:
        return iter(self._propositions.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def _key(self) -> tuple[object, ...]:
        return (self._metadata(), self.sources, self.propositions, self.claims)

    def _metadata(self) -> dict[str, Any]:
        """The ledger's own settings by name: title, as_of, lang, publisher, url and policy."""
        return {a.name: getattr(self, a.name) for a in attrs.fields(Ledger) if a.init}

    def __repr__(self) -> str:
        """Code that builds an equal ledger, so that a failing test prints one to paste back.

        Past `REPR_OBJECTS` sources, propositions and claims, a summary instead.

        >>> from provenance import Claim, Ledger, Policy, Proposition, Source
        >>> Ledger.from_objects(
        ...     [Source("afp", "AFP", kind="wire", reliability="B")],
        ...     [Proposition("p", "P.")],
        ...     [Claim("p", "afp", stance="denies", said_on="2024-03-01")],
        ...     title="Example",
        ...     policy=Policy(min_independent=3),
        ... )
        Ledger.from_objects([Source(id='afp', name='AFP', kind='wire', reliability='B')], \
[Proposition(id='p', text='P.')], [Claim(proposition='p', source='afp', stance='denies', \
said_on='2024-03-01')], title='Example', policy=Policy(min_independent=3))
        """
        claims = self.claims
        if len(self._sources) + len(self._propositions) + len(claims) > REPR_OBJECTS:
            return (
                f"<Ledger {self.title!r}: {len(self._sources)} sources,"
                f" {len(self._propositions)} propositions, {len(claims)} claims>"
            )
        parts = [
            "[" + ", ".join(map(_code, items)) + "]"
            for items in (self.sources, self.propositions, claims)
        ]
        for name, value in self._metadata().items():
            if name == "policy":
                if value != Policy():
                    settings = ", ".join(f"{k}={v!r}" for k, v in value.non_defaults().items())
                    parts.append(f"policy=Policy({settings})")
            elif value is not None:
                parts.append(f"{name}={_plain(value)!r}")
        return f"Ledger.from_objects({', '.join(parts)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Pretty printers (IPython's, hypothesis's report of a failing case) show the repr."""
        printer.text(repr(self))

    def rebuild(
        self,
        *,
        sources: Iterable[Source] | None = None,
        propositions: Iterable[Proposition] | None = None,
        claims: Iterable[Claim] | None = None,
        **meta: Any,
    ) -> Ledger:
        """A new ledger from this one's parts and metadata, some replaced, checked afresh.

        With no arguments, an independent copy; ``rebuild(title=...)`` changes
        metadata, ``rebuild(claims=...)`` the claims, and so on.

        >>> from provenance import Claim, Ledger, Proposition, Source
        >>> ledger = Ledger.from_objects([Source("afp", "AFP")], [Proposition("p", "P.")])
        >>> len(ledger.rebuild(claims=[Claim("p", "afp")]).claims)
        1

        Raises:
            LedgerError: The new parts break an integrity rule.
        """
        return Ledger.from_objects(
            self.sources if sources is None else sources,
            self.propositions if propositions is None else propositions,
            self.claims if claims is None else claims,
            **{**self._metadata(), **meta},
        )

    # -- writing -----------------------------------------------------------

    def add_source(self, source: Source) -> None:
        """Add a source; the sources it depends on must be there already.

        Raises:
            LedgerError: Its id is taken, or it depends on an unknown source.
        """
        place = f"sources[{len(self._sources)}]"
        _refuse(self._source_problems(source, place, check_refs=True))
        self._sources[source.id] = source

    def add_proposition(self, proposition: Proposition) -> None:
        """Add a proposition.

        Raises:
            LedgerError: Its id is taken.
        """
        place = f"propositions[{len(self._propositions)}]"
        _refuse(self._proposition_problems(proposition, place))
        self._propositions[proposition.id] = proposition
        self._claims[proposition.id] = []

    def add_claim(self, claim: Claim) -> None:
        """Add a claim; its proposition, source and relays must be there already.

        Raises:
            LedgerError: A reference does not resolve.
        """
        place = f"claims[{sum(map(len, self._claims.values()))}]"
        _refuse(self._claim_problems(claim, place))
        self._claims[claim.proposition].append(claim)

    def replace_claim(self, old: Claim, new: Claim) -> None:
        """Put `new` in the place of `old` (e.g. to record a withdrawal).

        Raises:
            LedgerError: `old` is not in the ledger, or `new` breaks a rule or
                bears on another proposition.
        """
        group = self._claims.get(old.proposition, [])
        if old not in group:
            raise LedgerError("the claim to replace is not in the ledger")
        if new.proposition != old.proposition:
            raise LedgerError(
                Problem("a replacement must bear on the same proposition", "proposition")
            )
        _refuse(self._claim_problems(new, "claim"))
        group[group.index(old)] = new

    def remove_claim(self, claim: Claim) -> None:
        """Remove one claim.

        Raises:
            LedgerError: It is not in the ledger.
        """
        group = self._claims.get(claim.proposition, [])
        if claim not in group:
            raise LedgerError("the claim to remove is not in the ledger")
        group.remove(claim)

    # -- rules -------------------------------------------------------------

    def _source_problems(self, source: Source, place: str, *, check_refs: bool) -> list[Problem]:
        if not isinstance(source, Source):
            return [Problem(f"expected a Source, got {source!r}", place)]
        if source.id in self._sources:
            return [Problem(f"duplicate source id {source.id!r}", f"{place}.id")]
        return self._dependency_problems(source, place) if check_refs else []

    def _dependency_problems(
        self, source: Source, place: str, *, hint: bool = True
    ) -> list[Problem]:
        return [
            Problem(
                f"no source {dep!r}{suggest(dep, self._sources) if hint else ''}",
                f"{place}.depends_on[{i}]",
            )
            for i, dep in enumerate(source.depends_on)
            if dep not in self._sources
        ]

    def _proposition_problems(self, proposition: Proposition, place: str) -> list[Problem]:
        if not isinstance(proposition, Proposition):
            return [Problem(f"expected a Proposition, got {proposition!r}", place)]
        if proposition.id in self._propositions:
            return [Problem(f"duplicate proposition id {proposition.id!r}", f"{place}.id")]
        return []

    def _claim_problems(self, claim: Claim, place: str, *, hint: bool = True) -> list[Problem]:
        if not isinstance(claim, Claim):
            return [Problem(f"expected a Claim, got {claim!r}", place)]

        def maybe(name: str, known: Iterable[str]) -> str:
            return suggest(name, known) if hint else ""

        problems = []
        if claim.proposition not in self._propositions:
            more = maybe(claim.proposition, self._propositions)
            problems.append(
                Problem(f"no proposition {claim.proposition!r}{more}", f"{place}.proposition")
            )
        if claim.source not in self._sources:
            more = maybe(claim.source, self._sources)
            problems.append(Problem(f"no source {claim.source!r}{more}", f"{place}.source"))
        for index, relay in enumerate(claim.via):
            if relay not in self._sources:
                more = maybe(relay, self._sources)
                problems.append(Problem(f"no source {relay!r}{more}", f"{place}.via[{index}]"))
        return problems


def _plain(value: Any) -> Any:
    """A field's value as its constructor accepts it: text for enums and dates, lists for tuples."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def _code(item: Source | Proposition | Claim) -> str:
    """Code that builds `item`: its class and the fields that differ from their defaults."""
    arguments = []
    for field in attrs.fields(type(item)):
        value = getattr(item, field.name)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is not attrs.NOTHING and value == (
            field.converter(default) if callable(field.converter) else default
        ):
            continue
        arguments.append(f"{field.name}={_plain(value)!r}")
    return f"{type(item).__name__}({', '.join(arguments)})"


def _lookup(table: dict[str, T], key: str, what: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise LedgerError(f"no {what} {key!r}{suggest(key, table)}") from None


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise LedgerError(problems)


def _differences(a: Any, b: Any) -> str:
    fields = [f.name for f in attrs.fields(type(a)) if getattr(a, f.name) != getattr(b, f.name)]
    return ", ".join(fields)


def merge(ledgers: Iterable[tuple[str, Ledger]]) -> Ledger:
    """One ledger from several, such as the ledgers of articles on one story.

    A source or proposition may be defined in several ledgers, but each
    definition must be identical; claims are concatenated in the order
    given.  Title, as_of, lang, publisher, url and policy come from the
    first ledger.  A quote whose ledger had another language than the first
    keeps its own language.

    Args:
        ledgers: Pairs of a name (how problems refer to the ledger, e.g. its
            file name) and the ledger.

    Raises:
        LedgerError: A source or proposition is defined differently in two
            ledgers; each problem names both places, e.g.
            ``b.toml: sources[0]: source 'afp' differs from a.toml: sources[2] (reliability)``.
        ValueError: `ledgers` is empty.
    """
    items = list(ledgers)
    if not items:
        raise ValueError("no ledger to merge")
    if len(items) == 1:
        return items[0][1]
    first = items[0][1]
    sources: dict[str, tuple[Source, str]] = {}
    propositions: dict[str, tuple[Proposition, str]] = {}
    claims_: list[Claim] = []
    problems: list[Problem] = []

    def define(table: dict[str, Any], item: Any, what: str, name: str, place: str) -> None:
        if item.id not in table:
            table[item.id] = (item, f"{name}: {place}")
        elif table[item.id][0] != item:
            known, where = table[item.id]
            problems.append(
                Problem(
                    f"{what} {item.id!r} differs from {where} ({_differences(known, item)})",
                    place,
                    name,
                )
            )

    for name, ledger in items:
        for index, source in enumerate(ledger.sources):
            define(sources, source, "source", name, f"sources[{index}]")
        for index, proposition in enumerate(ledger.propositions):
            define(propositions, proposition, "proposition", name, f"propositions[{index}]")
        for claim in ledger.claims:
            if claim.quote and claim.lang is None and ledger.lang not in (None, first.lang):
                claim = attrs.evolve(claim, lang=ledger.lang)
            claims_.append(claim)
    if problems:
        raise LedgerError(problems)
    return Ledger.from_objects(
        [source for source, _ in sources.values()],
        [proposition for proposition, _ in propositions.values()],
        claims_,
        **first._metadata(),
    )
