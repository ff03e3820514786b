"""Tests of the house rules: defaults, ranges, overrides and a ledger's own policy.

Every setting refuses a value out of its range with a `PolicyError` (also
a `ValueError` and a `ProvenanceError`) whose message names the setting and
the value.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given

from provenance import (
    Certainty,
    Ledger,
    LedgerError,
    Policy,
    PolicyError,
    ProvenanceError,
    Reliability,
)
from provenance.strategies import ledgers, policies

__all__: list[str] = []

# (setting, bad value, text the message must contain besides the setting)
BAD_SETTINGS = [
    ("prior", 0, "0"),
    ("prior", 1, "1"),
    ("prior", -0.1, "-0.1"),
    ("prior", 1.5, "1.5"),
    ("prior", math.nan, "nan"),
    ("prior", math.inf, "inf"),
    ("prior", True, "True"),
    ("prior", "0.5", "'0.5'"),
    ("prior", None, "None"),
    ("reliability_p", [0.9], "[0.9]"),
    ("reliability_p", {"G": 0.9}, "'G'"),
    ("reliability_p", {"A": 1.0}, "1.0"),
    ("reliability_p", {"B": 0.49}, "0.49"),
    ("reliability_p", {"C": math.nan}, "nan"),
    ("reliability_p", {"D": True}, "True"),
    ("hedging", 0.5, "0.5"),
    ("hedging", {"sure": 1.0}, "'sure'"),
    ("hedging", {"probable": -0.1}, "-0.1"),
    ("hedging", {"possible": 1.01}, "1.01"),
    ("hedging", {"certain": math.inf}, "inf"),
    ("stake_cap", 0.49, "0.49"),
    ("stake_cap", 1.0, "1.0"),
    ("stake_cap", math.nan, "nan"),
    ("min_independent", 1, "1"),
    ("min_independent", 0, "0"),
    ("min_independent", -2, "-2"),
    ("min_independent", 2.0, "2.0"),
    ("min_independent", True, "True"),
    ("min_independent", "2", "'2'"),
    ("min_reliability", "G", "'G'"),
    ("min_reliability", 1, "1"),
    ("min_reliability", None, "None"),
    ("contest_reliability", "AB", "'AB'"),
    ("establish_at", 0.5, "0.5"),
    ("establish_at", 1.0, "1.0"),
    ("establish_at", 0.3, "0.3"),
    ("establish_at", math.nan, "nan"),
    ("establish_at", False, "False"),
    ("public_record", 1, "1"),
    ("public_record", "yes", "'yes'"),
    ("public_record", None, "None"),
    ("as_of", "tomorrow", "'tomorrow'"),
    ("as_of", 20240328, "20240328"),
    ("as_of", dt.datetime(2024, 3, 28, 12), "2024-03-28T12"),
]


class TestDefaults:
    def test_defaults_are_the_documented_ones(self) -> None:
        """A policy made with no arguments has the default rules the README documents."""
        policy = Policy()
        assert 0.5 == policy.prior
        assert {"A": 0.95, "B": 0.8, "C": 0.65, "D": 0.55, "E": 0.5, "F": 0.5} == {
            grade.value: p for grade, p in policy.reliability_p.items()
        }
        assert {"certain": 1.0, "probable": 0.6, "possible": 0.3} == {
            certainty.value: share for certainty, share in policy.hedging.items()
        }
        assert 0.55 == policy.stake_cap
        assert 2 == policy.min_independent
        assert Reliability.C is policy.min_reliability
        assert Reliability.C is policy.contest_reliability
        assert 0.9 == policy.establish_at
        assert policy.public_record is True
        assert policy.as_of is None

    def test_default_has_no_non_defaults(self) -> None:
        """The default policy differs from the default in nothing."""
        assert {} == Policy().non_defaults()

    def test_tables_cannot_be_changed_in_place(self) -> None:
        """The probability tables of a policy are read-only."""
        with pytest.raises(TypeError):
            Policy().reliability_p[Reliability.A] = 0.5  # type: ignore[index]


class TestRanges:
    @pytest.mark.parametrize(("setting", "bad", "named"), BAD_SETTINGS)
    def test_out_of_range_values_are_refused(self, setting: str, bad: object, named: str) -> None:
        """Each setting refuses a bad value with a PolicyError naming the setting and the value."""
        with pytest.raises(PolicyError) as caught:
            Policy(**{setting: bad})
        assert isinstance(caught.value, ValueError)
        assert isinstance(caught.value, ProvenanceError)
        message = str(caught.value)
        assert message.startswith(setting)
        assert named in message

    def test_a_table_entry_is_named_by_its_key(self) -> None:
        """A bad entry in a table is placed at the table and the key."""
        with pytest.raises(PolicyError, match=r"^reliability_p\.B: 0\.2 is not in \[0\.5, 1\)"):
            Policy(reliability_p={"B": 0.2})
        with pytest.raises(PolicyError, match=r"^hedging\.possible: "):
            Policy(hedging={"possible": 2})

    def test_edges_of_the_ranges_are_accepted(self) -> None:
        """The closed ends of each range are valid settings."""
        policy = Policy(
            reliability_p={"F": 0.5},
            hedging={"certain": 0.0, "possible": 1.0},
            stake_cap=0.5,
            establish_at=math.nextafter(0.5, 1.0),
            min_independent=10,
        )
        assert 0.5 == policy.reliability_p[Reliability.F]
        assert 0.0 == policy.hedging[Certainty.CERTAIN]
        assert 0.5 == policy.stake_cap

    def test_partial_tables_keep_the_other_defaults(self) -> None:
        """A table that names some keys keeps the default for the rest."""
        policy = Policy(reliability_p={"b": 0.9}, hedging={"probable": 0.5})
        assert 0.9 == policy.reliability_p[Reliability.B]
        assert Policy().reliability_p[Reliability.A] == policy.reliability_p[Reliability.A]
        assert Policy().hedging[Certainty.POSSIBLE] == policy.hedging[Certainty.POSSIBLE]

    def test_grades_are_read_from_letters(self) -> None:
        """Grades may be given as letters in either case."""
        assert Reliability.B is Policy(min_reliability="b").min_reliability
        assert Reliability.E is Policy(contest_reliability="E").contest_reliability


class TestChanges:
    def test_with_changes_ignores_none(self) -> None:
        """None is no change, so a command line can pass every option through."""
        policy = Policy(min_independent=3)
        assert policy == policy.with_changes(min_independent=None, prior=None)
        assert 4 == policy.with_changes(min_independent=4).min_independent

    def test_with_changes_refuses_unknown_settings(self) -> None:
        """A change naming no setting is refused, naming it."""
        with pytest.raises(PolicyError, match="'min_sources' is not a policy setting"):
            Policy().with_changes(min_sources=3)

    def test_with_changes_checks_ranges(self) -> None:
        """A change out of range is refused as if given to the constructor."""
        with pytest.raises(PolicyError, match=r"^establish_at: 2 "):
            Policy().with_changes(establish_at=2)

    @given(policies())
    def test_non_defaults_rebuild_the_policy(self, policy: Policy) -> None:
        """A policy is rebuilt equal from its non-default settings (what a file stores)."""
        assert policy == Policy(**policy.non_defaults())

    @given(policies())
    def test_summary_names_the_main_rules(self, policy: Policy) -> None:
        """The one-line summary gives the number of sources and the grades in force."""
        summary = policy.summary()
        assert f"{policy.min_independent}+ independent sources" in summary
        assert f"graded {policy.min_reliability.value} or better" in summary
        assert f"contested by {policy.contest_reliability.value} or better" in summary


class TestLedgerPolicy:
    def test_a_ledgers_policy_has_no_date_of_its_own(self) -> None:
        """A ledger's policy with an as_of is refused at policy.as_of: the date is the ledger's."""
        with pytest.raises(LedgerError) as caught:
            Ledger(policy=Policy(as_of=dt.date(2024, 3, 28)))
        assert isinstance(caught.value, ValueError)
        assert ["policy.as_of"] == [problem.place for problem in caught.value.problems]

    def test_from_ledger_takes_the_ledgers_rules_and_date(self) -> None:
        """From_ledger starts from the ledger's own rules and its as_of."""
        ledger = Ledger(as_of="2024-03-28", policy=Policy(min_independent=3))
        policy = Policy.from_ledger(ledger)
        assert 3 == policy.min_independent
        assert dt.date(2024, 3, 28) == policy.as_of

    def test_overrides_win_over_the_ledger(self) -> None:
        """Keyword overrides win over the ledger's rules and date; None overrides nothing."""
        ledger = Ledger(as_of="2024-03-28", policy=Policy(min_independent=3))
        policy = Policy.from_ledger(
            ledger, min_independent=4, as_of=dt.date(2024, 4, 1), prior=None
        )
        assert 4 == policy.min_independent
        assert dt.date(2024, 4, 1) == policy.as_of
        assert 0.5 == policy.prior

    @given(ledgers())
    def test_from_ledger_without_overrides(self, ledger: Ledger) -> None:
        """Without overrides, a ledger's rules are its policy dated as the ledger."""
        policy = Policy.from_ledger(ledger)
        assert ledger.as_of == policy.as_of
        assert ledger.policy.non_defaults() == {
            k: v for k, v in policy.non_defaults().items() if k != "as_of"
        }
