"""Ledger-wide evidence: track records, copy detection and the two policy switches."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from random import Random

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from provenance import Claim, Ledger, Policy, Proposition, Reliability, Source
from provenance.assess import Assessment, Status, _Engine, assess
from provenance.cli import main
from provenance.errors import PolicyError
from provenance.evidence import (
    _first_odds,
    beta_quantile,
    binomial_tail,
    copies,
    settle,
    suggested_grade,
    track_records,
)
from provenance.explain import explain
from provenance.files import loads
from provenance.strategies import ledgers, policies

DAY = dt.date(2024, 1, 1)
LEARN = Policy(infer_copying=True, learn_reliability=True)


def facts(result: Iterable[Assessment]) -> dict[str, tuple[Status, float, str]]:
    """What a verdict is, independent of wording and order."""
    return {a.proposition.id: (a.status, a.probability, str(a.rating)) for a in result}


def copied_world(
    n: int, stances: Sequence[bool], origin_grade: str = "C", copier_grade: str = "C"
) -> Ledger:
    """An origin, a copier repeating it a day later on `n` propositions, and a bystander."""
    sources = [
        Source("origin", "Origin", reliability=origin_grade),
        Source("copier", "Copier", reliability=copier_grade),
        Source("bystander", "Bystander", reliability="C"),
    ]
    props = [Proposition(f"p{i}", f"Statement {i}.") for i in range(n)]
    claims = []
    for i, asserts in enumerate(stances):
        stance = "asserts" if asserts else "denies"
        claims.append(Claim(f"p{i}", "origin", stance, said_on=DAY))
        claims.append(Claim(f"p{i}", "copier", stance, said_on=DAY + dt.timedelta(days=1)))
    claims.append(Claim("p0", "bystander", said_on=DAY))
    return Ledger.from_objects(sources, props, claims, as_of="2025-01-01")


def late_world(n: int, others: int) -> Ledger:
    """`others` C-graded sources speaking the same day on `n` propositions, and a
    C-graded source that always speaks the day after, agreeing with all of them."""
    sources = [Source(f"w{i}", f"Wire {i}", reliability="C") for i in range(others)]
    sources.append(Source("late", "Late Weekly", reliability="C"))
    props = [Proposition(f"p{i}", f"Statement {i}.") for i in range(n)]
    claims = [Claim(f"p{i}", f"w{j}", said_on=DAY) for i in range(n) for j in range(others)]
    claims += [Claim(f"p{i}", "late", said_on=DAY + dt.timedelta(days=1)) for i in range(n)]
    return Ledger.from_objects(sources, props, claims, as_of="2025-01-01")


def accurate_pair(n: int) -> Ledger:
    """Two A-graded sources that agree on `n` propositions because both are right."""
    sources = [Source("a", "Alpha", reliability="A"), Source("b", "Beta", reliability="A")]
    props = [Proposition(f"p{i}", f"Statement {i}.") for i in range(n)]
    claims = [Claim(f"p{i}", s.id, said_on=DAY) for i in range(n) for s in sources]
    return Ledger.from_objects(sources, props, claims, as_of="2025-01-01")


class TestNumbers:
    @given(st.integers(0, 40), st.integers(0, 40), st.floats(0.01, 0.99))
    def test_binomial_tail_matches_the_direct_sum(self, k: int, n: int, p: float) -> None:
        """The log-space tail equals the textbook sum of binomial terms."""
        direct = math.fsum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))
        assert direct == pytest.approx(binomial_tail(k, n, p), rel=1e-9, abs=1e-300)

    def test_binomial_tail_stays_finite_for_long_records(self) -> None:
        """A tail of thousands of trials is computed without underflow to a wrong value."""
        assert 0.0 <= binomial_tail(3000, 3000, 0.5) < 1e-300
        assert 0.5 == pytest.approx(binomial_tail(1500, 3000, 0.5), abs=0.01)

    @given(st.floats(0.01, 0.99), st.floats(0.5, 20.0))
    def test_beta_quantile_of_known_laws(self, q: float, a: float) -> None:
        """Beta(1, 1) is uniform and Beta(a, 1) has quantile q**(1/a)."""
        assert q == pytest.approx(beta_quantile(q, 1.0, 1.0), abs=1e-9)
        assert q ** (1 / a) == pytest.approx(beta_quantile(q, a, 1.0), abs=1e-9)

    def test_suggested_grade_is_the_nearest_letter(self) -> None:
        """The record suggests the letter whose probability is nearest; ties go to the worse."""
        policy = Policy()
        assert Reliability.A == suggested_grade(0.99, policy)
        assert Reliability.B == suggested_grade(0.80, policy)
        assert Reliability.D == suggested_grade(0.60, policy)  # .55 and .65 tie: the worse
        assert Reliability.E == suggested_grade(0.40, policy)


class TestPolicy:
    def test_switches_are_off_by_default(self) -> None:
        """Nothing ledger-wide happens unless asked for."""
        policy = Policy()
        assert (False, False) == (policy.infer_copying, policy.learn_reliability)
        assert (8, 1e-4, 4.0, 2) == (
            policy.copy_min_shared,
            policy.copy_alpha,
            policy.prior_weight,
            policy.evidence_rounds,
        )

    def test_the_lead_bar_is_the_square_root_of_the_agreement_bar(self) -> None:
        """By default the two lead-and-agreement tests together are as strict as the one alone."""
        policy = Policy()
        assert policy.copy_alpha == pytest.approx(policy.copy_alpha_led**2)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("infer_copying", "yes"),
            ("learn_reliability", 1),
            ("copy_min_shared", 1),
            ("copy_min_shared", 2.5),
            ("copy_alpha", 0),
            ("copy_alpha", 1.5),
            ("copy_alpha_led", 1),
            ("copy_alpha_led", -0.1),
            ("copy_alpha_led", "low"),
            ("copy_lead_habits", "yes"),
            ("prior_weight", 0),
            ("evidence_rounds", 0),
        ],
    )
    def test_bad_values_are_refused_with_the_field(self, field: str, value: object) -> None:
        """Each new setting is checked and the error names it."""
        with pytest.raises(PolicyError) as error:
            Policy(**{field: value})
        assert field == error.value.field

    def test_a_ledger_can_switch_them_on(self) -> None:
        """The ledger's [policy] table sets the switches and their numbers."""
        text = (
            "[policy]\ninfer_copying = true\nlearn_reliability = true\ncopy_min_shared = 5\n"
            'copy_lead_habits = false\n[[sources]]\nid = "a"\nname = "A"\n'
        )
        policy = loads(text, "toml").policy
        assert (True, True, 5, False) == (
            policy.infer_copying,
            policy.learn_reliability,
            policy.copy_min_shared,
            policy.copy_lead_habits,
        )

    def test_summary_shows_the_switches_only_when_on(self) -> None:
        """The report's policy line says when the whole ledger is used."""
        assert "copying" not in Policy().summary()
        summary = LEARN.summary()
        assert "copying inferred" in summary
        assert "reliability learned" in summary


class TestSwitchesOff:
    @settings(max_examples=60)
    @given(
        ledgers(),
        policies(),
        st.integers(2, 20),
        st.floats(1e-9, 0.5),
        st.floats(0.0, 0.5),
        st.floats(0.5, 50.0),
        st.integers(1, 4),
        st.booleans(),
    )
    def test_nothing_changes(
        self,
        ledger: Ledger,
        policy: Policy,
        shared: int,
        alpha: float,
        led: float,
        weight: float,
        rounds: int,
        habits: bool,
    ) -> None:
        """With both switches off, verdicts are the engine's alone, whatever the other numbers."""
        tuned = attrs.evolve(
            policy,
            copy_min_shared=shared,
            copy_alpha=alpha,
            copy_alpha_led=led,
            prior_weight=weight,
            evidence_rounds=rounds,
            copy_lead_habits=habits,
        )
        result = assess(ledger, tuned)
        assert result.evidence is None
        plain = _Engine(ledger, assess(ledger, policy).policy)
        assert facts(plain.assess(p) for p in ledger.propositions) == facts(result)
        assert [a.basis for a in assess(ledger, policy)] == [a.basis for a in result]


class TestCopying:
    @settings(max_examples=40)
    @given(st.integers(16, 40).flatmap(lambda n: st.lists(st.booleans(), min_size=n, max_size=n)))
    @example([True] * 16)
    def test_a_copier_is_found_and_counts_once(self, stances: list[bool]) -> None:
        """A copier repeating an origin on enough propositions is found, origin first,
        and with infer_copying its claims stop counting twice."""
        ledger = copied_world(len(stances), stances)
        found = copies(ledger)
        assert [("copier", "origin")] == [(c.source.id, c.other.id) for c in found]
        origin = found[0].origin
        assert origin is not None
        assert "origin" == origin.id
        before = assess(ledger)
        after = assess(ledger, Policy(infer_copying=True))
        for a, b in zip(before, after, strict=True):
            if a.proposition.id != "p0":
                assert 2 == len(a.support + a.oppose)
                assert 1 == len(b.support + b.oppose)
                assert (
                    0.5
                    < max(b.probability, 1 - b.probability)
                    < max(a.probability, 1 - a.probability)
                )

    @settings(max_examples=30)
    @given(st.integers(8, 80))
    def test_accurate_sources_agreeing_are_not_flagged(self, n: int) -> None:
        """Two independent accurate sources that agree because both are right are not
        flagged: the expected agreement uses their record."""
        assert [] == copies(accurate_pair(n))
        assert [] == copies(accurate_pair(n), LEARN)

    def test_the_basis_and_explain_give_the_evidence(self) -> None:
        """The joined group says who likely copies whom, with the counts."""
        ledger = copied_world(20, [True] * 20)
        result = assess(ledger, Policy(infer_copying=True))
        words = (
            "Copier likely copies Origin: agree on 20 of 20 shared propositions;"
            " independent sources of their record would agree on about"
            f" {round(20 * (0.65**2 + 0.35**2))}"
        )
        assert (words,) == result["p5"].support[0].links
        assert (words,) == result["p5"].support[0].inferred
        assert f"Origin + Copier (joined: {words})" in result["p5"].basis
        assert f"    joined: {words}" in explain(ledger, "p5", LEARN).steps

    def test_the_basis_names_only_inferred_copying(self) -> None:
        """A declared dependence joins a group as before and the basis does not name
        the copying found within it; a copy that only inference joins is named."""
        ledger = copied_world(20, [True] * 20)
        declared = ledger.rebuild(
            sources=[
                attrs.evolve(s, depends_on=["origin"]) if s.id == "copier" else s
                for s in ledger.sources
            ]
        )
        result = assess(declared, Policy(infer_copying=True))["p5"]
        [group] = result.support
        assert "Origin and Copier are declared dependent" == group.links[0]
        assert () == group.inferred
        assert "Origin + Copier" in result.basis
        assert "joined" not in result.basis
        # A second copy, undeclared, repeating the origin two days later.
        echo = Source("echo", "Echo", reliability="C")
        later = DAY + dt.timedelta(days=2)
        more = declared.rebuild(
            sources=[*declared.sources, echo],
            claims=[
                *declared.claims,
                *(Claim(f"p{i}", "echo", said_on=later) for i in range(20)),
            ],
        )
        result = assess(more, Policy(infer_copying=True))["p5"]
        [group] = result.support
        assert group.inferred
        assert all("Echo" in words for words in group.inferred)
        joined = "; ".join(f"joined: {words}" for words in group.inferred)
        assert f"Origin + Copier + Echo ({joined})" in result.basis

    def test_copies_of_a_well_graded_source_do_not_vouch_for_each_other(self) -> None:
        """A B-graded outlet rewriting a B-graded wire is found even though, judged
        with each other, both would look right every time."""
        ledger = copied_world(30, [i % 5 != 0 for i in range(30)], "B", "B")
        assert [("copier", "origin")] == [(c.source.id, c.other.id) for c in copies(ledger)]
        assert Status.ESTABLISHED is assess(ledger)["p1"].status
        assert Status.REPORTED is assess(ledger, LEARN)["p1"].status

    def test_a_copier_that_always_speaks_later_is_found_on_fewer_propositions(self) -> None:
        """Agreeing on 10 of 10 (tail .545**10, between copy_alpha and copy_alpha_led) is
        not enough alone, but with the origin first on all 10 (tail .5**10) it is."""
        ledger = copied_world(10, [True] * 10)
        (found,) = copies(ledger)
        assert ("copier", "origin", True) == (found.source.id, found.other.id, found.led)
        assert 0.545**10 == pytest.approx(found.tail)
        assert found.words.endswith("; and Origin spoke first on 10 of 10 dated ones")
        assert [] == copies(ledger, Policy(copy_alpha_led=0))
        result = assess(ledger, Policy(infer_copying=True))
        assert 1 == len(result["p5"].support)

    @settings(max_examples=30)
    @given(st.integers(8, 14), st.booleans())
    def test_agreement_without_a_lead_needs_the_stricter_bar(self, n: int, same_day: bool) -> None:
        """Two sources that agree on 8 to 14 of as many but speak first in turn, or on
        the same day, are held to copy_alpha alone, and so are not flagged."""
        ledger = copied_world(n, [True] * n)
        claims = [
            attrs.evolve(
                c,
                said_on=DAY
                if same_day
                else DAY + dt.timedelta(days=1 if int(c.proposition[1:]) % 2 else -1),
            )
            if c.source == "copier"
            else c
            for c in ledger.claims
        ]
        shifted = ledger.rebuild(claims=claims)
        assert 0.545**n > Policy().copy_alpha  # the agreement alone does not flag them
        assert [] == copies(shifted)

    @settings(max_examples=30)
    @given(st.integers(8, 14), st.integers(2, 4))
    def test_a_source_late_to_every_story_is_not_a_copy_of_each(self, n: int, others: int) -> None:
        """A source that speaks a day after everyone, agreeing with them as often as
        C-graded sources would be expected to (8 to 14 of as many, tail .545**n, below
        copy_alpha_led), is not flagged by its lead: by its habit it speaks last."""
        ledger = late_world(n, others)
        assert 0.545**n < Policy().copy_alpha_led
        assert [] == copies(ledger)
        flagged = copies(ledger, Policy(copy_lead_habits=False))
        assert [("late", f"w{i}", True) for i in range(others)] == [
            (c.source.id, c.other.id, c.led) for c in flagged
        ]

    def test_the_odds_of_speaking_first_come_from_the_habits(self) -> None:
        """Each source's habit leaves out the pair's own encounters; the two habits meet
        on the log-odds scale (Bradley-Terry)."""
        won = {"a": 12, "b": 3}
        lost = {"a": 4, "b": 9}
        # Without their 2 + 1 encounters with each other: a won 10 of 13, b won 2 of 9.
        habit_a, habit_b = 11 / 15, 3 / 11
        expected = 1 / (1 + (habit_b / (1 - habit_b)) / (habit_a / (1 - habit_a)))
        assert expected == pytest.approx(_first_odds(won, lost, "a", "b", 2, 1))
        assert 0.5 == pytest.approx(_first_odds({"a": 3, "b": 0}, {"a": 0, "b": 3}, "a", "b", 3, 0))

    def test_a_copier_is_found_however_late_it_always_is(self) -> None:
        """A copier that repeats its origin exactly on 20 propositions, and speaks after
        every source, is found by its agreement alone."""
        ledger = late_world(20, 2)
        claims = [
            *ledger.claims,
            *(
                Claim(c.proposition, "copier", c.stance, said_on=DAY + dt.timedelta(days=2))
                for c in ledger.claims
                if c.source == "w0"
            ),
        ]
        sources = [*ledger.sources, Source("copier", "Copier", reliability="C")]
        found = copies(ledger.rebuild(sources=sources, claims=claims))
        assert ("copier", "w0", False) in [(c.source.id, c.other.id, c.led) for c in found]

    def test_too_few_shared_propositions_are_not_tested(self) -> None:
        """Below copy_min_shared a pair is never flagged, however it agrees."""
        ledger = copied_world(20, [True] * 20)
        assert [] == copies(ledger, Policy(copy_min_shared=21))


class TestTrackRecords:
    def test_a_record_judged_by_the_others(self) -> None:
        """A source is right where the others settle its side, wrong where they settle the other."""
        sources = [
            Source("x", "X", reliability="C"),
            Source("a", "A1", reliability="A"),
            Source("b", "B1", reliability="A"),
        ]
        props = [Proposition(f"p{i}", f"Statement {i}.") for i in range(4)]
        claims = [Claim(f"p{i}", s) for i in range(4) for s in ("a", "b")]
        claims += [Claim("p0", "x"), Claim("p1", "x"), Claim("p2", "x", "denies")]
        ledger = Ledger.from_objects(sources, props, claims, as_of="2025-01-01")
        record = track_records(ledger)["x"]
        assert (3, 2, 1) == (record.claims, record.right, record.wrong)
        p = Policy().reliability_p[Reliability.C]
        assert (4 * p + 2) / (4 + 3) == pytest.approx(record.accuracy)
        low, high = record.interval
        assert low < record.accuracy < high

    def test_nothing_settled_suggests_f(self) -> None:
        """A source with no settled claim keeps its prior and its record suggests F."""
        ledger = copied_world(3, [True] * 3)
        record = track_records(ledger)["bystander"]
        assert (0, Reliability.F) == (record.settled, record.suggested)
        assert 0.65 == pytest.approx(record.accuracy)

    def test_learning_weighs_by_the_record_and_explain_shows_it(self) -> None:
        """With learn_reliability a claim without credence weighs its source's accuracy."""
        ledger = accurate_pair(10)
        result = assess(ledger, Policy(learn_reliability=True))
        w = result["p0"].weighed[0]
        assert result.evidence is not None
        assert result.evidence.records["a"].accuracy == w.accuracy == w.base
        assert Reliability.A == w.suggested
        line = explain(ledger, "p0", Policy(learn_reliability=True)).steps[3]
        assert "accuracy learned from its record (graded A, record suggests A)" in line

    def test_a_credence_wins_over_the_record(self) -> None:
        """The analyst's credence is kept as it is."""
        ledger = accurate_pair(10)
        claims = [attrs.evolve(ledger.claims[0], credence=0.7), *ledger.claims[1:]]
        w = assess(ledger.rebuild(claims=claims), LEARN)["p0"].weighed[0]
        assert (0.7, None) == (w.base, w.accuracy)


class TestOrder:
    @settings(max_examples=40)
    @given(ledgers(), st.randoms(use_true_random=False))
    def test_order_never_changes_evidence_or_verdicts(self, ledger: Ledger, random: Random) -> None:
        """Results never depend on the order of sources, propositions or claims."""
        sources, propositions, claims = (
            list(ledger.sources),
            list(ledger.propositions),
            list(ledger.claims),
        )
        random.shuffle(sources)
        random.shuffle(propositions)
        random.shuffle(claims)
        shuffled = ledger.rebuild(sources=sources, propositions=propositions, claims=claims)
        policy = attrs.evolve(LEARN, copy_min_shared=2, copy_alpha=0.5)
        assert facts(assess(ledger, policy)) == facts(assess(shuffled, policy))
        (one, _), (two, _) = settle(ledger, policy), settle(shuffled, policy)
        assert dict(one.records) == dict(two.records)
        assert one.pairs == two.pairs

    def test_order_example_with_copies(self) -> None:
        """A world with a flagged pair gives the same verdicts reversed."""
        ledger = copied_world(16, [i % 3 == 0 for i in range(16)])
        reverse = ledger.rebuild(
            sources=ledger.sources[::-1],
            propositions=ledger.propositions[::-1],
            claims=ledger.claims[::-1],
        )
        assert facts(assess(ledger, LEARN)) == facts(assess(reverse, LEARN))


class TestSourcesCommand:
    @pytest.fixture
    def path(self, tmp_path: Path) -> str:
        ledger = copied_world(20, [i % 4 != 0 for i in range(20)])
        ledger = ledger.rebuild(
            sources=[attrs.evolve(ledger.sources[0], name="<b>Origin</b> | x"), *ledger.sources[1:]]
        )
        from provenance.files import save

        path = tmp_path / "desk.toml"
        save(ledger, path)
        return str(path)

    def test_json_has_stable_keys(self, path: str, capsys: pytest.CaptureFixture[str]) -> None:
        """The json format lists every source's record and each suspected pair."""
        assert 0 == main(["sources", path, "--format", "json", "--learn"])
        data = json.loads(capsys.readouterr().out)
        assert ["title", "as_of", "policy", "sources", "copies"] == list(data)
        assert [
            "id",
            "name",
            "given",
            "suggested",
            "claims",
            "settled",
            "right",
            "wrong",
            "accuracy",
            "interval",
        ] == list(data["sources"][0])
        assert [("copier", "origin", "origin")] == [
            (c["source"], c["other"], c["origin"]) for c in data["copies"]
        ]
        assert data["policy"]["infer_copying"] and data["policy"]["learn_reliability"]
        # Every house rule is shown (the date has a key of its own).
        assert {f.name for f in attrs.fields(Policy)} - {"as_of"} <= set(data["policy"])

    @pytest.mark.parametrize("format", ["simple", "github", "html", "markdown", "grid"])
    def test_every_format_escapes_ledger_text(
        self, path: str, format: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A source's name cannot break the table or inject markup."""
        assert 0 == main(["sources", path, "--format", format, "--width", "200"])
        out = capsys.readouterr().out
        assert "Suspected copies (1)" in out
        if format in ("html", "github", "markdown"):
            assert "<b>Origin</b>" not in out
        if format in ("github", "markdown"):
            rows = [line for line in out.splitlines() if line.startswith("|")]
            header = next(line for line in rows if "Grade given" in line)
            origin = next(line for line in rows if "Origin" in line and "Grade" not in line)
            assert header.count("|") == origin.count("|")

    def test_cards_name_their_wide_column(
        self, path: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """In a narrow terminal each table folds into cards headed by what the card holds."""
        assert 0 == main(["sources", path, "--learn", "--width", "60"])
        heads = [
            line.split()
            for line in capsys.readouterr().out.splitlines()
            if line.startswith(("Id ", "Likely copier "))
        ]
        assert [["Id", "Track", "record"], ["Likely", "copier", "Evidence"]] == heads

    def test_the_flags_reach_the_policy(
        self, path: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--learn turns on both switches in report and explain."""
        assert 0 == main(["report", path, "--learn", "--width", "200"])
        assert "copying inferred" in capsys.readouterr().out
        assert 0 == main(["explain", path, "p1", "--infer-copying"])
        out = capsys.readouterr().out
        assert "joined: Copier likely copies" in out
        assert 0 == main(["explain", path, "p1", "--learn-reliability"])
        assert "accuracy learned" in capsys.readouterr().out

    def test_a_bad_ledger_is_one_line_and_exit_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Bad input: a one-line error and exit status 2."""
        bad = tmp_path / "bad.toml"
        bad.write_text("[policy]\ncopy_alpha = 2\n")
        assert 2 == main(["sources", str(bad)])
        err = capsys.readouterr().err
        assert "copy_alpha" in err
        assert 1 == len(err.strip().splitlines())
