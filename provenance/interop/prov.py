"""A ledger as a W3C PROV document, and back.

`to_prov` maps a ledger to a `prov.model.ProvDocument` of the ``prov``
package (``pip install 'claim-provenance[prov]'``), which writes it as
PROV-JSON, PROV-N, PROV-XML, PROV-O (RDF) or PROV-JSONLD; `from_prov` reads
such a document back into a ledger, so that ``from_prov(to_prov(x)) == x``.

Every source is a ``prov:Agent``, every proposition and claim a
``prov:Entity``; a claim is attributed to its source (``wasAttributedTo``),
and each step of its relay chain is a relayed version quoted from the one
before it (``wasQuotedFrom``) whose primary source is the claim
(``hadPrimarySource``).  What PROV has no construct for (a source's grade, a
claim's stance and certainty, the ledger's house rules) is carried in the
library's own namespace, `VOCABULARY`, under the name the ledger file gives
it (``cp:reliability``, ``cp:stance``, ``cp:policy.min_independent``).
``docs/interop.md`` has the whole mapping.

A document that is not a ledger gets a `LedgerError` whose problems name the
record and the attribute at fault
(``entity(claim:c3).cp:credence: 1.5 is not a probability ...``), never a
``KeyError``.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> ledger = Ledger.from_objects(
...     [Source("kcna", "KCNA", kind="state-media", reliability="E"),
...      Source("afp", "AFP", kind="wire", reliability="B")],
...     [Proposition("visit", "Naryshkin visited Pyongyang.")],
...     [Claim("visit", "kcna", via=["afp"])])
>>> document = to_prov(ledger)
>>> from_prov(document) == ledger
True
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import LedgerError, PolicyError, Problem, shown
from ..ledger import Ledger
from ..model import Claim, Proposition, Source, SourceKind
from ..policy import Policy

if TYPE_CHECKING:
    from prov.identifier import QualifiedName
    from prov.model import ProvDocument, ProvRecord

    from ..assess import Assessments

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "NAMESPACES",
    "PERSON_KINDS",
    "VOCABULARY",
    "from_prov",
    "read",
    "to_prov",
    "write",
]

#: The namespace of the library's own PROV attributes and types (prefix ``cp``).
VOCABULARY = "urn:claim-provenance:vocab#"

#: Prefix and URI of every namespace a document from `to_prov` declares.
NAMESPACES = {
    "cp": VOCABULARY,
    "ledger": "urn:claim-provenance:ledger:",
    "source": "urn:claim-provenance:source:",
    "proposition": "urn:claim-provenance:proposition:",
    "claim": "urn:claim-provenance:claim:",
    "relay": "urn:claim-provenance:relay:",
    "verdict": "urn:claim-provenance:verdict:",
}

#: Source kinds that speak as a person (``prov:Person``, schema.org ``Person``);
#: every other kind speaks as an organization.
PERSON_KINDS = frozenset({SourceKind.OFFICIAL, SourceKind.EXPERT, SourceKind.ANONYMOUS})

#: Export format names and the ``prov`` package's serializer for each.
EXPORT_FORMATS = {
    "prov-json": "json",
    "prov-n": "provn",
    "prov-xml": "xml",
    "prov-rdf": "rdf",
    "prov-jsonld": "jsonld",
}

#: File suffixes `read` accepts, and the format each names.  RDF is not among
#: them: an RDF graph keeps no order, and a ledger's order is part of it.
IMPORT_FORMATS = {".json": "json", ".provn": "provn", ".jsonld": "jsonld", ".xml": "xml"}

INSTALL = "pip install 'claim-provenance[prov]'"

# Fields carried by a PROV construct of their own; every other field of the
# class is carried generically as ``cp:<field>``, so that a new optional
# field of the model needs no change here.
_SPECIAL = {
    Source: frozenset({"id", "name", "kind", "depends_on"}),
    Proposition: frozenset({"id", "text"}),
    Claim: frozenset({"proposition", "source", "via", "said_on", "withdrawn_on", "quote"}),
    Ledger: frozenset({"policy"}),
}

_PLACE = re.compile(r"(sources|propositions|claims)\[(\d+)\]\.?")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _prov() -> Any:
    try:
        import prov.model
    except ImportError:
        raise LedgerError(f"W3C PROV needs the 'prov' package: {INSTALL}") from None
    return prov.model


def _generic_fields(cls: type) -> list[attrs.Attribute[Any]]:
    return [f for f in attrs.fields(cls) if f.init and f.name not in _SPECIAL[cls]]


def _encode(value: Any) -> list[Any]:
    """A field's value as PROV attribute values: none for None or an empty list.

    A list is written as the text of a JSON array: PROV attribute values are
    a set, and a list keeps its order and its repeats.
    """
    model = _prov()
    if value is None or value == ():
        return []
    if isinstance(value, tuple):
        return [
            json.dumps([_plain(v) for item in value for v in _encode(item)], ensure_ascii=False)
        ]
    if isinstance(value, enum.Enum):
        return [str(value.value)]
    if isinstance(value, dt.date):
        return [model.Literal(value.isoformat(), model.XSD_DATE)]
    return [value]


def _plain(value: Any) -> Any:
    """A PROV attribute value as the plain value a model converter accepts."""
    model = _prov()
    if isinstance(value, model.Literal):
        return value.value
    if isinstance(value, model.QualifiedName):
        return str(value)
    return value


# -- writing ---------------------------------------------------------------


def to_prov(ledger: Ledger, assessments: Assessments | None = None) -> ProvDocument:
    """The ledger as a W3C PROV document.

    Args:
        ledger: The ledger.
        assessments: Its verdicts (`provenance.assess`); when given, an
            assessment activity uses every claim and generates a verdict
            entity per proposition, derived from the claims it counted.

    Raises:
        LedgerError: The ``prov`` package is not installed.
        ValueError: `assessments` are not of this ledger.
    """
    model = _prov()
    if assessments is not None and assessments.ledger != ledger:
        raise ValueError("the assessments are not of this ledger")
    document = model.ProvDocument()
    ns = {prefix: document.add_namespace(prefix, uri) for prefix, uri in NAMESPACES.items()}
    cp = ns["cp"]

    def generic(item: Any) -> list[tuple[Any, Any]]:
        return [
            (cp[field.name], value)
            for field in _generic_fields(type(item))
            for value in _encode(getattr(item, field.name))
        ]

    meta = [(model.PROV_TYPE, cp["Ledger"]), *generic(ledger)]
    policy = ledger.policy.non_defaults()
    policy.pop("as_of", None)
    for name, value in _flatten(policy, "policy"):
        meta.append((cp[name], value))
    document.entity(ns["ledger"]["ledger"], meta)

    for source in ledger.sources:
        kind = model.PROV["Person" if source.kind in PERSON_KINDS else "Organization"]
        document.agent(
            ns["source"][source.id],
            [
                (model.PROV_TYPE, kind),
                (model.PROV_TYPE, cp[source.kind.value]),
                (model.PROV_LABEL, source.name),
                *generic(source),
            ],
        )
    for source in ledger.sources:
        for dependency in source.depends_on:
            document.influence(ns["source"][source.id], ns["source"][dependency])
    for proposition in ledger.propositions:
        document.entity(
            ns["proposition"][proposition.id],
            [
                (model.PROV_TYPE, cp["Proposition"]),
                (model.PROV_LABEL, proposition.text),
                *generic(proposition),
            ],
        )
    claim_ids = []
    for number, claim in enumerate(ledger.claims, 1):
        claim_id = ns["claim"][f"c{number}"]
        claim_ids.append(claim_id)
        values = [
            (model.PROV_TYPE, cp["Claim"]),
            (cp["proposition"], ns["proposition"][claim.proposition]),
        ]
        if claim.quote is not None:
            lang = claim.lang or ledger.lang
            values.append((model.PROV_VALUE, model.Literal(claim.quote, langtag=lang)))
        document.entity(claim_id, [*values, *generic(claim)])
        document.attribution(claim_id, ns["source"][claim.source])
        if claim.said_on is not None:
            document.generation(claim_id, time=_midnight(claim.said_on))
        if claim.withdrawn_on is not None:
            document.invalidation(claim_id, time=_midnight(claim.withdrawn_on))
        previous = claim_id
        for step, relay in enumerate(claim.via, 1):
            relayed = ns["relay"][f"c{number}.{step}"]
            document.entity(relayed, [(model.PROV_TYPE, cp["Relay"])])
            document.attribution(relayed, ns["source"][relay])
            document.quotation(relayed, previous)
            document.primary_source(relayed, claim_id)
            previous = relayed
    if assessments is not None:
        _add_verdicts(document, ns, ledger, assessments, claim_ids)
    made: ProvDocument = document
    return made


def _add_verdicts(
    document: ProvDocument,
    ns: dict[str, Any],
    ledger: Ledger,
    assessments: Assessments,
    claim_ids: Sequence[QualifiedName],
) -> None:
    model = _prov()
    cp = ns["cp"]
    activity = document.activity(
        ns["ledger"]["assessment"],
        other_attributes=[
            (model.PROV_TYPE, cp["Assessment"]),
            (model.PROV_LABEL, "assessment under house rules"),
            (cp["policy"], assessments.policy.summary()),
            *[(cp["as_of"], v) for v in _encode(assessments.policy.as_of)],
        ],
    )
    for claim_id in claim_ids:
        document.usage(activity, claim_id)
    by_claim = {
        id(claim): claim_id for claim, claim_id in zip(ledger.claims, claim_ids, strict=True)
    }
    for assessment in assessments:
        verdict = ns["verdict"][assessment.proposition.id]
        document.entity(
            verdict,
            [
                (model.PROV_TYPE, cp["Verdict"]),
                (cp["proposition"], ns["proposition"][assessment.proposition.id]),
                (cp["status"], assessment.status.value),
                (cp["probability"], assessment.probability),
                (cp["likelihood"], str(assessment.likelihood)),
                (cp["rating"], str(assessment.rating)),
                (cp["basis"], assessment.basis),
            ],
        )
        document.generation(verdict, activity)
        for claim in assessment.counted:
            if id(claim) in by_claim:
                document.derivation(verdict, by_claim[id(claim)])


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _flatten(value: Any, name: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{name}.{key}")
    else:
        yield name, value


def write(document: ProvDocument, format: str) -> str:
    """The text of `document` in one of `EXPORT_FORMATS` (e.g. ``"prov-n"``).

    Raises:
        LedgerError: The format is unknown, its serializer is not installed,
            or the document holds text the format cannot carry (PROV-XML
            cannot hold most control characters); the problem names the
            record and the attribute.
    """
    _prov()
    if format not in EXPORT_FORMATS:
        raise LedgerError(f"unknown PROV format {format!r} (expected {', '.join(EXPORT_FORMATS)})")
    if format == "prov-xml":
        _check_xml(document)
    from prov import serializers

    try:
        text = document.serialize(format=EXPORT_FORMATS[format])
    except serializers.DoNotExist as error:
        raise LedgerError(f"{format}: {error}; {INSTALL}") from None
    assert text is not None
    return text


def _check_xml(document: ProvDocument) -> None:
    problems = []
    for record in document.get_records():
        for name, value in record.attributes:
            text = _plain(value)
            if isinstance(text, str):
                bad = _XML_UNSAFE.search(text)
                if bad:
                    problems.append(
                        Problem(
                            f"PROV-XML cannot hold the character {shown(bad.group())};"
                            " export prov-json or prov-n instead",
                            f"{_label(record)}.{name}",
                        )
                    )
    if problems:
        raise LedgerError(problems)


# -- reading ---------------------------------------------------------------


def read(data: str | bytes, format: str, *, name: str = "<string>") -> Ledger:
    """Read a ledger from the text of a PROV document.

    Args:
        data: The document's text.
        format: The ``prov`` package's name for it: ``"json"``,
            ``"provn"``, ``"jsonld"`` or ``"xml"`` (see `IMPORT_FORMATS`).
        name: How problems refer to it, e.g. its file name.

    Raises:
        LedgerError: The text does not parse, or the document is not a
            ledger; each problem names the file, the record and the attribute.
    """
    _prov()
    from prov.model import ProvDocument

    if format not in IMPORT_FORMATS.values():
        raise LedgerError(Problem(f"cannot read PROV format {format!r}", file=name))
    try:
        with warnings.catch_warnings():
            # What the parser warns about, the reader below refuses, with its place.
            warnings.simplefilter("ignore")
            document = ProvDocument.deserialize(content=data, format=format)
    except Exception as error:  # the parsers raise anything from KeyError to lxml's errors
        message = " ".join(str(error).split()) or type(error).__name__
        raise LedgerError(
            Problem(f"not a PROV document in this format: {shown(message)[1:-1]}", file=name)
        ) from None
    try:
        return from_prov(document)
    except LedgerError as error:
        raise error.located(file=name) from None


def from_prov(document: ProvDocument) -> Ledger:
    """The ledger a PROV document holds: the inverse of `to_prov`.

    Verdict entities and the assessment activity are left out: a verdict
    is computed from the ledger, not part of it.  A document written by
    other tools is read when it follows the same mapping; anything it holds
    that a ledger cannot (bundles, activities other than an assessment,
    attributes outside the mapping, a relay chain that forks or loops, a
    claim attributed to no source) is a problem.

    Raises:
        LedgerError: The document is not a ledger; every problem names the
            record (``entity(claim:c3)``) and, where it is one attribute's
            fault, the attribute.
    """
    return _Reader(document).ledger()


def _local(record: ProvRecord) -> str | None:
    """The local part of an element's identifier: the ledger id it carries."""
    identifier = record.identifier
    return None if identifier is None else identifier.localpart


def _label(record: ProvRecord) -> str:
    from prov.constants import PROV_N_MAP

    kind = PROV_N_MAP.get(record.get_type(), str(record.get_type()))
    if record.identifier is not None:
        return f"{kind}({record.identifier})"
    formal = [str(value) if value is not None else "-" for _, value in record.formal_attributes]
    return f"{kind}({', '.join(formal[:2])})"


class _Reader:
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
        model = self.model
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
        assert model is not None
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
            if kind.get(formal["activity"]) != "activity":
                self.fail(record, "only the assessment uses claims")
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
        for name, value in record.attributes:
            if name.namespace.uri == VOCABULARY and name.localpart.startswith("policy."):
                path = name.localpart.split(".")[1:]
                table = policy
                for key in path[:-1]:
                    table = table.setdefault(key, {})
                table[path[-1]] = _plain(value)
        settings = {f.name for f in attrs.fields(Policy)} - {"as_of"}
        unknown = sorted(key for key in policy if key not in settings)
        for key in unknown:
            self.fail(record, "not a policy setting", f"cp:policy.{key}")
            del policy[key]
        if policy:
            built = self._build(Policy, record, policy, {})
            if built is not None:
                meta["policy"] = built
        checked = {}
        for field, value in meta.items():
            try:
                checked[field] = Ledger(**{field: value}).__getattribute__(field)
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
