"""Regression tests for the verdict rules v2: one small ledger per verdict that
the corrected rules change, and property tests for the rules they add.

Expected probabilities are computed from the rules' own formula (log-odds
pooling of independence groups, hedging, caps) so that each test states the
arithmetic it checks, not a number copied from a run.
"""

from __future__ import annotations

import datetime as dt
from random import Random
from typing import Any

import attrs
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from provenance import (
    Assessment,
    Assessments,
    Claim,
    Ledger,
    Policy,
    Proposition,
    Source,
    Stance,
    Weighed,
)
from provenance.assess import Exclusion, Shortfall, Status, assess, logit, sigmoid
from provenance.explain import explain
from provenance.strategies import ledgers, policies

D = dt.date


def pooled(*weights: float, prior: float = 0.5) -> float:
    """The rules' probability: sigmoid of the prior's and the groups' log-odds."""
    return sigmoid(logit(prior) + sum(weights))


def hedge(p: float, share: float) -> float:
    """A probability after hedging keeps `share` of its log-odds."""
    return sigmoid(share * logit(p))


AFP = Source("afp", "AFP", kind="wire", reliability="B")
REUTERS = Source("reuters", "Reuters", kind="wire", reliability="B")
AP = Source("ap", "AP", kind="wire", reliability="B")
BBC = Source("bbc", "BBC", kind="outlet", reliability="B")
LEMONDE = Source("lemonde", "Le Monde", kind="outlet", reliability="B")
SEOUL = Source(
    "seoul", "Government of the ROK", kind="government", affiliation="ROK", reliability="B"
)
WASHINGTON = Source(
    "washington", "US government", kind="government", affiliation="USA", reliability="B"
)
NYT = Source("nyt", "New York Times", kind="outlet", reliability="A")
UN = Source("un", "UN General Assembly", kind="record", reliability="A")
SHIPPED = Proposition("shipped", "North Korea shipped arms to Russia.", about=["DPRK", "Russia"])
SOURCES = [AFP, REUTERS, AP, BBC, LEMONDE, SEOUL, WASHINGTON, NYT, UN]


def verdict(
    claims: list[Claim],
    policy: Policy | None = None,
    sources: list[Source] = SOURCES,
    proposition: Proposition = SHIPPED,
    **meta: Any,
) -> Assessment:
    """The assessment of one proposition under these claims."""
    ledger = Ledger.from_objects(sources, [proposition], claims, **meta)
    return assess(ledger, policy)[proposition.id]


class TestSharedWire:
    def test_a_shared_wire_does_not_merge_two_governments(self) -> None:
        """Seoul via AFP and Washington via AFP are two voices, as if heard directly."""
        relayed = verdict(
            [Claim("shipped", "seoul", via=["afp"]), Claim("shipped", "washington", via=["afp"])]
        )
        direct = verdict([Claim("shipped", "seoul"), Claim("shipped", "washington")])
        assert 2 == len(relayed.support)
        assert Status.ESTABLISHED == relayed.status == direct.status
        assert round(pooled(logit(0.8), logit(0.8)), 3) == round(relayed.probability, 3)
        assert direct.probability == relayed.probability

    def test_a_relayer_that_also_speaks_joins_what_it_relays(self) -> None:
        """AFP asserting in its own voice too makes Seoul, Washington and AFP one voice."""
        result = verdict(
            [
                Claim("shipped", "seoul", via=["afp"]),
                Claim("shipped", "washington", via=["afp"]),
                Claim("shipped", "afp"),
            ]
        )
        (group,) = result.support
        assert Status.REPORTED == result.status
        assert round(0.8, 3) == round(result.probability, 3)
        assert "AFP relays Government of the ROK and asserts it in its own voice" in group.links

    def test_a_relayer_speaking_on_the_other_side_joins_nothing(self) -> None:
        """AFP denying in its own voice does not join the assertions it relays."""
        result = verdict(
            [
                Claim("shipped", "seoul", via=["afp"]),
                Claim("shipped", "washington", via=["afp"]),
                Claim("shipped", "afp", stance="denies"),
            ]
        )
        assert 2 == len(result.support)
        assert round(pooled(logit(0.8), logit(0.8), -logit(0.8)), 3) == round(result.probability, 3)


class TestHedging:
    def test_a_possible_claim_does_not_corroborate(self) -> None:
        """An A source plus a C source saying "possibly" is reported, not established."""
        c = Source("c", "C outlet", kind="outlet", reliability="C")
        result = verdict(
            [Claim("shipped", "nyt"), Claim("shipped", "c", certainty="possible")],
            sources=[*SOURCES, c],
        )
        assert Status.REPORTED == result.status
        assert round(pooled(logit(0.95), 0.3 * logit(0.65)), 3) == round(result.probability, 3)
        assert "hedged, so not corroboration: C outlet" in (result.missing or "")

    def test_services_that_only_believe_do_not_establish(self) -> None:
        """Six intelligence services that each "believe" a thing report it, however many."""
        services = [
            Source(
                f"s{i}", f"Service {i}", kind="intelligence", affiliation=f"P{i}", reliability="B"
            )
            for i in range(6)
        ]
        claims = [Claim("shipped", s.id, certainty="probable") for s in services]
        result = verdict(claims, sources=services)
        assert Status.REPORTED == result.status
        assert round(pooled(*[0.6 * logit(0.8)] * 6), 3) == round(result.probability, 3)
        assert result.probability > 0.99
        assert 0 == sum(g.qualified for g in result.support)

    def test_a_probable_denial_still_contests(self) -> None:
        """A credible "probably not" blocks stating a thing as fact."""
        result = verdict(
            [
                Claim("shipped", "afp"),
                Claim("shipped", "reuters"),
                Claim("shipped", "ap", stance="denies", certainty="probable"),
            ]
        )
        assert Status.DISPUTED == result.status
        expected = pooled(logit(0.8), logit(0.8), -0.6 * logit(0.8))
        assert round(expected, 3) == round(result.probability, 3)
        assert "contested by AP" in (result.missing or "")

    def test_a_possible_denial_does_not_veto(self) -> None:
        """A "possibly not" neither contests nor stops three firm wires establishing."""
        result = verdict(
            [
                Claim("shipped", "afp"),
                Claim("shipped", "reuters"),
                Claim("shipped", "ap"),
                Claim("shipped", "bbc", stance="denies", certainty="possible"),
            ]
        )
        assert Status.ESTABLISHED == result.status
        expected = pooled(*[logit(0.8)] * 3, -0.3 * logit(0.8))
        assert round(expected, 3) == round(result.probability, 3)
        assert not any(g.contesting for g in result.oppose)


class TestLowCredence:
    def test_a_claim_marked_probably_wrong_does_not_corroborate(self) -> None:
        """credence 0.2 is floored at even odds and counts towards no verdict."""
        result = verdict([Claim("shipped", "nyt"), Claim("shipped", "afp", credence=0.2)])
        assert Status.REPORTED == result.status
        assert round(0.95, 3) == round(result.probability, 3)
        low = next(w for w in result.weighed if w.claim.source == "afp")
        assert Shortfall.EVEN_ODDS in low.shortfalls
        assert not low.contests

    def test_a_denial_marked_probably_wrong_does_not_contest(self) -> None:
        """A denial at credence 0.3 blocks nothing."""
        result = verdict(
            [
                Claim("shipped", "afp"),
                Claim("shipped", "reuters"),
                Claim("shipped", "ap", stance="denies", credence=0.3),
            ]
        )
        assert Status.ESTABLISHED == result.status
        assert round(pooled(logit(0.8), logit(0.8)), 3) == round(result.probability, 3)


class TestPublicRecord:
    def test_a_possible_record_does_not_establish(self) -> None:
        """A record hedged "possible" against five D-graded denials is disputed, not a fact."""
        deniers = [
            Source(f"d{i}", f"Denier {i}", kind="outlet", affiliation=f"Q{i}", reliability="D")
            for i in range(5)
        ]
        claims = [Claim("shipped", "un", certainty="possible")]
        claims += [Claim("shipped", d.id, stance="denies") for d in deniers]
        result = verdict(claims, sources=[UN, *deniers])
        assert Status.DISPUTED == result.status
        expected = pooled(0.3 * logit(0.95), *[-logit(0.55)] * 5)
        assert round(expected, 3) == round(result.probability, 3)
        assert () == result.records

    def test_the_record_rule_keeps_the_probability_bar(self) -> None:
        """With establish_at .99, a record alone at 95 % is reported."""
        result = verdict([Claim("shipped", "un")], Policy(establish_at=0.99))
        assert Status.REPORTED == result.status
        assert round(0.95, 3) == round(result.probability, 3)
        assert "probability 95% is below the 99% bar" in (result.missing or "")

    def test_the_record_rule_replaces_the_count_of_groups(self) -> None:
        """At the default bar, an A-graded record alone is established."""
        result = verdict([Claim("shipped", "un")])
        assert Status.ESTABLISHED == result.status
        assert "public record: UN General Assembly" == result.basis


class TestWithdrawal:
    def test_a_withdrawal_covers_the_copies(self) -> None:
        """Reuters withdraws; the same Reuters claim reached through Le Monde stops counting."""
        direct = Claim("shipped", "reuters", said_on=D(2024, 3, 1), withdrawn_on=D(2024, 3, 3))
        copy = Claim("shipped", "reuters", via=["lemonde"], said_on=D(2024, 3, 1))
        result = verdict([Claim("shipped", "afp"), direct, copy])
        assert Status.REPORTED == result.status
        assert round(0.8, 3) == round(result.probability, 3)
        assert (direct, copy) == result.withdrawn
        (w,) = [w for w in result.weighed if w.claim is copy]
        assert Exclusion.WITHDRAWN is w.excluded
        assert direct is w.excluded_by

    def test_a_withdrawal_leaves_later_claims_and_the_other_side(self) -> None:
        """Claims said after the withdrawal, and denials, still count."""
        gone = Claim("shipped", "reuters", said_on=D(2024, 3, 1), withdrawn_on=D(2024, 3, 3))
        later = Claim("shipped", "reuters", via=["lemonde"], said_on=D(2024, 3, 4))
        result = verdict([Claim("shipped", "afp"), gone, later])
        assert (gone,) == result.withdrawn
        assert Status.ESTABLISHED == result.status

    def test_an_undated_copy_is_withdrawn_too(self) -> None:
        """An undated claim of the source on that side is taken back with the rest."""
        gone = Claim("shipped", "reuters", said_on=D(2024, 3, 1), withdrawn_on=D(2024, 3, 3))
        undated = Claim("shipped", "reuters", via=["bbc"])
        result = verdict([Claim("shipped", "afp"), gone, undated])
        assert (gone, undated) == result.withdrawn

    def test_every_claim_withdrawn_says_so(self) -> None:
        """A proposition whose every claim was withdrawn says so in its basis."""
        gone = Claim("shipped", "reuters", said_on=D(2024, 3, 1), withdrawn_on=D(2024, 3, 3))
        result = verdict([gone])
        assert Status.UNSUPPORTED == result.status
        assert "every claim on it was withdrawn" == result.basis


class TestLatestWord:
    def test_a_correction_supersedes_the_earlier_word(self) -> None:
        """Reuters asserts on 1 March and denies on 5 March: only the denial stands."""
        first = Claim("shipped", "reuters", said_on=D(2024, 3, 1))
        then = Claim("shipped", "reuters", stance="denies", said_on=D(2024, 3, 5))
        result = verdict([Claim("shipped", "afp"), Claim("shipped", "ap"), first, then])
        assert (first,) == result.superseded
        assert Status.DISPUTED == result.status
        assert round(pooled(logit(0.8), logit(0.8), -logit(0.8)), 3) == round(result.probability, 3)
        assert ["Reuters"] == [g.label for g in result.oppose]
        assert all("Reuters" not in g.label for g in result.support)

    def test_a_retracted_denial_no_longer_contests(self) -> None:
        """Reuters denies on 1 March and asserts on 5 March: no dispute with itself."""
        first = Claim("shipped", "reuters", stance="denies", said_on=D(2024, 3, 1))
        then = Claim("shipped", "reuters", said_on=D(2024, 3, 5))
        result = verdict([Claim("shipped", "afp"), first, then])
        assert (first,) == result.superseded
        assert Status.ESTABLISHED == result.status
        assert round(pooled(logit(0.8), logit(0.8)), 3) == round(result.probability, 3)
        (w,) = [w for w in result.weighed if w.claim is first]
        assert "superseded: Reuters asserts it on 2024-03-05" == w.reason

    def test_both_sides_on_the_latest_date_all_count(self) -> None:
        """When its latest date holds claims on both sides, every claim counts."""
        first = Claim("shipped", "reuters", said_on=D(2024, 3, 5))
        then = Claim("shipped", "reuters", stance="denies", said_on=D(2024, 3, 5))
        result = verdict([first, then])
        assert () == result.superseded
        assert Status.DISPUTED == result.status

    def test_an_undated_claim_turns_the_rule_off(self) -> None:
        """Without a date on every claim, the latest word is not known: all count."""
        first = Claim("shipped", "reuters")
        then = Claim("shipped", "reuters", stance="denies", said_on=D(2024, 3, 5))
        result = verdict([first, then])
        assert () == result.superseded


class TestRelayGrade:
    def test_a_claim_is_no_stronger_than_its_weakest_relay(self) -> None:
        """An A-graded official known only through an E-graded tabloid counts as E."""
        official = Source("official", "Unnamed official", kind="anonymous", reliability="A")
        tabloid = Source("tabloid", "Tabloid", kind="outlet", reliability="E")
        result = verdict(
            [Claim("shipped", "official", via=["tabloid"]), Claim("shipped", "afp")],
            sources=[AFP, official, tabloid],
        )
        assert Status.REPORTED == result.status
        assert round(0.8, 3) == round(result.probability, 3)
        (w,) = [w for w in result.weighed if w.claim.source == "official"]
        assert tabloid == w.weakest_relay
        assert 0.5 == w.p
        trace = explain(
            Ledger.from_objects(
                [AFP, official, tabloid],
                [SHIPPED],
                [Claim("shipped", "official", via=["tabloid"]), Claim("shipped", "afp")],
            ),
            "shipped",
        ).render()
        assert "0.50 capped by relay Tabloid (graded E)" in trace
        assert "cannot corroborate: no better than even odds" in trace

    def test_an_ungraded_relay_caps_nothing(self) -> None:
        """A relay graded F (cannot be judged) leaves the claim's weight alone."""
        blog = Source("blog", "Blog", kind="other", reliability="F")
        result = verdict(
            [Claim("shipped", "nyt", via=["blog"]), Claim("shipped", "afp")],
            sources=[AFP, NYT, blog],
        )
        assert Status.ESTABLISHED == result.status
        assert round(pooled(logit(0.95), logit(0.8)), 3) == round(result.probability, 3)


class TestStakeCap:
    def test_a_party_alone_reads_roughly_even(self) -> None:
        """The IDF alone on its own case reads "roughly even chance (55%)"."""
        idf = Source("idf", "IDF", kind="military", affiliation="Israel", reliability="B")
        blast = Proposition("blast", "A misfired rocket hit the hospital.", about=["Israel"])
        result = verdict([Claim("blast", "idf")], sources=[idf], proposition=blast)
        assert round(0.55, 3) == round(result.probability, 3)
        assert "roughly even chance" == result.likelihood.label
        assert "stake cap 55%" in Policy().summary()


class TestAsOf:
    def test_a_policy_without_as_of_uses_the_ledgers(self) -> None:
        """assess(ledger, Policy()) reports as of the ledger's date, not today."""
        late = Claim("shipped", "afp", said_on=D(2024, 4, 1))
        result = verdict([late], Policy(), as_of=D(2024, 3, 28))
        assert (late,) == result.ignored
        assert Status.UNSUPPORTED == result.status


class TestWording:
    def test_a_refuted_proposition_says_what_refutes_it(self) -> None:
        """Five independent denials refute; nothing speaks of parties with a stake."""
        deniers = [
            Source(f"d{i}", f"Wire {i}", kind="wire", affiliation=f"Q{i}", reliability="B")
            for i in range(5)
        ]
        result = verdict(
            [Claim("shipped", d.id, stance="denies") for d in deniers], sources=deniers
        )
        assert Status.REFUTED == result.status
        assert round(pooled(*[-logit(0.8)] * 5), 3) == round(result.probability, 3)
        assert result.basis.startswith("denied by 5 independent sources: ")
        assert "no source asserts it" == result.missing
        assert "stake" not in (result.missing or "")

    def test_denials_short_of_refuting_say_what_would_refute(self) -> None:
        """One denial reports; what is missing is a second independent denial."""
        result = verdict([Claim("shipped", "afp", stance="denies")])
        assert Status.REPORTED == result.status
        assert (
            "to refute it: needs 1 more independent denial with no stake, graded C or better"
            == result.missing
        )


class TestExplainReasons:
    def ledger(self, claims: list[Claim]) -> Ledger:
        """A ledger of SHIPPED with these claims."""
        return Ledger.from_objects(SOURCES, [SHIPPED], claims)

    def test_trace_shows_superseded_and_withdrawn_through_the_source(self) -> None:
        """The trace says which claim a correction superseded and which a withdrawal took back."""
        claims = [
            Claim("shipped", "reuters", stance="denies", said_on=D(2024, 3, 1)),
            Claim("shipped", "reuters", said_on=D(2024, 3, 5)),
            Claim("shipped", "ap", said_on=D(2024, 3, 1), withdrawn_on=D(2024, 3, 3)),
            Claim("shipped", "ap", via=["bbc"], said_on=D(2024, 3, 2)),
        ]
        text = explain(self.ledger(claims), "shipped").render()
        assert "[0] Reuters denies (certain)" in text
        assert "not counted: superseded: Reuters asserts it on 2024-03-05" in text
        assert "[2] AP asserts (certain): p 0.80 from grade B, 0.80 after hedging" in text
        assert "; not counted: withdrawn on 2024-03-03" in text
        assert (
            "[3] AP via BBC asserts (certain): p 0.80 from grade B, 0.80 after hedging;"
            " not counted: withdrawn: AP withdrew its claims on this side on 2024-03-03"
        ) in text

    def test_trace_says_why_a_claim_cannot_corroborate(self) -> None:
        """Hedged, below the grade bar, with a stake: each is named on the claim's line."""
        kcna = Source("kcna", "KCNA", kind="state-media", affiliation="DPRK", reliability="E")
        ledger = Ledger.from_objects(
            [*SOURCES, kcna],
            [SHIPPED],
            [Claim("shipped", "afp", certainty="probable"), Claim("shipped", "kcna")],
        )
        text = explain(ledger, "shipped").render()
        assert "[0] AFP asserts (probable)" in text
        assert "cannot corroborate: hedged (probable)" in text
        assert "cannot corroborate: has a stake, graded E, below the bar" in text

    def test_an_unknown_id_names_the_closest(self) -> None:
        """Indexing assessments by a misspelt id raises a KeyError with a did-you-mean."""
        result = assess(self.ledger([]))
        with pytest.raises(KeyError, match=r"no proposition 'shiped'.*did you mean 'shipped'"):
            result["shiped"]


# -- properties of rules v2 -------------------------------------------------------

crowded = ledgers(min_propositions=1, max_propositions=2, min_claims=4)


def facts(result: Assessments) -> dict[str, tuple[Status, float, str]]:
    """What a verdict is, independent of wording and order."""
    return {a.proposition.id: (a.status, a.probability, str(a.rating)) for a in result}


@st.composite
def relayed_through_a_silent_wire(draw: st.DrawFn) -> tuple[Ledger, Ledger]:
    """A ledger, and the same ledger with some claims also relayed through a new,
    ungraded source that never speaks in its own voice."""
    ledger = draw(crowded)
    wire = Source("zz-shared-wire", "Shared wire", kind="wire", reliability="F")
    chosen = draw(st.lists(st.booleans(), min_size=len(ledger.claims), max_size=len(ledger.claims)))
    claims = [
        attrs.evolve(c, via=[*c.via, wire.id]) if pick else c
        for c, pick in zip(ledger.claims, chosen, strict=True)
    ]
    grown = ledger.rebuild(sources=[*ledger.sources, wire], claims=claims)
    return ledger, grown


class TestRulesV2Properties:
    @given(relayed_through_a_silent_wire(), policies())
    def test_a_shared_relay_never_merges_origins(
        self, case: tuple[Ledger, Ledger], policy: Policy
    ) -> None:
        """Relaying claims through one more shared source that never speaks in its own
        voice (and caps nothing) changes no group and no verdict."""
        before, after = case
        old, new = assess(before, policy), assess(after, policy)
        assert facts(old) == facts(new)
        for a, b in zip(old, new, strict=True):
            assert len(a.support) == len(b.support)
            assert len(a.oppose) == len(b.oppose)

    @given(
        crowded,
        policies(),
        st.sampled_from(Stance),
        st.sampled_from(["probable", "possible", "low"]),
        st.floats(0.01, 0.5),
        st.sampled_from("ABCDEF"),
    )
    @example(
        ledger=Ledger.from_objects(
            [AFP, NYT], [SHIPPED], [Claim("shipped", "nyt"), Claim("shipped", "afp")]
        ),
        policy=Policy(),
        stance=Stance.ASSERTS,
        weak="possible",
        credence=0.5,
        grade="C",
    ).via("an A and a B source: a C source saying it possibly adds no qualified group")
    def test_weak_claims_add_no_qualified_or_contesting_group(
        self,
        ledger: Ledger,
        policy: Policy,
        stance: Stance,
        weak: str,
        credence: float,
        grade: str,
    ) -> None:
        """A hedged or credence <= .5 claim from a new source never adds a qualified
        group; a "possible" or credence <= .5 one never adds a contesting group."""
        proposition = ledger.propositions[0]
        source = Source("zz-new-voice", "New voice", kind="wire", reliability=grade)
        claim = Claim(
            proposition.id,
            source.id,
            stance=stance,
            certainty="certain" if weak == "low" else weak,
            credence=credence if weak == "low" else None,
        )
        grown = ledger.rebuild(sources=[*ledger.sources, source], claims=[*ledger.claims, claim])
        a = assess(ledger, policy)[proposition.id]
        b = assess(grown, policy)[proposition.id]
        for before, after in ((a.support, b.support), (a.oppose, b.oppose)):
            assert sum(g.qualified for g in after) <= sum(g.qualified for g in before)
            if weak != "probable":
                assert sum(g.contesting for g in after) <= sum(g.contesting for g in before)

    @given(crowded, policies())
    def test_nothing_said_by_a_withdrawal_date_counts(self, ledger: Ledger, policy: Policy) -> None:
        """After a withdrawal, no claim of that source on that side said up to that
        date counts, whatever relay carried it."""
        result = assess(ledger, policy)
        cutoff = result.policy.as_of or dt.date.today()
        for a in result:
            withdrawals = [
                w.claim
                for w in a.weighed
                if w.excluded is not Exclusion.SAID_AFTER
                and w.claim.withdrawn_on is not None
                and w.claim.withdrawn_on <= cutoff
            ]
            for w in a.weighed:
                if not w.counted:
                    continue
                for back in withdrawals:
                    if (back.source, back.stance) == (w.claim.source, w.claim.stance):
                        assert w.claim.said_on is not None
                        assert back.withdrawn_on is not None
                        assert w.claim.said_on > back.withdrawn_on

    @given(crowded, policies())
    def test_the_latest_dated_word_stands(self, ledger: Ledger, policy: Policy) -> None:
        """Where a source's standing claims on a proposition are all dated and its
        latest date holds one side, exactly its claims on the other side are superseded."""
        for a in assess(ledger, policy):
            standing: dict[str, list[Weighed]] = {}
            for w in a.weighed:
                if w.excluded in (None, Exclusion.SUPERSEDED):
                    standing.setdefault(w.claim.source, []).append(w)
            for claims in standing.values():
                dated = all(w.claim.said_on is not None for w in claims)
                latest = max((w.claim.said_on for w in claims if w.claim.said_on), default=None)
                last = {w.claim.stance for w in claims if w.claim.said_on == latest}
                for w in claims:
                    superseded = w.excluded is Exclusion.SUPERSEDED
                    expected = dated and len(last) == 1 and w.claim.stance not in last
                    assert expected == superseded

    @given(crowded, policies(), st.randoms(use_true_random=False))
    def test_reordering_a_sources_claims_changes_nothing_but_dates_do(
        self, ledger: Ledger, policy: Policy, random: Random
    ) -> None:
        """Which side of a source stands depends on its claims' dates, never their order."""
        claims = list(ledger.claims)
        random.shuffle(claims)
        shuffled = ledger.rebuild(claims=claims)
        for a, b in zip(assess(ledger, policy), assess(shuffled, policy), strict=True):
            assert sorted(map(repr, a.superseded)) == sorted(map(repr, b.superseded))
            assert a.probability == b.probability

    @given(crowded, policies())
    def test_swapping_the_dates_of_a_correction_swaps_the_side_that_stands(
        self, ledger: Ledger, policy: Policy
    ) -> None:
        """Moving a source's denial after its assertion makes the denial stand, and back."""
        source = ledger.sources[0]
        proposition = ledger.propositions[0]
        first = Claim(proposition.id, source.id, said_on=D(2024, 1, 1))
        then = Claim(proposition.id, source.id, stance="denies", said_on=D(2024, 1, 2))
        kept = [
            c for c in ledger.claims if (c.source, c.proposition) != (source.id, proposition.id)
        ]
        policy = attrs.evolve(policy, as_of=D(2024, 6, 1))
        one = assess(ledger.rebuild(claims=[*kept, first, then]), policy)[proposition.id]
        swapped = [
            attrs.evolve(first, said_on=D(2024, 1, 2)),
            attrs.evolve(then, said_on=D(2024, 1, 1)),
        ]
        two = assess(ledger.rebuild(claims=[*kept, *swapped]), policy)[proposition.id]
        assume(first not in one.withdrawn and then not in one.withdrawn)
        assert (first,) == tuple(c for c in one.superseded if c.source == source.id)
        assert (swapped[1],) == tuple(c for c in two.superseded if c.source == source.id)
