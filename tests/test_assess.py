"""Tests for the verdict rules: example tests for each rule and property tests
for every invariant the README states."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from random import Random
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from provenance import Claim, Ledger, Policy, Proposition, Reliability, Source, Stance
from provenance.assess import Assessment, Assessments, Status, assess, logit
from provenance.explain import explain
from provenance.strategies import ledgers, policies

# Few propositions and many claims: several voices meet on each proposition,
# so the rules about independent corroboration are exercised, not skipped.
crowded = ledgers(min_propositions=1, max_propositions=2, min_claims=4)


def build(
    sources: Iterable[Source],
    propositions: Iterable[Proposition],
    claims: Iterable[Claim],
    **meta: Any,
) -> Ledger:
    """A ledger from its parts."""
    return Ledger.from_objects(sources, propositions, claims, **meta)


AFP = Source("afp", "AFP", kind="wire", reliability="B")
REUTERS = Source("reuters", "Reuters", kind="wire", reliability="B")
KCNA = Source("kcna", "KCNA", kind="state-media", affiliation="DPRK", reliability="E")
TASS = Source("tass", "TASS", kind="state-media", affiliation="Russia", reliability="D")
UN = Source("un", "UN Security Council", kind="record", affiliation="UN", reliability="A")
FIGARO = Source("figaro", "Le Figaro", kind="outlet", reliability="B", depends_on=["afp"])
VISIT = Proposition("visit", "Naryshkin visited Pyongyang.", about=["DPRK", "Russia"])
SOURCES = [AFP, REUTERS, KCNA, TASS, UN, FIGARO]
OPPOSITE = {Stance.ASSERTS: Stance.DENIES, Stance.DENIES: Stance.ASSERTS}


def verdict(
    claims: Iterable[Claim],
    policy: Policy | None = None,
    sources: Iterable[Source] = SOURCES,
    **meta: Any,
) -> Assessment:
    """The assessment of VISIT under these claims."""
    return assess(build(sources, [VISIT], claims, **meta), policy)["visit"]


class TestClaimWeights:
    def test_grade_gives_p(self) -> None:
        """A claim's p comes from its source's grade when no credence is given."""
        (weighed,) = verdict([Claim("visit", "afp")]).weighed
        assert weighed.p == 0.80

    def test_credence_overrides_grade(self) -> None:
        """The analyst's credence replaces the grade's probability."""
        (weighed,) = verdict([Claim("visit", "afp", credence=0.7)]).weighed
        assert pytest.approx(weighed.p) == 0.7

    def test_hedging_shrinks_log_odds(self) -> None:
        """A probable claim keeps 60 % of its log-odds, a possible one 30 %."""
        probable = verdict([Claim("visit", "afp", certainty="probable")]).weighed[0]
        possible = verdict([Claim("visit", "afp", certainty="possible")]).weighed[0]
        assert 0.6 * logit(0.8) == pytest.approx(logit(probable.p))
        assert 0.3 * logit(0.8) == pytest.approx(logit(possible.p))

    def test_stake_caps_p(self) -> None:
        """A source whose affiliation is a party the proposition is about is capped at .55."""
        tass = attrs.evolve(TASS, reliability="A")
        (weighed,) = verdict([Claim("visit", "tass")], sources=[tass]).weighed
        assert weighed.stake
        assert weighed.p == 0.55

    def test_low_credence_is_no_evidence_against(self) -> None:
        """A supporting claim with credence below .5 adds nothing rather than counting against."""
        result = verdict([Claim("visit", "afp", credence=0.2)])
        assert result.probability == 0.5


class TestGroups:
    def test_relay_joins_source_and_relayer(self) -> None:
        """KCNA relayed by AFP and AFP in its own voice are one voice."""
        result = verdict([Claim("visit", "kcna", via=["afp"]), Claim("visit", "afp")])
        assert len(result.support) == 1
        assert "AFP relays KCNA and asserts it in its own voice" in result.support[0].links

    def test_shared_affiliation_joins(self) -> None:
        """Two sources of one party are one voice."""
        rodong = Source("rodong", "Rodong Sinmun", affiliation="dprk", reliability="E")
        result = verdict([Claim("visit", "kcna"), Claim("visit", "rodong")], sources=[KCNA, rodong])
        assert len(result.support) == 1
        assert "KCNA and Rodong Sinmun share the affiliation dprk" in result.support[0].links

    def test_declared_dependence_joins(self) -> None:
        """An outlet that depends on a wire is not independent of it."""
        result = verdict([Claim("visit", "afp"), Claim("visit", "figaro")])
        assert len(result.support) == 1

    def test_group_weighs_as_strongest_member(self) -> None:
        """Ten repetitions of a claim weigh as one."""
        once = verdict([Claim("visit", "afp")])
        many = verdict([Claim("visit", "afp", said_on=dt.date(2024, 3, d)) for d in range(1, 11)])
        assert once.probability == many.probability

    def test_independent_sources_are_separate_groups(self) -> None:
        """AFP and Reuters are two independent voices."""
        result = verdict([Claim("visit", "afp"), Claim("visit", "reuters")])
        assert len(result.support) == 2


class TestVerdicts:
    def test_corroboration_establishes(self) -> None:
        """Two independent B sources with no stake establish a proposition."""
        result = verdict([Claim("visit", "afp"), Claim("visit", "reuters")])
        assert result.status == Status.ESTABLISHED
        assert str(result.rating) == "B1"
        assert result.basis == "corroborated by 2 independent sources: AFP; Reuters"
        assert result.missing is None

    def test_one_source_is_reported(self) -> None:
        """One source, however good, only reports."""
        result = verdict([Claim("visit", "afp")])
        assert result.status == Status.REPORTED
        assert (
            result.missing
        ) == "needs 1 more independent source with no stake, graded C or better"

    def test_public_record_establishes(self) -> None:
        """An A-graded record with no stake establishes on its own."""
        result = verdict([Claim("visit", "un")])
        assert result.status == Status.ESTABLISHED
        assert result.basis == "public record: UN Security Council"

    def test_public_record_rule_can_be_switched_off(self) -> None:
        """With public_record off, a record is one source like any other."""
        result = verdict([Claim("visit", "un")], Policy(public_record=False))
        assert result.status == Status.REPORTED

    def test_stake_alone_never_establishes(self) -> None:
        """Parties with a stake, however many, only report."""
        result = verdict([Claim("visit", "kcna"), Claim("visit", "tass")])
        assert result.status == Status.REPORTED
        assert (result.missing or "").startswith("only parties with a stake have spoken")

    def test_contesting_denial_blocks(self) -> None:
        """A denial from a qualified source blocks an otherwise established fact."""
        other = Source("ap", "AP", kind="wire", reliability="B")
        result = verdict(
            [
                Claim("visit", "afp"),
                Claim("visit", "reuters"),
                Claim("visit", "ap", stance="denies"),
            ],
            sources=[*SOURCES, other],
        )
        assert result.status == Status.DISPUTED
        assert "contested by AP" in (result.missing or "")

    def test_refuted_mirrors_established(self) -> None:
        """Two independent denials refute."""
        result = verdict(
            [Claim("visit", "afp", stance="denies"), Claim("visit", "reuters", stance="denies")]
        )
        assert result.status == Status.REFUTED
        assert result.credibility == 5

    def test_no_claim_is_unsupported(self) -> None:
        """A proposition no one speaks to is unsupported, with F6."""
        result = verdict([])
        assert result.status == Status.UNSUPPORTED
        assert str(result.rating) == "F6"
        assert result.basis == "no claim bears on it"

    def test_withdrawn_claims_are_shown_not_counted(self) -> None:
        """A withdrawn claim stays in the assessment but does not count."""
        withdrawn = Claim(
            "visit", "reuters", said_on=dt.date(2024, 3, 1), withdrawn_on=dt.date(2024, 3, 2)
        )
        result = verdict([Claim("visit", "afp"), withdrawn])
        assert (withdrawn,) == result.withdrawn
        assert result.status == Status.REPORTED

    def test_as_of_ignores_later_claims_and_keeps_later_withdrawals(self) -> None:
        """As of a date, later claims are ignored and later withdrawals have not happened."""
        late = Claim("visit", "reuters", said_on=dt.date(2024, 4, 1))
        retracted = Claim(
            "visit", "afp", said_on=dt.date(2024, 3, 1), withdrawn_on=dt.date(2024, 4, 2)
        )
        result = verdict([late, retracted], Policy(as_of="2024-03-28"))
        assert (late,) == result.ignored
        assert (retracted,) == result.counted

    def test_ledger_as_of_is_the_default(self) -> None:
        """A ledger's as_of applies when no policy is given."""
        late = Claim("visit", "reuters", said_on=dt.date(2024, 4, 1))
        result = verdict([late], as_of=dt.date(2024, 3, 28))
        assert (late,) == result.ignored

    def test_policy_overrides_ledger_policy(self) -> None:
        """Keyword overrides win over the ledger's house rules."""
        ledger = build(SOURCES, [VISIT], [], policy=Policy(min_independent=3))
        assert Policy.from_ledger(ledger).min_independent == 3
        assert Policy.from_ledger(ledger, min_independent=4).min_independent == 4


class TestExplain:
    def test_trace_names_every_step(self) -> None:
        """The trace shows weights, groups and why they joined, the sum and the rule."""
        ledger = build(
            SOURCES,
            [VISIT],
            [Claim("visit", "kcna", via=["afp"]), Claim("visit", "tass"), Claim("visit", "afp")],
        )
        text = explain(ledger, "visit").render()
        assert "p 0.50 from grade E" in text
        assert "after the stake cap (Russia has a stake)" in text
        assert "joined: AFP relays KCNA and asserts it in its own voice" in text
        assert "log-odds: prior +0.000" in text
        assert "independent corroboration: 1 qualified group(s) of 2 needed (not met)" in text
        assert "status: reported" in text

    def test_unknown_proposition_is_a_ledger_error(self) -> None:
        """Explaining a missing proposition names it and suggests the nearest id."""
        ledger = build(SOURCES, [VISIT], [])
        with pytest.raises(ValueError, match="no proposition 'vist' \\(did you mean 'visit'\\?\\)"):
            explain(ledger, "vist")


# -- the invariants of the verdicts --------------------------------------------


def facts(result: Assessments) -> dict[str, tuple[Status, float, str]]:
    """What a verdict is, independent of wording and order."""
    return {a.proposition.id: (a.status, a.probability, str(a.rating)) for a in result}


def rebuild(
    ledger: Ledger,
    sources: Iterable[Source] | None = None,
    propositions: Iterable[Proposition] | None = None,
    claims: Iterable[Claim] | None = None,
) -> Ledger:
    """A copy of `ledger` with some of its parts replaced."""
    return ledger.rebuild(sources=sources, propositions=propositions, claims=claims)


def new_source(draw: st.DrawFn, ledger: Ledger, prefix: str) -> Source:
    """A source with an id not in the ledger and no declared dependence."""
    taken = {s.id for s in ledger.sources}
    name = draw(
        st.from_regex(rf"{prefix}[a-z0-9]{{1,6}}", fullmatch=True).filter(lambda i: i not in taken)
    )
    affiliation = draw(st.none() | st.sampled_from(["DPRK", "Russia", "USA", "ROK", "UN"]))
    return Source(
        name,
        name.upper(),
        kind=draw(st.sampled_from(["wire", "record", "government", "outlet"])),
        affiliation=affiliation,
        reliability=draw(st.sampled_from(list(Reliability))),
    )


@st.composite
def ledger_with_new_claim(draw: st.DrawFn, stance: Stance) -> tuple[Ledger, Ledger, str]:
    """A ledger, a proposition of it, and a claim on it from a new source
    relayed only through new sources with affiliations of their own."""
    ledger = draw(ledgers(min_propositions=1))
    proposition = draw(st.sampled_from(ledger.propositions))
    source = new_source(draw, ledger, "new")
    relays = [
        attrs.evolve(new_source(draw, ledger, f"relay{i}"), affiliation=f"relay party {i}")
        for i in range(draw(st.integers(0, 2)))
    ]
    claim = Claim(
        proposition.id,
        source.id,
        stance=stance,
        certainty=draw(st.sampled_from(["certain", "probable", "possible"])),
        via=[r.id for r in relays],
        credence=draw(st.none() | st.floats(0.01, 0.99)),
    )
    grown = rebuild(
        ledger, sources=[*ledger.sources, source, *relays], claims=[*ledger.claims, claim]
    )
    return ledger, grown, proposition.id


class TestInvariants:
    @given(crowded, policies(), st.randoms(use_true_random=False))
    def test_order_never_changes_a_verdict(
        self, ledger: Ledger, policy: Policy, random: Random
    ) -> None:
        """The order of sources, propositions and claims never changes any verdict."""
        sources, propositions = list(ledger.sources), list(ledger.propositions)
        claims = list(ledger.claims)
        random.shuffle(sources)
        random.shuffle(propositions)
        random.shuffle(claims)
        shuffled = rebuild(ledger, sources, propositions, claims)
        assert facts(assess(ledger, policy)) == facts(assess(shuffled, policy))

    @given(ledger_with_new_claim(Stance.ASSERTS), policies())
    def test_new_support_never_lowers_probability(
        self, case: tuple[Ledger, Ledger, str], policy: Policy
    ) -> None:
        """A supporting claim from a new source, relayed through no source already
        present, never lowers the probability."""
        before, after, pid = case
        assert assess(before, policy)[pid].probability <= assess(after, policy)[pid].probability

    @given(ledger_with_new_claim(Stance.DENIES), policies())
    def test_new_denial_never_raises_probability(
        self, case: tuple[Ledger, Ledger, str], policy: Policy
    ) -> None:
        """A denying claim from a new source, relayed through no source already
        present, never raises the probability."""
        before, after, pid = case
        assert assess(before, policy)[pid].probability >= assess(after, policy)[pid].probability

    @given(crowded, policies())
    def test_swapping_stances_mirrors_probability(self, ledger: Ledger, policy: Policy) -> None:
        """Swapping every stance (and the prior) maps P to 1 - P and established to refuted."""
        swapped = rebuild(
            ledger, claims=[attrs.evolve(c, stance=OPPOSITE[c.stance]) for c in ledger.claims]
        )
        mirror = attrs.evolve(policy, prior=1 - policy.prior)
        mirrored = {
            Status.ESTABLISHED: Status.REFUTED,
            Status.REFUTED: Status.ESTABLISHED,
        }
        for a, b in zip(assess(ledger, policy), assess(swapped, mirror), strict=True):
            assert a.probability == pytest.approx(1 - b.probability, abs=1e-9)
            if (
                abs(a.probability - policy.establish_at) > 1e-9
                and abs(a.probability - (1 - policy.establish_at)) > 1e-9
            ):
                assert mirrored.get(a.status, a.status) == b.status

    @given(ledgers(min_propositions=1), policies(), st.data())
    def test_repeating_a_claim_changes_nothing(
        self, ledger: Ledger, policy: Policy, data: st.DataObject
    ) -> None:
        """Repeating a counted claim (same source, stance and certainty, relayed through
        its own chain and sources of its own group, dated no later than that source's
        latest claim on the proposition) never changes the probability.

        The repeat keeps the original's relays: a claim is no stronger than its
        weakest relay, so the same words heard without the relay are stronger
        evidence, not a repeat."""
        result = assess(ledger, policy)
        groups = [g for a in result for g in (*a.support, *a.oppose)]
        assume(groups)
        group = data.draw(st.sampled_from(groups))
        original = data.draw(st.sampled_from(group.members)).claim
        speakers = sorted(
            {w.claim.source for w in group.members} - {original.source, *original.via}
        )
        extra = data.draw(
            st.lists(st.sampled_from(speakers), unique=True) if speakers else st.just([])
        )
        via = [*original.via, *extra]
        pid = original.proposition
        said = [
            c.said_on for c in ledger.claims if (c.source, c.proposition) == (original.source, pid)
        ]
        dated = [d for d in said if d is not None]
        dates = st.dates(max_value=max(dated)) if dated else st.dates()
        # An undated repeat is no later than anything only where the source's
        # word is already undated (so no latest word is known).
        said_on = data.draw(st.none() | dates if None in said else dates)
        repeat = attrs.evolve(original, via=via, said_on=said_on, withdrawn_on=None, url=None)
        grown = rebuild(ledger, claims=[*ledger.claims, repeat])
        assert result[pid].probability == assess(grown, policy)[pid].probability

    @given(crowded, policies())
    def test_one_group_alone_never_establishes(self, ledger: Ledger, policy: Policy) -> None:
        """One independence group alone never establishes, unless it holds a public record."""
        for a in assess(ledger, policy):
            records = [
                w
                for g in a.support
                for w in g.members
                if w.source.kind == "record" and w.source.reliability == "A" and not w.stake
            ]
            if len(a.support) <= 1 and not (records and policy.public_record):
                assert a.status != Status.ESTABLISHED

    @given(crowded, policies())
    def test_parties_with_a_stake_alone_never_establish(
        self, ledger: Ledger, policy: Policy
    ) -> None:
        """When every supporting claim comes from a party with a stake, nothing is established."""
        for a in assess(ledger, policy):
            if all(w.stake for g in a.support for w in g.members):
                assert a.status != Status.ESTABLISHED

    @given(
        crowded,
        policies(),
        st.integers(0, 3),
        st.floats(0, 0.49),
        st.integers(0, 5),
        st.integers(0, 5),
    )
    def test_stricter_policy_never_decides_more(
        self, ledger: Ledger, policy: Policy, more: int, higher: float, better: int, worse: int
    ) -> None:
        """A stricter policy (more groups, a higher bar, a better min_reliability, a worse
        contest_reliability) never establishes, nor refutes, what a looser one does not."""
        grades = list(Reliability)
        strict = attrs.evolve(
            policy,
            min_independent=policy.min_independent + more,
            establish_at=min(0.999, policy.establish_at + higher),
            min_reliability=grades[max(0, policy.min_reliability.rank - better)],
            contest_reliability=grades[min(5, policy.contest_reliability.rank + worse)],
        )
        loose, tight = assess(ledger, policy), assess(ledger, strict)
        for a, b in zip(loose, tight, strict=True):
            if b.status is Status.ESTABLISHED:
                assert a.status == Status.ESTABLISHED
            if b.status is Status.REFUTED:
                assert a.status == Status.REFUTED

    @given(ledgers(), policies())
    def test_every_proposition_has_one_status(self, ledger: Ledger, policy: Policy) -> None:
        """Every proposition gets exactly one verdict, so it lands in exactly one section."""
        result = assess(ledger, policy)
        assert [p.id for p in ledger.propositions] == [a.proposition.id for a in result]
        by_section = [a.proposition.id for s in Status for a in result.by_status(s)]
        assert sorted(p.id for p in ledger.propositions) == sorted(by_section)

    @given(ledgers(), policies())
    def test_probability_is_finite_and_in_range(self, ledger: Ledger, policy: Policy) -> None:
        """Probability is finite and in [0, 1], and its words are its band."""
        for a in assess(ledger, policy):
            assert math.isfinite(a.probability)
            assert 0.0 <= a.probability <= 1.0
            assert a.likelihood.label == type(a.likelihood).of(a.probability).label

    @given(
        ledgers(),
        policies(),
        st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
        st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    )
    def test_earlier_as_of_only_drops_claims(
        self, ledger: Ledger, policy: Policy, first: dt.date, second: dt.date
    ) -> None:
        """Moving as_of back in time only ever drops claims from what is known."""
        early, late = sorted([first, second])
        before = assess(ledger, attrs.evolve(policy, as_of=early))
        after = assess(ledger, attrs.evolve(policy, as_of=late))
        for a, b in zip(before, after, strict=True):
            known_early = [w.claim for w in a.weighed if w.claim not in a.ignored]
            known_late = [w.claim for w in b.weighed if w.claim not in b.ignored]
            assert all(c in known_late for c in known_early)

    @given(ledgers(min_propositions=2), policies(), st.data())
    def test_claims_on_one_proposition_leave_others_alone(
        self, ledger: Ledger, policy: Policy, data: st.DataObject
    ) -> None:
        """Adding or removing claims on one proposition never changes another's verdict
        (further invariant: verdicts are local to their proposition).  The ledger-wide
        switches set this invariant aside, so it is stated with both off."""
        assume(not policy.ledger_wide)
        target = data.draw(st.sampled_from(ledger.propositions)).id
        kept = [c for c in ledger.claims if c.proposition != target]
        before = facts(assess(ledger, policy))
        after = facts(assess(rebuild(ledger, claims=kept), policy))
        del before[target], after[target]
        assert before == after

    @given(ledgers(), policies())
    def test_verdict_and_credibility_agree(self, ledger: Ledger, policy: Policy) -> None:
        """Established is credibility 1 and refuted is 5 (further invariant)."""
        for a in assess(ledger, policy):
            if a.status is Status.ESTABLISHED:
                assert a.credibility == 1
            if a.status is Status.REFUTED:
                assert a.credibility == 5
            assert (a.status is Status.ESTABLISHED) == (a.missing is None)


class TestExplainGroups:
    def test_trace_says_which_claims_each_group_holds_and_every_rule(self) -> None:
        """Each group lists its claims by position, and the refutation rule is traced too."""
        ledger = build(SOURCES, [VISIT], [Claim("visit", "afp"), Claim("visit", "reuters")])
        text = explain(ledger, "visit").render()
        assert "    claims: [0]" in text
        assert "    claims: [1]" in text
        assert "independent refutation: 0 qualified denying group(s)" in text
