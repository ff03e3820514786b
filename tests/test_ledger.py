"""Tests of the ledger: integrity rules, order, lookups, equality and failed changes.

A ledger refuses anything that breaks an integrity rule with a
`LedgerError` placed where the problem is (``claims[1].source``) and
naming the value, with a did-you-mean hint for a misspelt id; a refused
change leaves the ledger as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance import (
    Claim,
    Ledger,
    LedgerError,
    Policy,
    Proposition,
    ProvenanceError,
    Source,
    Stance,
)
from provenance.strategies import ledgers

__all__: list[str] = []


def kcna() -> Source:
    return Source("kcna", "Korean Central News Agency", affiliation="DPRK", reliability="E")


def afp() -> Source:
    return Source("afp", "Agence France-Presse", kind="wire", reliability="B")


def visit() -> Proposition:
    return Proposition("naryshkin-visit", "Naryshkin visited Pyongyang.", about=["DPRK", "Russia"])


def containers() -> Proposition:
    return Proposition("containers", "7,000 containers of munitions were shipped.")


def small() -> Ledger:
    """Two sources, two propositions, three claims."""
    return Ledger.from_objects(
        [kcna(), afp()],
        [visit(), containers()],
        [
            Claim("naryshkin-visit", "kcna", via=["afp"]),
            Claim("containers", "afp"),
            Claim("naryshkin-visit", "afp", stance="denies"),
        ],
        title="Russian intelligence chief visits Pyongyang",
    )


def problems_of(error: LedgerError) -> dict[str | None, str]:
    return {problem.place: problem.message for problem in error.problems}


def only_problem(error: pytest.ExceptionInfo[LedgerError]) -> tuple[str | None, str]:
    assert isinstance(error.value, ValueError)
    assert isinstance(error.value, ProvenanceError)
    assert 1 == len(error.value.problems)
    problem = error.value.problems[0]
    return problem.place, problem.message


class TestUniqueIds:
    def test_duplicate_source_id_is_refused(self) -> None:
        """Adding a second source with a taken id is refused at its id, naming it."""
        ledger = small()
        with pytest.raises(LedgerError) as caught:
            ledger.add_source(Source("kcna", "Another KCNA"))
        assert ("sources[2].id", "duplicate source id 'kcna'") == only_problem(caught)

    def test_duplicate_proposition_id_is_refused(self) -> None:
        """Adding a second proposition with a taken id is refused at its id, naming it."""
        ledger = small()
        with pytest.raises(LedgerError) as caught:
            ledger.add_proposition(Proposition("containers", "Another text."))
        assert ("propositions[2].id", "duplicate proposition id 'containers'") == only_problem(
            caught
        )

    def test_a_source_and_a_proposition_may_share_an_id(self) -> None:
        """Sources and propositions are separate namespaces."""
        ledger = Ledger.from_objects([kcna()], [Proposition("kcna", "KCNA exists.")])
        assert ledger.source("kcna").id == ledger.proposition("kcna").id


class TestReferences:
    @pytest.mark.parametrize(
        ("claim", "place", "message"),
        [
            (
                Claim("naryshkin-visit", "kcn"),
                "claims[3].source",
                "no source 'kcn' (did you mean 'kcna'?)",
            ),
            (
                Claim("naryshkin-visti", "kcna"),
                "claims[3].proposition",
                "no proposition 'naryshkin-visti' (did you mean 'naryshkin-visit'?)",
            ),
            (
                Claim("naryshkin-visit", "kcna", via=["afp", "yonhap"]),
                "claims[3].via[1]",
                "no source 'yonhap'",
            ),
            (
                Claim("naryshkin-visit", "kcna", via=["apf"]),
                "claims[3].via[0]",
                "no source 'apf' (did you mean 'afp'?)",
            ),
        ],
    )
    def test_claim_references_must_resolve(self, claim: Claim, place: str, message: str) -> None:
        """A claim naming an unknown source, proposition or relay is refused, with a hint."""
        ledger = small()
        with pytest.raises(LedgerError) as caught:
            ledger.add_claim(claim)
        assert (place, message) == only_problem(caught)
        assert f"{place}: {message}" == str(caught.value)

    def test_dependencies_must_resolve(self) -> None:
        """A source depending on an unknown source is refused, with a hint."""
        ledger = small()
        with pytest.raises(LedgerError) as caught:
            ledger.add_source(Source("le-figaro", "Le Figaro", depends_on=["afp", "apf"]))
        assert (
            "sources[2].depends_on[1]",
            "no source 'apf' (did you mean 'afp'?)",
        ) == only_problem(caught)

    def test_added_sources_depend_on_earlier_ones_only(self) -> None:
        """Add_source needs the sources it depends on to be there already."""
        ledger = Ledger()
        with pytest.raises(LedgerError, match="no source 'kcna'"):
            ledger.add_source(Source("afp", "AFP", depends_on=["kcna"]))
        ledger.add_source(kcna())
        ledger.add_source(Source("afp", "AFP", depends_on=["kcna"]))
        assert ("kcna",) == ledger.source("afp").depends_on

    def test_from_objects_allows_later_dependencies(self) -> None:
        """From_objects accepts a source depending on one listed after it."""
        ledger = Ledger.from_objects([Source("afp", "AFP", depends_on=["kcna"]), kcna()])
        assert ["afp", "kcna"] == [source.id for source in ledger.sources]

    def test_a_hint_is_given_only_for_a_near_miss(self) -> None:
        """An id like no known one gets no did-you-mean hint."""
        with pytest.raises(LedgerError) as caught:
            small().add_claim(Claim("naryshkin-visit", "xinhua"))
        assert "did you mean" not in str(caught.value)

    def test_the_wrong_kind_of_object_is_refused(self) -> None:
        """A claim where a source belongs is refused, naming what was given."""
        with pytest.raises(LedgerError) as caught:
            Ledger().add_source(Claim("a", "b"))  # type: ignore[arg-type]
        place, message = only_problem(caught)
        assert "sources[0]" == place
        assert message.startswith("expected a Source, got Claim(")


class TestFromObjects:
    def test_every_problem_is_reported_at_once(self) -> None:
        """From_objects reports every broken rule, each at its own place."""
        with pytest.raises(LedgerError) as caught:
            Ledger.from_objects(
                [kcna(), afp(), Source("kcna", "KCNA again")],
                [visit(), visit()],
                [
                    Claim("naryshkin-visit", "kcnaa"),
                    Claim("naryshkin-visit", "afp", via=["reuters"]),
                    Claim("no-such", "afp"),
                ],
            )
        assert {
            "sources[2].id": "duplicate source id 'kcna'",
            "propositions[1].id": "duplicate proposition id 'naryshkin-visit'",
            "claims[0].source": "no source 'kcnaa' (did you mean 'kcna'?)",
            "claims[1].via[0]": "no source 'reuters'",
            "claims[2].proposition": "no proposition 'no-such'",
        } == problems_of(caught.value)
        assert str(caught.value).endswith("(and 4 more problems)")

    def test_dangling_dependencies_are_all_reported(self) -> None:
        """Every unknown dependency is reported, not only the first."""
        with pytest.raises(LedgerError) as caught:
            Ledger.from_objects([Source("a", "A", depends_on=["x", "y"]), Source("b", "B")])
        assert {
            "sources[0].depends_on[0]": "no source 'x'",
            "sources[0].depends_on[1]": "no source 'y'",
        } == problems_of(caught.value)

    def test_a_duplicate_does_not_hide_its_claims(self) -> None:
        """A duplicated source id is reported once; claims naming it are not also reported."""
        with pytest.raises(LedgerError) as caught:
            Ledger.from_objects([kcna(), kcna()], [visit()], [Claim("naryshkin-visit", "kcna")])
        assert ["sources[1].id"] == [problem.place for problem in caught.value.problems]

    def test_metadata_is_checked(self) -> None:
        """A bad title, date, language or URL is refused, naming the field."""
        for meta, place in [
            ({"title": " "}, "title"),
            ({"as_of": "28 March"}, "as_of"),
            ({"lang": "french"}, "lang"),
            ({"url": "kcna.kp"}, "url"),
        ]:
            with pytest.raises(LedgerError) as caught:
                Ledger.from_objects(**meta)  # type: ignore[arg-type]
            assert place == only_problem(caught)[0]

    def test_a_policy_must_be_a_policy(self) -> None:
        """A plain table where a Policy belongs is refused, naming it."""
        with pytest.raises(LedgerError) as caught:
            Ledger(policy={"min_independent": 3})
        place, message = only_problem(caught)
        assert "policy" == place
        assert "{'min_independent': 3}" in message

    @given(ledgers())
    def test_generated_ledgers_rebuild_equal(self, ledger: Ledger) -> None:
        """Any valid ledger rebuilt from its parts and metadata equals itself."""
        rebuilt = ledger.rebuild()
        assert ledger == rebuilt


class TestOrderAndLookup:
    def test_file_order_is_kept(self) -> None:
        """Sources and propositions keep the order they were given in."""
        ledger = Ledger.from_objects([afp(), kcna()], [containers(), visit()])
        assert ["afp", "kcna"] == [source.id for source in ledger.sources]
        assert ["containers", "naryshkin-visit"] == [p.id for p in ledger.propositions]
        assert ["containers", "naryshkin-visit"] == [p.id for p in ledger]

    def test_claims_are_grouped_by_proposition_in_order(self) -> None:
        """Claims come grouped by proposition, in proposition order, each group in given order."""
        ledger = small()
        assert [("naryshkin-visit", "kcna"), ("naryshkin-visit", "afp"), ("containers", "afp")] == [
            (claim.proposition, claim.source) for claim in ledger.claims
        ]

    def test_lookups_by_id(self) -> None:
        """Source(), proposition() and claims_on() find by id."""
        ledger = small()
        assert kcna() == ledger.source("kcna")
        assert visit() == ledger.proposition("naryshkin-visit")
        assert [claim.stance for claim in ledger.claims_on("naryshkin-visit")] == [
            Stance.ASSERTS,
            Stance.DENIES,
        ]
        assert 2 == len(ledger)

    @pytest.mark.parametrize(
        ("look_up", "message"),
        [
            (lambda ledger: ledger.source("kcan"), "no source 'kcan' (did you mean 'kcna'?)"),
            (
                lambda ledger: ledger.proposition("container"),
                "no proposition 'container' (did you mean 'containers'?)",
            ),
            (lambda ledger: ledger.claims_on("visit"), "no proposition 'visit'"),
        ],
    )
    def test_unknown_ids_are_refused_with_a_hint(
        self, look_up: Callable[[Ledger], object], message: str
    ) -> None:
        """Looking up an unknown id raises a LedgerError with a did-you-mean hint."""
        with pytest.raises(LedgerError) as caught:
            look_up(small())
        assert str(caught.value).startswith(message)

    def test_membership(self) -> None:
        """A ledger contains its sources, propositions and claims, compared by value."""
        ledger = small()
        assert kcna() in ledger
        assert visit() in ledger
        assert Claim("containers", "afp") in ledger
        assert Source("kcna", "Another name") not in ledger
        assert Claim("containers", "kcna") not in ledger
        assert "kcna" not in ledger


class TestEquality:
    def test_equal_content_is_equal(self) -> None:
        """Two ledgers built alike are equal, and differ once anything differs."""
        assert small() == small()
        changed = small()
        changed.add_claim(Claim("containers", "kcna", stance="denies"))
        assert small() != changed
        assert small() != small().rebuild(title="Another title")
        assert small() != small().rebuild(policy=Policy(min_independent=3))

    def test_order_is_part_of_the_content(self) -> None:
        """The same objects in another order make a different ledger."""
        one = Ledger.from_objects([kcna(), afp()])
        other = Ledger.from_objects([afp(), kcna()])
        assert one != other

    def test_a_ledger_is_not_equal_to_other_things(self) -> None:
        """A ledger is not equal to its tuple of sources, nor hashable."""
        ledger = small()
        assert ledger != ledger.sources
        with pytest.raises(TypeError):
            hash(ledger)

    def test_copies_are_independent(self) -> None:
        """Changing a copy leaves the original as it was."""
        original = small()
        copy = original.rebuild()
        copy.add_source(Source("yonhap", "Yonhap"))
        copy.remove_claim(Claim("containers", "afp"))
        assert small() == original
        assert original != copy


class TestRefusedChangesLeaveNoTrace:
    @given(ledgers(), st.sampled_from(["source", "proposition", "claim", "via"]))
    def test_a_refused_add_changes_nothing(self, ledger: Ledger, broken: str) -> None:
        """After any refused add_source, add_proposition or add_claim, the ledger is unchanged."""
        before = ledger.rebuild()
        known = {source.id for source in ledger.sources}
        unknown = next(f"s{n}" for n in range(len(known) + 1) if f"s{n}" not in known)
        with pytest.raises(LedgerError):
            if broken == "source":
                ledger.add_source(Source("new-source", "New", depends_on=[unknown]))
            elif broken == "proposition" and ledger.propositions:
                ledger.add_proposition(Proposition(ledger.propositions[0].id, "Again."))
            elif broken == "via" and ledger.propositions and ledger.sources:
                ledger.add_claim(
                    Claim(ledger.propositions[0].id, ledger.sources[0].id, via=[unknown])
                )
            else:
                ledger.add_claim(Claim("no-such-proposition", unknown))
        assert before == ledger

    def test_a_refused_replacement_changes_nothing(self) -> None:
        """Replacing a claim by one that breaks a rule leaves the ledger as it was."""
        ledger = small()
        old = Claim("containers", "afp")
        for new in [Claim("containers", "nobody"), Claim("naryshkin-visit", "afp")]:
            with pytest.raises(LedgerError):
                ledger.replace_claim(old, new)
            assert small() == ledger

    def test_replacing_a_claim_keeps_its_place(self) -> None:
        """A replaced claim takes the place of the old one."""
        ledger = small()
        old = Claim("naryshkin-visit", "kcna", via=["afp"])
        new = Claim("naryshkin-visit", "kcna", via=["afp"], withdrawn_on="2024-04-02")
        ledger.replace_claim(old, new)
        assert new == ledger.claims[0]
        assert len(small().claims) == len(ledger.claims)

    def test_removing_an_absent_claim_is_refused(self) -> None:
        """Removing a claim that is not there is refused and changes nothing."""
        ledger = small()
        with pytest.raises(LedgerError, match="not in the ledger"):
            ledger.remove_claim(Claim("containers", "kcna"))
        assert small() == ledger


class TestEveryProblemIsReported:
    def test_a_duplicate_does_not_hide_a_missing_dependency(self) -> None:
        """A duplicate source id does not stop the check of other sources' dependencies."""
        from provenance import LedgerError, Source

        with pytest.raises(LedgerError) as caught:
            Ledger.from_objects(
                [
                    Source("kcna", "KCNA"),
                    Source("kcna", "KCNA"),
                    Source("afp", "AFP", depends_on=["kcnaa"]),
                ]
            )
        messages = [str(p) for p in caught.value.problems]
        assert "sources[1].id: duplicate source id 'kcna'" in messages
        assert "sources[2].depends_on[0]: no source 'kcnaa' (did you mean 'kcna'?)" in messages
