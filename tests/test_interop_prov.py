"""Tests for the W3C PROV mapping: round trips, a real PROV client, documents we did not write."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import claims
from provenance import Claim, Ledger, LedgerError, Policy, Proposition, Source, assess
from provenance.interop.prov import (
    EXPORT_FORMATS,
    NAMESPACES,
    VOCABULARY,
    from_prov,
    read,
    to_prov,
    write,
)
from provenance.strategies import ledgers

prov_model = pytest.importorskip("prov.model")

CP = prov_model.Namespace("cp", VOCABULARY)
# The formats `read` takes back, by export name.
READABLE = {"prov-json": "json", "prov-n": "provn", "prov-jsonld": "jsonld"}


def seed() -> Ledger:
    """The seed ledger shipped with the library."""
    return claims.load("svr-pyongyang")


def small() -> Ledger:
    """A ledger that uses every field, with a relay chain of two steps."""
    return Ledger.from_objects(
        [
            Source("kcna", "KCNA", kind="state-media", affiliation="DPRK", reliability="E"),
            Source("afp", "AFP", kind="wire", reliability="B", url="https://www.afp.com"),
            Source("figaro", "Le Figaro", kind="outlet", reliability="B", depends_on=["afp"]),
            Source("kirby", "John Kirby", kind="official", affiliation="USA", note="NSC"),
        ],
        [Proposition("visit", "Naryshkin visited Pyongyang.", about=["DPRK", "Russia"])],
        [
            Claim(
                "visit",
                "kcna",
                via=["afp", "figaro"],
                said_on="2024-03-28",
                quote="Le chef du renseignement russe s'est rendu à Pyongyang.",
                certainty="probable",
            ),
            Claim(
                "visit",
                "kirby",
                stance="denies",
                lang="en",
                quote="No.",
                credence=0.7,
                url="https://example.org/briefing",
                said_on="2024-03-20",
                withdrawn_on="2024-03-27",
                note="later withdrawn",
            ),
        ],
        title="Example",
        as_of="2024-03-28",
        lang="fr",
        publisher="Desk",
        url="https://example.org/story",
        policy=Policy(min_independent=3, public_record=False, reliability_p={"B": 0.75}),
    )


def records(document: Any, kind: type) -> list[Any]:
    """The records of one PROV class in a document."""
    return [r for r in document.get_records() if isinstance(r, kind)]


def typed(document: Any, name: str) -> list[Any]:
    """The elements of a document whose prov:type includes ``cp:<name>``."""
    return [r for r in document.get_records() if CP[name] in r.get_asserted_types()]


class TestRoundTrip:
    @given(ledgers())
    @example(small())
    @example(Ledger.from_objects([], [Proposition("p", "P.", about=["DPRK", "DPRK"])]))
    @example(Ledger.from_objects([], [], lang="fr"))
    def test_in_memory(self, ledger: Ledger) -> None:
        """from_prov(to_prov(x)) == x for every ledger: hostile text, metadata, policy."""
        assert ledger == from_prov(to_prov(ledger))

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(ledgers(), st.sampled_from(sorted(READABLE)))
    @example(small(), "prov-n")
    def test_through_text(self, ledger: Ledger, format: str) -> None:
        """Written as PROV-JSON, PROV-N or PROV-JSONLD and read back, a ledger is unchanged."""
        assert ledger == read(write(to_prov(ledger), format), READABLE[format])

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(ledgers())
    @example(small())
    def test_through_xml(self, ledger: Ledger) -> None:
        """PROV-XML reads back unchanged, or is refused with the record and attribute at fault."""
        try:
            text = write(to_prov(ledger), "prov-xml")
        except LedgerError as error:
            for problem in error.problems:
                assert "PROV-XML cannot hold the character" in problem.message
                assert problem.place is not None and "(" in problem.place
            return
        assert ledger == read(text, "xml")

    def test_claim_language_same_as_ledger(self) -> None:
        """A claim that names the ledger's own language keeps naming it."""
        ledger = Ledger.from_objects(
            [Source("afp", "AFP")],
            [Proposition("p", "P.")],
            [Claim("p", "afp", quote="Oui.", lang="fr"), Claim("p", "afp", quote="Oui.")],
            lang="fr",
        )
        back = read(write(to_prov(ledger), "prov-n"), "provn")
        assert ["fr", None] == [c.lang for c in back.claims]

    def test_verdicts_are_left_out(self) -> None:
        """A document with the verdicts reads back as the ledger alone."""
        ledger = seed()
        document = to_prov(ledger, assess(ledger))
        assert ledger == from_prov(document)
        assert ledger == read(write(document, "prov-json"), "json")

    def test_assessments_of_another_ledger(self) -> None:
        """Assessments of another ledger are refused."""
        with pytest.raises(ValueError, match="not of this ledger"):
            to_prov(seed(), assess(small()))


class TestRealClient:
    @pytest.mark.parametrize("format", sorted(EXPORT_FORMATS))
    def test_one_agent_per_source_one_attribution_per_claim(self, format: str) -> None:
        """The prov package reads every format: one agent per source, one attribution per claim."""
        ledger = seed()
        text = write(to_prov(ledger, assess(ledger)), format)
        document = prov_model.ProvDocument.deserialize(content=text, format=EXPORT_FORMATS[format])
        agents = {str(r.identifier) for r in records(document, prov_model.ProvAgent)}
        assert {f"source:{s.id}" for s in ledger.sources} == agents
        claim_ids = {r.identifier for r in typed(document, "Claim")}
        attributions = [
            (str(a.get_attribute("prov:entity").pop()), str(a.get_attribute("prov:agent").pop()))
            for a in records(document, prov_model.ProvAttribution)
        ]
        on_claims = [pair for pair in attributions if pair[0] in {str(i) for i in claim_ids}]
        assert len(ledger.claims) == len(claim_ids) == len(on_claims)
        expected = sorted(f"source:{c.source}" for c in ledger.claims)
        assert expected == sorted(agent for _, agent in on_claims)

    @pytest.mark.parametrize("format", sorted(EXPORT_FORMATS))
    def test_verdicts(self, format: str) -> None:
        """With assessments, an activity uses each claim and generates a verdict per proposition."""
        ledger = seed()
        assessments = assess(ledger)
        text = write(to_prov(ledger, assessments), format)
        document = prov_model.ProvDocument.deserialize(content=text, format=EXPORT_FORMATS[format])
        verdicts = typed(document, "Verdict")
        statuses = {str(v.identifier): next(iter(v.get_attribute(CP["status"]))) for v in verdicts}
        expected = {f"verdict:{a.proposition.id}": a.status.value for a in assessments}
        assert expected == statuses
        (activity,) = typed(document, "Assessment")
        used = [u for u in records(document, prov_model.ProvUsage)]
        assert len(ledger.claims) == len(used)
        generated = [
            g
            for g in records(document, prov_model.ProvGeneration)
            if g.get_attribute("prov:activity") == {activity.identifier}
        ]
        assert len(ledger.propositions) == len(generated)

    def test_relay_chain_as_quotations(self) -> None:
        """A relay chain is a line of quotations, each with the claim as primary source."""
        document = to_prov(small())
        derivations = records(document, prov_model.ProvDerivation)
        quotations = [
            (
                str(d.get_attribute("prov:generatedEntity").pop()),
                str(d.get_attribute("prov:usedEntity").pop()),
            )
            for d in derivations
            if prov_model.PROV["Quotation"] in d.get_asserted_types()
        ]
        primary = [
            (
                str(d.get_attribute("prov:generatedEntity").pop()),
                str(d.get_attribute("prov:usedEntity").pop()),
            )
            for d in derivations
            if prov_model.PROV["PrimarySource"] in d.get_asserted_types()
        ]
        assert [("relay:c1.1", "claim:c1"), ("relay:c1.2", "relay:c1.1")] == quotations
        assert [("relay:c1.1", "claim:c1"), ("relay:c1.2", "claim:c1")] == primary

    def test_sources_typed_by_kind(self) -> None:
        """A source's kind is its prov:type, with prov:Person or prov:Organization beside it."""
        document = to_prov(small())
        types = {
            str(r.identifier): sorted(str(t) for t in r.get_asserted_types())
            for r in records(document, prov_model.ProvAgent)
        }
        assert ["cp:state-media", "prov:Organization"] == types["source:kcna"]
        assert ["cp:official", "prov:Person"] == types["source:kirby"]

    def test_quote_carries_its_language(self) -> None:
        """A claim's quote is its prov:value, tagged with its language (the ledger's by default)."""
        document = to_prov(small())
        values = [next(iter(c.get_attribute("prov:value"))) for c in typed(document, "Claim")]
        assert ["fr", "en"] == [v.langtag for v in values]


# -- documents we did not write ---------------------------------------------


def document() -> Any:
    """An empty document with the namespaces of the mapping."""
    doc = prov_model.ProvDocument()
    for prefix, uri in NAMESPACES.items():
        doc.add_namespace(prefix, uri)
    doc.add_namespace("ex", "https://example.org/")
    return doc


def claim(doc: Any, name: str = "claim:c1", proposition: str = "proposition:p") -> Any:
    """A claim entity bearing on `proposition`."""
    return doc.entity(
        name, {"prov:type": CP["Claim"], CP["proposition"]: doc.valid_qualified_name(proposition)}
    )


def with_proposition(doc: Any) -> Any:
    """`doc` with the proposition ``proposition:p``."""
    doc.entity("proposition:p", {"prov:type": CP["Proposition"], "prov:label": "P."})
    return doc


def problems(doc: Any) -> list[str]:
    """The problems `from_prov` finds, as text; it must find some."""
    with pytest.raises(LedgerError) as caught:
        from_prov(doc)
    return [str(p) for p in caught.value.problems]


class TestForeignDocuments:
    def test_no_agents(self) -> None:
        """A claim attributed to no one is located, not a KeyError."""
        doc = with_proposition(document())
        claim(doc)
        assert [
            "entity(claim:c1): is attributed to no source (wasAttributedTo): who said it?"
        ] == problems(doc)

    def test_attributed_to_undeclared_agent(self) -> None:
        """An attribution to an agent the document does not declare is located."""
        doc = with_proposition(document())
        claim(doc).wasAttributedTo("source:nobody")
        assert [
            "wasAttributedTo(claim:c1, source:nobody): refers to 'source:nobody',"
            " which the document does not declare",
            "entity(claim:c1): is attributed to no source (wasAttributedTo): who said it?",
        ] == problems(doc)

    def test_unknown_attributes(self) -> None:
        """Attributes outside the mapping are named with their record."""
        doc = with_proposition(document())
        doc.agent("source:kcna", {"prov:label": "KCNA", "ex:colour": "red", CP["reliabilty"]: "E"})
        assert [
            "agent(source:kcna).ex:colour: not part of a ledger",
            "agent(source:kcna).cp:reliabilty: not part of a ledger",
        ] == problems(doc)

    def test_bad_value_is_located(self) -> None:
        """A value the model refuses names the record and the attribute."""
        doc = with_proposition(document())
        doc.agent("source:kcna", {"prov:label": "KCNA"})
        claim(doc).add_attributes({CP["credence"]: 1.5})
        doc.attribution("claim:c1", "source:kcna")
        assert [
            "entity(claim:c1).cp:credence: 1.5 is not a probability strictly between 0 and 1"
        ] == problems(doc)

    def test_bad_id(self) -> None:
        """An identifier that is not a ledger id is named."""
        doc = document()
        doc.agent("source:KCNA", {"prov:label": "KCNA"})
        (found,) = problems(doc)
        assert found.startswith("agent(source:KCNA): 'KCNA' is not an id")

    def test_missing_name(self) -> None:
        """A source without prov:label is told it needs a name."""
        doc = document()
        doc.agent("source:kcna")
        assert ["agent(source:kcna): has no prov:label (a source needs a name)"] == problems(doc)

    def test_loop_through_the_claim(self) -> None:
        """A relay chain that loops back to its claim is located."""
        doc = with_proposition(document())
        doc.agent("source:a", {"prov:label": "A"})
        claim(doc).wasAttributedTo("source:a")
        for name in ("relay:r1", "relay:r2"):
            doc.entity(name, {"prov:type": CP["Relay"]}).wasAttributedTo("source:a")
        doc.quotation("relay:r1", "claim:c1")
        doc.quotation("relay:r2", "relay:r1")
        doc.quotation("claim:c1", "relay:r2")
        assert "entity(claim:c1): its relay chain loops back on itself (wasQuotedFrom)" in problems(
            doc
        )

    def test_loop_of_relays_alone(self) -> None:
        """Relayed claims that quote each other in a circle are located."""
        doc = with_proposition(document())
        doc.agent("source:a", {"prov:label": "A"})
        for name in ("relay:r1", "relay:r2"):
            doc.entity(name, {"prov:type": CP["Relay"]}).wasAttributedTo("source:a")
        doc.quotation("relay:r1", "relay:r2")
        doc.quotation("relay:r2", "relay:r1")
        assert [
            "entity(relay:r1): a relayed claim that no claim's relay chain reaches",
            "entity(relay:r2): a relayed claim that no claim's relay chain reaches",
        ] == problems(doc)

    def test_forked_chain(self) -> None:
        """A claim quoted twice is a fork, located."""
        doc = with_proposition(document())
        doc.agent("source:a", {"prov:label": "A"})
        claim(doc).wasAttributedTo("source:a")
        for name in ("relay:r1", "relay:r2"):
            doc.entity(name, {"prov:type": CP["Relay"]}).wasAttributedTo("source:a")
            doc.quotation(name, "claim:c1")
        assert "entity(claim:c1): is quoted more than once: a relay chain is one line" in problems(
            doc
        )

    def test_relay_without_attribution(self) -> None:
        """A relay step attributed to no one is located."""
        doc = with_proposition(document())
        doc.agent("source:a", {"prov:label": "A"})
        claim(doc).wasAttributedTo("source:a")
        doc.entity("relay:r1", {"prov:type": CP["Relay"]})
        doc.quotation("relay:r1", "claim:c1")
        assert [
            "entity(relay:r1): is attributed to no source (wasAttributedTo): who said it?"
        ] == problems(doc)

    def test_untyped_entity_and_other_activity(self) -> None:
        """An entity of no known type and an activity other than the assessment are located."""
        doc = document()
        doc.entity("ex:thing")
        doc.activity("ex:doing")
        assert [
            "entity(ex:thing).prov:type: not a proposition, claim, relayed claim or verdict:"
            " prov:type must be one of cp:Proposition, cp:Claim, cp:Relay, cp:Verdict or cp:Ledger",
            "activity(ex:doing): a ledger holds no activity but its assessment",
        ] == problems(doc)

    def test_bundle(self) -> None:
        """A bundle is not part of a ledger."""
        doc = document()
        doc.bundle("ex:b")
        assert ["bundle(ex:b): a ledger has no bundles"] == problems(doc)

    def test_unknown_policy_setting(self) -> None:
        """An unknown or out-of-range policy setting is located."""
        doc = document()
        doc.entity(
            "ledger:ledger",
            {"prov:type": CP["Ledger"], CP["policy.min_independant"]: 3, CP["policy.prior"]: 2.0},
        )
        assert [
            "entity(ledger:ledger).cp:policy.min_independant: not a policy setting",
            "entity(ledger:ledger).cp:policy.prior: 2.0 is not in (0, 1)",
        ] == problems(doc)

    def test_dangling_reference_is_placed_at_the_record(self) -> None:
        """A ledger rule broken across records names the record, not a list index."""
        doc = with_proposition(document())
        doc.agent("source:a", {"prov:label": "A"})
        doc.agent("source:b", {"prov:label": "B"})
        doc.influence("source:a", "source:b")
        doc.influence("source:b", "source:a")
        claim(doc).wasAttributedTo("source:a")
        doc.entity("relay:r1", {"prov:type": CP["Relay"]}).wasAttributedTo("source:a")
        doc.quotation("relay:r1", "claim:c1")
        assert [
            "entity(claim:c1).wasQuotedFrom: the relay chain names the claim's own source 'a'"
        ] == problems(doc)

    def test_a_ledger_from_other_tools(self) -> None:
        """A hand-made document that follows the mapping is read, defaults filled in."""
        doc = with_proposition(document())
        doc.agent("ex:kcna", {"prov:label": "KCNA", "prov:type": CP["state-media"]})
        claim(doc).wasAttributedTo("ex:kcna")
        ledger = from_prov(doc)
        assert [Source("kcna", "KCNA", kind="state-media")] == list(ledger.sources)
        assert [Claim("p", "kcna")] == list(ledger.claims)


class TestReadingText:
    @pytest.mark.parametrize(
        ("text", "format"),
        [
            ("", "json"),
            ("garbage", "provn"),
            ("{", "json"),
            ('{"entity": {"x": 1}}', "json"),
            ('{"prefix": {"cp": 5}}', "json"),
            ('{"agent": {"ex:a": {}}}', "json"),
            ("<prov:document", "xml"),
            ("document\nendDocument trailing", "provn"),
            ("[]", "jsonld"),
        ],
    )
    def test_junk_is_a_located_error(self, text: str, format: str) -> None:
        """Text that is not a PROV ledger is one LedgerError naming the file."""
        with pytest.raises(LedgerError) as caught:
            read(text, format, name="x.doc")
        assert all(p.file == "x.doc" for p in caught.value.problems)

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_mutated_documents(self, data: st.DataObject) -> None:
        """A changed PROV-JSON ledger reads back as a ledger or a LedgerError, nothing else."""
        ledger = data.draw(ledgers(max_sources=3, max_claims=4, max_propositions=2))
        tree = json.loads(write(to_prov(ledger), "prov-json"))
        for _ in range(data.draw(st.integers(1, 3))):
            mutate(tree, data)
        text = json.dumps(tree)
        try:
            result = read(text, "json")
        except LedgerError as error:
            assert all(p.file == "<string>" for p in error.problems)
        else:
            assert isinstance(result, Ledger)


JUNK: st.SearchStrategy[object] = st.sampled_from(
    [None, 0, 1.5, True, "", "x", "cp:Claim", "prov:Entity", [], {}, {"$": 1}]
)


def mutate(tree: Any, data: st.DataObject) -> None:
    """Delete or replace one value somewhere in a JSON tree."""
    node = tree
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and data.draw(st.booleans()):
            node = child
            continue
        if isinstance(node, dict) and data.draw(st.booleans()):
            del node[key]
        else:
            node[key] = data.draw(JUNK)
        return


class TestMutatedText:
    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(st.data(), st.sampled_from(sorted(READABLE)))
    def test_changed_text(self, data: st.DataObject, format: str) -> None:
        """Text cut or inserted anywhere reads back as a ledger or a LedgerError, nothing else."""
        ledger = data.draw(ledgers(max_sources=3, max_claims=4, max_propositions=2))
        text = write(to_prov(ledger), format)
        for _ in range(data.draw(st.integers(1, 4))):
            start = data.draw(st.integers(0, len(text)))
            end = data.draw(st.integers(start, min(len(text), start + 8)))
            insert = data.draw(
                st.sampled_from(["", '"', "\\", "{", "}", "(", ")", ",", ":", "%%", "\n", "x"])
            )
            text = text[:start] + insert + text[end:]
        try:
            result = read(text, READABLE[format])
        except LedgerError as error:
            assert all(p.file == "<string>" for p in error.problems)
        else:
            assert isinstance(result, Ledger)


class TestForeignRelations:
    def test_attributed_proposition(self) -> None:
        """Attributing a proposition, not a claim, is located."""
        doc = with_proposition(document())
        doc.agent("source:a", {"prov:label": "A"})
        doc.attribution("proposition:p", "source:a")
        assert [
            "wasAttributedTo(proposition:p, source:a): a ledger attributes only claims and"
            " relayed claims"
        ] == problems(doc)

    def test_delegation(self) -> None:
        """A relation the mapping does not use is located."""
        doc = document()
        doc.agent("source:a", {"prov:label": "A"})
        doc.agent("source:b", {"prov:label": "B"})
        doc.delegation("source:a", "source:b")
        assert [
            "actedOnBehalfOf(source:a, source:b): a ledger holds no relation of this kind"
        ] == problems(doc)

    def test_policy_table_spelt_wrong(self) -> None:
        """A policy table given as one value, or a value given as a table, is located."""
        doc = document()
        doc.entity(
            "ledger:ledger",
            {
                "prov:type": CP["Ledger"],
                CP["policy.hedging"]: 0.5,
                CP["policy.prior.x"]: 0.5,
                CP["policy.reliability_p.B"]: 0.7,
                CP["policy.reliability_p.Q"]: 0.7,
            },
        )
        assert [
            "entity(ledger:ledger).cp:policy.hedging: not a policy setting",
            "entity(ledger:ledger).cp:policy.prior.x: not a policy setting",
            "entity(ledger:ledger).cp:policy.reliability_p: 'Q' is not one of A, B, C, D, E, F",
        ] == problems(doc)

    def test_bad_metadata(self) -> None:
        """Bad ledger metadata is located at its attribute."""
        doc = document()
        doc.entity("ledger:ledger", {"prov:type": CP["Ledger"], CP["lang"]: "not a tag"})
        (found,) = problems(doc)
        assert found.startswith("entity(ledger:ledger).cp:lang: 'not a tag' is not a language tag")
