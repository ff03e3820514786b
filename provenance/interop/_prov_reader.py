"""Reading a W3C PROV document back into a ledger, the inverse of `to_prov`.

`Reader` goes once over a document's records, sorts them into sources,
propositions, claims and relay steps by their PROV class and ``cp:`` type,
follows each claim's chain of quotations, and collects every problem it
finds, each named by its record and attribute, instead of stopping at the
first.  Use it through `provenance.interop.prov.from_prov`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import LedgerError, PolicyError, Problem, shown
from ..ledger import Ledger
from ..model import Claim, Proposition, Source
from ..policy import Policy
from .prov import VOCABULARY, _generic_fields, _label, _plain, _prov

if TYPE_CHECKING:
    from prov.model import ProvDocument, ProvRecord

__all__ = ["Reader"]

_PLACE = re.compile(r"(sources|propositions|claims)\[(\d+)\]\.?")


def _local(record: ProvRecord) -> str | None:
    """The local part of an element's identifier: the ledger id it carries."""
    identifier = record.identifier
    return None if identifier is None else identifier.localpart


class Reader:
    """One pass over a document's records, collecting problems instead of failing on the first."""

    def __init__(self, document: ProvDocument) -> None:
        self.model = _prov()
        self.document = document
        self.problems: list[Problem] = []
        self.cp = self.model.Namespace("cp", VOCABULARY)
        self.elements: dict[Any, ProvRecord] = {}
        self.kinds: dict[Any, str] = {}
        self.ledgers: list[ProvRecord] = []
        self.agents: list[ProvRecord] = []
        self.propositions: list[ProvRecord] = []
        self.claims: list[ProvRecord] = []
        self.relays: list[ProvRecord] = []
        self.attributed: dict[Any, list[Any]] = defaultdict(list)
        self.quoted_from: dict[Any, list[Any]] = defaultdict(list)
        self.quoted_by: dict[Any, list[Any]] = defaultdict(list)
        self.primary: list[tuple[ProvRecord, Any, Any]] = []
        self.influences: dict[Any, list[Any]] = defaultdict(list)
        self.generated: dict[Any, list[dt.datetime]] = defaultdict(list)
        self.invalidated: dict[Any, list[dt.datetime]] = defaultdict(list)

    def fail(self, record: ProvRecord | None, message: str, attribute: Any = None) -> None:
        place = _label(record) if record is not None else None
        if attribute is not None:
            place = f"{place}.{attribute}" if place else str(attribute)
        self.problems.append(Problem(message, place))

    # -- classifying records -------------------------------------------

    def ledger(self) -> Ledger:
        """The ledger, or a `LedgerError` with every problem found."""
        if self.document.has_bundles():
            for bundle in self.document.bundles:
                self.problems.append(
                    Problem("a ledger has no bundles", f"bundle({bundle.identifier})")
                )
        records = self.document.get_records()
        for record in records:
            if record.is_element():
                self._element(record)
        for record in records:
            if record.is_relation():
                self._relation(record)
        meta = self._meta()
        sources = self._sources()
        propositions = self._propositions()
        claims, places = self._claims(meta.get("lang"))
        if self.problems:
            raise LedgerError(self.problems)
        try:
            return Ledger.from_objects(sources, propositions, claims, **meta)
        except LedgerError as error:
            raise LedgerError(self._relocate(p, places) for p in error.problems) from None

    def _relocate(self, problem: Problem, places: dict[str, list[str]]) -> Problem:
        match = _PLACE.match(problem.place or "")
        if not match:
            return problem
        table, index = match.group(1), int(match.group(2))
        rest = (problem.place or "")[match.end() :]
        return Problem(problem.message, f"{places[table][index]}{'.' if rest else ''}{rest}")

    def _cp_types(self, record: ProvRecord) -> list[str]:
        return [
            t.localpart
            for t in record.get_asserted_types()
            if isinstance(t, self.model.QualifiedName) and t.namespace.uri == VOCABULARY
        ]

    def _element(self, record: ProvRecord) -> None:
        model = self.model
        identifier = record.identifier
        if identifier in self.elements:
            self.fail(record, "is declared twice")
            return
        self.elements[identifier] = record
        types = self._cp_types(record)
        if isinstance(record, model.ProvAgent):
            self.kinds[identifier] = "agent"
            self.agents.append(record)
            return
        if isinstance(record, model.ProvActivity):
            self.kinds[identifier] = "activity"
            if types != ["Assessment"]:
                self.fail(record, "a ledger holds no activity but its assessment")
            return
        known = {
            "Ledger": self.ledgers,
            "Proposition": self.propositions,
            "Claim": self.claims,
            "Relay": self.relays,
            "Verdict": None,
        }
        found = [t for t in types if t in known]
        if len(found) != 1:
            self.fail(
                record,
                "not a proposition, claim, relayed claim or verdict: prov:type must be one of"
                " cp:Proposition, cp:Claim, cp:Relay, cp:Verdict or cp:Ledger",
                "prov:type",
            )
            return
        self.kinds[identifier] = found[0]
        bucket = known[found[0]]
        if bucket is not None:
            bucket.append(record)

    def _relation(self, record: ProvRecord) -> None:
        model = self.model
        formal = {name.localpart: value for name, value in record.formal_attributes}
        extra = [(n, v) for n, v in record.extra_attributes if n != model.PROV_TYPE]
        if extra:
            self.fail(record, "a ledger gives this relation no attributes", extra[0][0])
            return
        refs = [v for v in formal.values() if isinstance(v, model.QualifiedName)]
        for ref in refs:
            if ref not in self.elements:
                self.fail(record, f"refers to {str(ref)!r}, which the document does not declare")
                return
        kind = {ref: self.kinds.get(ref) for ref in refs}
        types = {t for t in record.get_asserted_types()}
        if isinstance(record, model.ProvAttribution):
            if kind.get(formal["entity"]) not in ("Claim", "Relay"):
                self.fail(record, "a ledger attributes only claims and relayed claims")
            else:
                self.attributed[formal["entity"]].append(formal["agent"])
        elif isinstance(record, model.ProvDerivation):
            generated, used = formal["generatedEntity"], formal["usedEntity"]
            if model.PROV["Quotation"] in types:
                self.quoted_from[generated].append(used)
                self.quoted_by[used].append(generated)
            elif model.PROV["PrimarySource"] in types:
                self.primary.append((record, generated, used))
            elif kind.get(generated) != "Verdict":
                self.fail(record, "a ledger derives only verdicts, quotations and primary sources")
        elif isinstance(record, model.ProvGeneration):
            entity, activity, time = formal["entity"], formal.get("activity"), formal.get("time")
            if kind.get(entity) == "Verdict" and activity is not None:
                return
            if kind.get(entity) != "Claim" or activity is not None or time is None:
                self.fail(
                    record, "a ledger gives only a claim a generation, its date, with no activity"
                )
            else:
                self.generated[entity].append(time)
        elif isinstance(record, model.ProvInvalidation):
            entity, time = formal["entity"], formal.get("time")
            if kind.get(entity) != "Claim" or formal.get("activity") is not None or time is None:
                self.fail(record, "a ledger invalidates only a claim, on its withdrawal date")
            else:
                self.invalidated[entity].append(time)
        elif isinstance(record, model.ProvUsage):
            if kind.get(formal["activity"]) != "activity" or kind.get(formal["entity"]) != "Claim":
                self.fail(record, "only the assessment uses anything, and only claims")
        elif isinstance(record, model.ProvInfluence):
            influencee, influencer = formal["influencee"], formal["influencer"]
            if kind.get(influencee) != "agent" or kind.get(influencer) != "agent":
                self.fail(record, "a ledger's influences are between sources (depends_on)")
            else:
                self.influences[influencee].append(influencer)
        else:
            self.fail(record, "a ledger holds no relation of this kind")

    # -- attributes -------------------------------------------------------

    def _attributes(self, record: ProvRecord, cls: type, taken: Iterable[Any]) -> dict[str, Any]:
        """The generic fields of `cls` from `record`'s ``cp:`` attributes; others are problems."""
        fields = {f.name: f for f in _generic_fields(cls)}
        skip = set(taken)
        values: dict[str, list[Any]] = defaultdict(list)
        for name, value in record.attributes:
            if name in skip:
                continue
            if name.namespace.uri == VOCABULARY and name.localpart in fields:
                values[name.localpart].append(_plain(value))
            elif not (
                cls is Ledger
                and name.namespace.uri == VOCABULARY
                and name.localpart.startswith("policy.")
            ):
                self.fail(record, "not part of a ledger", name)
        out: dict[str, Any] = {}
        for field, found in values.items():
            if len(found) > 1:
                self.fail(record, "has more than one value", f"cp:{field}")
            elif fields[field].default == ():
                out[field] = self._list(record, field, found[0])
            else:
                out[field] = found[0]
        return out

    def _list(self, record: ProvRecord, field: str, value: Any) -> Any:
        try:
            items = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            items = None
        if not isinstance(items, list):
            self.fail(record, f"{shown(value)} is not the text of a JSON array", f"cp:{field}")
            return ()
        return items

    def _one(self, record: ProvRecord, attribute: Any, what: str) -> Any:
        values = list(record.get_attribute(attribute))
        if not values:
            self.fail(record, f"has no {attribute} ({what})")
            return None
        if len(values) > 1:
            self.fail(record, "has more than one value", attribute)
            return None
        return _plain(values[0])

    def _build(
        self, cls: type, record: ProvRecord, fields: dict[str, Any], where: dict[str, Any]
    ) -> Any:
        try:
            return cls(**fields)
        except LedgerError as error:
            for problem in error.problems:
                field = (problem.place or "").split("[")[0].split(".")[0]
                self.fail(
                    record, problem.message, where.get(field, f"cp:{field}" if field else None)
                )
        except PolicyError as error:
            self.fail(record, error.problems[0].message, f"cp:policy.{error.field}")
        return None

    def _meta(self) -> dict[str, Any]:
        if not self.ledgers:
            return {}
        if len(self.ledgers) > 1:
            self.fail(self.ledgers[1], "a document holds one ledger")
        record = self.ledgers[0]
        meta = self._attributes(record, Ledger, [self.model.PROV_TYPE])
        policy: dict[str, Any] = {}
        fields = attrs.fields_dict(Policy)
        for name, value in record.attributes:
            if name.namespace.uri != VOCABULARY or not name.localpart.startswith("policy."):
                continue
            path = name.localpart.split(".")[1:]
            table = path[0] in ("reliability_p", "hedging")
            if path[0] not in fields or path[0] == "as_of" or len(path) != 1 + table:
                self.fail(record, "not a policy setting", name)
            elif table:
                policy.setdefault(path[0], {})[path[1]] = _plain(value)
            else:
                policy[path[0]] = _plain(value)
        if policy:
            built = self._build(Policy, record, policy, {})
            if built is not None:
                meta["policy"] = built
        checked = {}
        for field, value in meta.items():
            converter = attrs.fields_dict(Ledger)[field].converter
            try:
                checked[field] = converter(value) if callable(converter) else value
            except LedgerError as error:
                self.fail(record, error.problems[0].message, f"cp:{field}")
        return checked

    def _sources(self) -> list[Source]:
        model = self.model
        out = []
        for record in self.agents:
            taken = [model.PROV_TYPE, model.PROV_LABEL]
            fields = self._attributes(record, Source, taken)
            kinds = self._cp_types(record)
            others = [
                t
                for t in record.get_asserted_types()
                if t
                not in (
                    model.PROV["Person"],
                    model.PROV["Organization"],
                    model.PROV["SoftwareAgent"],
                )
                and not (isinstance(t, model.QualifiedName) and t.namespace.uri == VOCABULARY)
            ]
            if others or len(kinds) > 1:
                self.fail(
                    record, "a source has one kind (cp:state-media, cp:wire, ...)", "prov:type"
                )
            elif kinds:
                fields["kind"] = kinds[0]
            fields["id"] = _local(record)
            fields["name"] = self._one(record, model.PROV_LABEL, "a source needs a name")
            if fields["name"] is None:
                continue
            fields["depends_on"] = [i.localpart for i in self.influences.get(record.identifier, [])]
            source = self._build(
                Source,
                record,
                fields,
                {
                    "id": None,
                    "name": "prov:label",
                    "kind": "prov:type",
                    "depends_on": "wasInfluencedBy",
                },
            )
            if source is not None:
                out.append(source)
        return out

    def _propositions(self) -> list[Proposition]:
        model = self.model
        out = []
        for record in self.propositions:
            fields = self._attributes(record, Proposition, [model.PROV_TYPE, model.PROV_LABEL])
            fields["id"] = _local(record)
            fields["text"] = self._one(record, model.PROV_LABEL, "a proposition needs its text")
            if fields["text"] is None:
                continue
            proposition = self._build(
                Proposition, record, fields, {"id": None, "text": "prov:label"}
            )
            if proposition is not None:
                out.append(proposition)
        return out

    def _claims(self, ledger_lang: str | None) -> tuple[list[Claim], dict[str, list[str]]]:
        model = self.model
        cp_proposition = self.cp["proposition"]
        out = []
        places: dict[str, list[str]] = {
            "sources": [_label(r) for r in self.agents],
            "propositions": [_label(r) for r in self.propositions],
            "claims": [],
        }
        reached: set[Any] = set()
        for record in self.claims:
            identifier = record.identifier
            taken = [model.PROV_TYPE, cp_proposition, model.PROV_VALUE]
            fields = self._attributes(record, Claim, taken)
            target = self._one(record, cp_proposition, "which proposition it bears on")
            ref = next(iter(record.get_attribute(cp_proposition)), None)
            if target is not None:
                if self.kinds.get(ref) != "Proposition":
                    self.fail(
                        record, f"{target!r} is not a proposition of the document", "cp:proposition"
                    )
                    continue
                fields["proposition"] = getattr(ref, "localpart", None)
            fields["source"] = self._speaker(record)
            quotes = list(record.get_attribute(model.PROV_VALUE))
            if len(quotes) > 1:
                self.fail(record, "has more than one value", "prov:value")
            elif quotes:
                quote = quotes[0]
                fields["quote"] = _plain(quote)
                tag = quote.langtag if isinstance(quote, model.Literal) else None
                if "lang" not in fields and tag and tag.lower() != (ledger_lang or "").lower():
                    fields["lang"] = tag
            fields["via"] = self._chain(record, reached)
            for field, times, relation in (
                ("said_on", self.generated, "wasGeneratedBy"),
                ("withdrawn_on", self.invalidated, "wasInvalidatedBy"),
            ):
                found = times.get(identifier, [])
                if len(found) > 1:
                    self.fail(record, f"has more than one {relation} (one date is its {field})")
                elif found:
                    fields[field] = (
                        found[0].date() if isinstance(found[0], dt.datetime) else found[0]
                    )
            if None in (fields.get("source"), fields.get("proposition")) or None in fields["via"]:
                continue
            claim = self._build(
                Claim,
                record,
                fields,
                {
                    "source": "wasAttributedTo",
                    "via": "wasQuotedFrom",
                    "said_on": "wasGeneratedBy",
                    "withdrawn_on": "wasInvalidatedBy",
                    "quote": "prov:value",
                    "proposition": "cp:proposition",
                },
            )
            if claim is not None:
                out.append(claim)
                places["claims"].append(_label(record))
        for relay in self.relays:
            for name, _ in relay.attributes:
                if name != model.PROV_TYPE:
                    self.fail(relay, "a relayed claim has no attributes of its own", name)
            if relay.identifier not in reached:
                self.fail(relay, "a relayed claim that no claim's relay chain reaches")
        for record, generated, used in self.primary:
            origin = self._origin(generated)
            if origin != used:
                self.fail(record, "a relayed claim's primary source must be the claim it relays")
        return out, places

    def _speaker(self, record: ProvRecord) -> str | None:
        agents = self.attributed.get(record.identifier, [])
        if len(agents) != 1:
            what = "no" if not agents else "more than one"
            self.fail(record, f"is attributed to {what} source (wasAttributedTo): who said it?")
            return None
        if self.kinds.get(agents[0]) != "agent":
            self.fail(record, f"is attributed to {str(agents[0])!r}, which is not an agent")
            return None
        localpart: str = agents[0].localpart
        return localpart

    def _chain(self, claim: ProvRecord, reached: set[Any]) -> list[str | None]:
        via: list[str | None] = []
        current = claim.identifier
        seen = {current}
        while True:
            quoters = self.quoted_by.get(current, [])
            if not quoters:
                return via
            if len(quoters) > 1:
                self.fail(
                    self.elements[current], "is quoted more than once: a relay chain is one line"
                )
                return [None]
            current = quoters[0]
            record = self.elements[current]
            if current in seen:
                self.fail(record, "its relay chain loops back on itself (wasQuotedFrom)")
                return [None]
            seen.add(current)
            if self.kinds.get(current) != "Relay":
                self.fail(record, "quotes a claim but is not a relayed claim (cp:Relay)")
                return [None]
            if len(self.quoted_from[current]) > 1:
                self.fail(record, "quotes more than one claim")
                return [None]
            reached.add(current)
            via.append(self._speaker(record))

    def _origin(self, relay: Any) -> Any:
        current, seen = relay, set()
        while self.quoted_from.get(current) and current not in seen:
            seen.add(current)
            current = self.quoted_from[current][0]
        return current
