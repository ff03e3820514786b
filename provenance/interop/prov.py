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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import LedgerError, Problem, shown
from ..ledger import Ledger
from ..model import Claim, Proposition, Source, SourceKind

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


def _label(record: ProvRecord) -> str:
    from prov.constants import PROV_N_MAP

    kind = PROV_N_MAP.get(record.get_type(), str(record.get_type()))
    if record.identifier is not None:
        return f"{kind}({record.identifier})"
    formal = [str(value) if value is not None else "-" for _, value in record.formal_attributes]
    return f"{kind}({', '.join(formal[:2])})"


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
    from ._prov_reader import Reader

    return Reader(document).ledger()
