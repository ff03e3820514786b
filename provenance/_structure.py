"""Turn a parsed tree into a `Ledger`, and a ledger back into a tree, by walking the attrs classes.

Reading, each table is checked against the fields of its class (`Source`,
`Proposition`, `Claim`, `Policy`, and the ledger's own metadata): unknown
keys are refused with the nearest known one, required keys must be there,
and each value goes through the field's own attrs converter, which
validates it.  Every problem found is kept with its place in the file
(``propositions[3].claims[0].source``), so that one pass reports them all.
Writing, each object becomes a table of plain values in field order,
leaving out absent values and empty lists.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import attrs

from ._parse import join, short
from .errors import LedgerError, PolicyError, Problem
from .ledger import Ledger, suggest
from .model import Claim, Proposition, Source, is_slug
from .policy import Policy

__all__ = ["build", "toml_text", "tree"]

T = TypeVar("T", bound=attrs.AttrsInstance)

# Keys that the model knows but a file must not spell, with the reason.
NOT_IN_FILE: dict[tuple[type, str], str] = {
    (Claim, "proposition"): "a claim bears on the proposition it is nested under",
    (Policy, "as_of"): "as_of belongs at the top of the ledger, not in [policy]",
}
# Keys a file spells but the class does not hold (they are read separately).
ALSO_KNOWN: dict[type, tuple[str, ...]] = {
    Ledger: ("sources", "propositions"),
    Proposition: ("claims",),
}
HINTS: dict[tuple[type, str], str] = {
    **NOT_IN_FILE,
    (Ledger, "claims"): "claims nest under their proposition: [[propositions.claims]]",
}
# Fields that a table of its class does not hold when written: a claim sits
# under its proposition, and the policy is written from its non-defaults.
NOT_WRITTEN = frozenset({(Claim, "proposition"), (Ledger, "policy")})


# -- reading ---------------------------------------------------------------


def build(tree: dict[str, Any], name: str) -> Ledger:
    """Structure a parsed file into a ledger, collecting every problem found.

    Raises:
        LedgerError: Anything breaks the format or an integrity rule; every
            problem names `name` and its place in the file.
    """
    problems: list[Problem] = []
    top = dict(tree)
    raw_sources = top.pop("sources", [])
    raw_propositions = top.pop("propositions", [])
    header = _structure(Ledger, top, "", problems)
    meta: dict[str, Any] = {}
    if header is not None:
        meta = {f.name: getattr(header, f.name) for f in attrs.fields(Ledger) if f.init}

    sources: list[tuple[str, Source]] = []
    for place, raw in _entries(raw_sources, "sources", problems):
        source = _structure(Source, raw, place, problems)
        if source is None and is_slug(_raw_id(raw)):
            # A stand-in keeps references to a broken source from being reported twice.
            source = Source(_raw_id(raw), "-")
        if source is not None:
            sources.append((place, source))

    propositions: list[tuple[str, Proposition]] = []
    claims: list[tuple[str, Claim]] = []
    for place, raw in _entries(raw_propositions, "propositions", problems):
        body = dict(raw) if isinstance(raw, Mapping) else raw
        raw_claims = body.pop("claims", []) if isinstance(body, dict) else []
        proposition = _structure(Proposition, body, place, problems)
        if proposition is None and is_slug(_raw_id(raw)):
            proposition = Proposition(_raw_id(raw), "-")
        if proposition is not None:
            propositions.append((place, proposition))
        # Claims under a broken proposition are still checked field by field.
        bears_on = proposition.id if proposition else "unknown"
        for claim_place, raw_claim in _entries(raw_claims, f"{place}.claims", problems):
            claim = _structure(Claim, raw_claim, claim_place, problems, proposition=bears_on)
            if claim is not None and proposition is not None:
                claims.append((claim_place, claim))

    try:
        ledger = Ledger.from_objects(
            (source for _, source in sources),
            (proposition for _, proposition in propositions),
            (claim for _, claim in claims),
            **meta,
        )
    except LedgerError as error:
        places = {
            "sources": [place for place, _ in sources],
            "propositions": [place for place, _ in propositions],
            "claims": [place for place, _ in claims],
        }
        problems += [_relocate(problem, places) for problem in error.problems]
    if problems:
        raise LedgerError(problem.located(name) for problem in problems)
    return ledger


def _structure(
    cls: type[T], raw: Any, place: str, problems: list[Problem], **given: Any
) -> T | None:
    """An instance of `cls` from the table `raw`, or None after adding what is wrong to `problems`.

    Each field's own attrs converter validates its value; `given` holds
    values that the file does not spell (a claim's proposition).  The
    policy table of a ledger is structured the same way, under ``policy``.
    """
    if not isinstance(raw, Mapping):
        problems.append(Problem(f"expected a table, got {short(raw)}", place or None))
        return None
    if cls is not Ledger and not _forbidden(cls).intersection(raw):
        # The usual case, a valid table: the class converts and checks each
        # value once.  Anything wrong is found again below, field by field.
        try:
            return cls(**given, **raw)
        except (LedgerError, PolicyError, TypeError):
            pass
    found: list[Problem] = []
    values = dict(given)
    fields = [f for f in attrs.fields(cls) if f.init and (cls, f.name) not in NOT_IN_FILE]
    for field in fields:
        if field.name not in raw:
            if field.default is attrs.NOTHING:
                found.append(Problem(f"missing required key {field.name!r}", place or None))
            continue
        at = join(place, field.name)
        if cls is Ledger and field.name == "policy":
            policy = _structure(Policy, raw[field.name], at, found)
            if policy is not None:
                values[field.name] = policy
            continue
        assert callable(field.converter)  # every field of the model converts its value
        try:
            values[field.name] = field.converter(raw[field.name])
        except (LedgerError, PolicyError) as error:
            found += [
                Problem(p.message, join(place, p.place) if p.place else at) for p in error.problems
            ]
    known = [f.name for f in fields] + list(ALSO_KNOWN.get(cls, ()))
    for key in sorted(map(str, set(raw) - {f.name for f in fields})):
        hint = HINTS.get((cls, key))
        more = f" ({hint})" if hint else suggest(key, known)
        found.append(Problem(f"unknown key {key!r}{more}", place or None))
    if not found:
        try:
            return cls(**values)
        except (LedgerError, PolicyError) as error:
            # Rules across fields (a withdrawal before the saying, a source
            # depending on itself), placed at the field they name.
            found += [Problem(p.message, join(place, p.place) or None) for p in error.problems]
    problems += found
    return None


@functools.cache
def _forbidden(cls: type) -> frozenset[str]:
    """The keys of `cls` that a file must not spell."""
    return frozenset(key for owner, key in NOT_IN_FILE if owner is cls)


def _entries(value: Any, place: str, problems: list[Problem]) -> Iterator[tuple[str, Any]]:
    if not isinstance(value, list):
        problems.append(Problem(f"expected a list of tables, got {short(value)}", place))
        return
    for index, item in enumerate(value):
        yield f"{place}[{index}]", item


def _raw_id(raw: Any) -> Any:
    return raw.get("id") if isinstance(raw, Mapping) else None


def _relocate(problem: Problem, places: dict[str, list[str]]) -> Problem:
    """Map a place of `Ledger.from_objects` (``claims[7].source``) to its place in the file."""
    found = re.match(r"(sources|propositions|claims)\[(\d+)\]", problem.place or "")
    if not found:
        return problem
    place = places[found[1]][int(found[2])] + (problem.place or "")[found.end() :]
    return Problem(problem.message, place, problem.file)


# -- writing ---------------------------------------------------------------


def tree(ledger: Ledger, fmt: str) -> dict[str, Any]:
    """The tree of plain values a ledger file holds; dates stay dates for TOML."""
    top = _table(ledger, fmt)
    top["sources"] = [_table(source, fmt) for source in ledger.sources]
    top["propositions"] = []
    for proposition in ledger.propositions:
        entry = _table(proposition, fmt)
        claims = [_table(claim, fmt) for claim in ledger.claims_on(proposition.id)]
        if claims:
            entry["claims"] = claims
        top["propositions"].append(entry)
    policy = ledger.policy.non_defaults()
    policy.pop("as_of", None)
    if policy:
        top["policy"] = policy
    return top


def _table(value: Any, fmt: str) -> dict[str, Any]:
    """One object's fields in order, leaving out absent values and empty lists."""
    table: dict[str, Any] = {}
    cls = type(value)
    for field in attrs.fields(cls):
        if not field.init or (cls, field.name) in NOT_WRITTEN:
            continue
        item = getattr(value, field.name)
        if item is None or item == ():
            continue
        table[field.name] = _plain(item, fmt)
    return table


def _plain(value: Any, fmt: str) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    if fmt == "json" and isinstance(value, dt.date):
        return value.isoformat()
    return value


def toml_text(tree: dict[str, Any]) -> str:
    """Lay a ledger file out as people write one: a ``[[sources]]`` table per source, and so on.

    tomli_w writes every value; the layout is spelled here because tomli_w
    would write short tables inline, which is harder to read and to diff.
    """
    import tomli_w  # only for writing TOML

    head = dict(tree)
    sources = head.pop("sources")
    propositions = head.pop("propositions")
    policy = head.pop("policy", None)
    for key, items in (("sources", sources), ("propositions", propositions)):
        if not items:
            head[key] = []
    blocks = [tomli_w.dumps(head)] if head else []
    blocks += ["[[sources]]\n" + tomli_w.dumps(source) for source in sources]
    for proposition in propositions:
        claims = proposition.pop("claims", [])
        blocks.append("[[propositions]]\n" + tomli_w.dumps(proposition))
        for claim in claims:
            text = "[[propositions.claims]]\n" + tomli_w.dumps(claim)
            # Indent by "\n" only: str.splitlines would also break at U+2028 inside a string.
            blocks.append(re.sub(r"(?m)^(?=.)", "  ", text))
    if policy:
        blocks.append(tomli_w.dumps({"policy": policy}))
    return "\n".join(blocks)
