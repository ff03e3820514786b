"""The house rules that turn claims into verdicts.

Every number in the verdict rules of the design is a `Policy` field, with
the design's defaults.  A ledger may carry its own house rules (its
``[policy]`` table); keyword overrides win over them
(`Policy.from_ledger`).

>>> Policy().min_independent
2
>>> Policy(min_reliability="B").min_reliability
<Reliability.B: 'B'>
>>> Policy(establish_at=1.5)
Traceback (most recent call last):
...
provenance.errors.PolicyError: establish_at: 1.5 is not in (0.5, 1)
"""

from __future__ import annotations

import datetime as dt
import math
import types
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .errors import LedgerError, PolicyError, shown
from .grading import Reliability
from .model import Certainty, to_date

__all__ = ["DEFAULT_HEDGING", "DEFAULT_RELIABILITY_P", "Policy"]

#: Probability that a claim is right, by the reliability grade of its source.
DEFAULT_RELIABILITY_P: Mapping[Reliability, float] = types.MappingProxyType(
    {
        Reliability.A: 0.95,
        Reliability.B: 0.80,
        Reliability.C: 0.65,
        Reliability.D: 0.55,
        Reliability.E: 0.50,
        Reliability.F: 0.50,
    }
)

#: How much of a claim's log-odds survives the source's own hedging.
DEFAULT_HEDGING: Mapping[Certainty, float] = types.MappingProxyType(
    {Certainty.CERTAIN: 1.0, Certainty.PROBABLE: 0.6, Certainty.POSSIBLE: 0.3}
)


def _number(field: str, value: Any, low: float, high: float, *, closed: str = "()") -> float:
    """Check a number against an interval; `closed` spells its ends, e.g. "[)"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PolicyError(f"expected a number, got {shown(value)}", field)
    x = float(value)
    above = low <= x if closed[0] == "[" else low < x
    below = x <= high if closed[1] == "]" else x < high
    if not (math.isfinite(x) and above and below):
        raise PolicyError(
            f"{shown(value)} is not in {closed[0]}{low:g}, {high:g}{closed[1]}", field
        )
    return x


def _grade(field: str) -> Callable[[Any], Reliability]:
    def convert(value: Any) -> Reliability:
        try:
            return Reliability.parse(value)
        except ValueError as error:
            raise PolicyError(str(error), field) from None

    return convert


def _table(
    field: str,
    defaults: Mapping[Any, float],
    key: Callable[[Any], Any],
    low: float,
    high: float,
    *,
    closed: str,
) -> Callable[[Any], Mapping[Any, float]]:
    def convert(value: Any) -> Mapping[Any, float]:
        if not isinstance(value, Mapping):
            raise PolicyError(f"expected a table, got {shown(value)}", field)
        table = dict(defaults)
        for name, number in value.items():
            try:
                k = key(name)
            except ValueError:
                choices = ", ".join(str(k.value) for k in defaults)
                raise PolicyError(f"{name!r} is not one of {choices}", field) from None
            table[k] = _number(f"{field}.{k.value}", number, low, high, closed=closed)
        return types.MappingProxyType(table)

    return convert


def _certainty(value: Any) -> Certainty:
    return Certainty(value)


def _as_of(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        return to_date("as_of")(value)
    except LedgerError as error:
        raise PolicyError(error.problems[0].message, "as_of") from None


def _min_independent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError(f"expected a whole number, got {shown(value)}", "min_independent")
    if value < 2:
        raise PolicyError(
            f"{shown(value)} is below 2 (one voice alone never establishes a fact)",
            "min_independent",
        )
    return value


def _public_record(value: Any) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(f"expected true or false, got {shown(value)}", "public_record")
    return value


# Named converters, one per field, so that type checkers see each field's type.


def _prior(value: Any) -> float:
    return _number("prior", value, 0.0, 1.0)


def _stake_cap(value: Any) -> float:
    return _number("stake_cap", value, 0.5, 1.0, closed="[)")


def _establish_at(value: Any) -> float:
    return _number("establish_at", value, 0.5, 1.0)


def _min_reliability(value: Any) -> Reliability:
    return _grade("min_reliability")(value)


def _contest_reliability(value: Any) -> Reliability:
    return _grade("contest_reliability")(value)


def _reliability_p(value: Any) -> Mapping[Reliability, float]:
    return _table("reliability_p", DEFAULT_RELIABILITY_P, Reliability.parse, 0.5, 1.0, closed="[)")(
        value
    )


def _hedging(value: Any) -> Mapping[Certainty, float]:
    return _table("hedging", DEFAULT_HEDGING, _certainty, 0.0, 1.0, closed="[]")(value)


def _flag(field: str) -> Callable[[Any], bool]:
    def convert(value: Any) -> bool:
        if not isinstance(value, bool):
            raise PolicyError(f"expected true or false, got {shown(value)}", field)
        return value

    return convert


def _whole(field: str, low: int) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PolicyError(f"expected a whole number, got {shown(value)}", field)
        if value < low:
            raise PolicyError(f"{shown(value)} is below {low}", field)
        return value

    return convert


def _infer_copying(value: Any) -> bool:
    return _flag("infer_copying")(value)


def _learn_reliability(value: Any) -> bool:
    return _flag("learn_reliability")(value)


def _copy_min_shared(value: Any) -> int:
    return _whole("copy_min_shared", 2)(value)


def _copy_alpha(value: Any) -> float:
    return _number("copy_alpha", value, 0.0, 1.0)


def _copy_alpha_led(value: Any) -> float:
    return _number("copy_alpha_led", value, 0.0, 1.0, closed="[)")


def _copy_lead_habits(value: Any) -> bool:
    return _flag("copy_lead_habits")(value)


def _prior_weight(value: Any) -> float:
    return _number("prior_weight", value, 0.0, math.inf)


def _evidence_rounds(value: Any) -> int:
    return _whole("evidence_rounds", 1)(value)


def _same_table(a: Mapping[Any, float], b: Mapping[Any, float]) -> bool:
    return dict(a) == dict(b)


def _table_repr(table: Mapping[Any, float]) -> str:
    return repr({k.value: v for k, v in table.items()})


@attrs.frozen
class Policy:
    """House rules for verdicts; every field has the design's default.

    Attributes:
        prior: Probability of a proposition before any claim, in (0, 1).
        reliability_p: Probability that a claim is right, by its source's
            grade (A .95, B .80, C .65, D .55, E .50, F .50); each in [.5, 1)
            so that a supporting claim is never evidence against.
        hedging: Share of a claim's log-odds kept for the source's own
            certainty (certain 1, probable .6, possible .3); each in [0, 1].
        stake_cap: Highest probability a claim by a party with a stake
            can have, in [.5, 1); .55 by default, so that a party alone
            reads "roughly even chance" in ICD 203 words.
        min_independent: Qualified independent groups needed to establish
            a proposition (at least 2).
        min_reliability: Worst grade with which a source saying it firmly
            still corroborates (makes its group qualified).
        contest_reliability: Worst grade with which a source on the other
            side, not hedged "possible", still blocks a verdict.
        establish_at: Probability a proposition needs to be established;
            1 - establish_at refutes.  In (.5, 1).
        public_record: Whether an A-graded record with no stake, saying it
            firmly, stands in for the count of independent groups (the
            probability bar still applies).
        as_of: Ignore claims said after this date; claims withdrawn on or
            before it are not counted.  None: the ledger's date, else today.
        infer_copying: Treat sources that agree far more often than
            independent sources of their record would as dependent (uses the
            whole ledger; see docs/evidence.md).
        learn_reliability: Weigh a claim (without a credence) by its
            source's accuracy estimated from its record against the verdicts.
        copy_min_shared: Propositions two sources must share before their
            agreement is tested for copying (at least 2).
        copy_alpha: Binomial tail probability below which a pair's
            agreement flags it as copying, in (0, 1); a per-pair threshold.
        copy_alpha_led: A second, looser bar for copying, in [0, 1): a
            pair whose agreement tail is below it is flagged when, on the
            shared propositions both dated on different days, one of them
            speaks first so often that a fair coin's binomial tail is below
            it too.  Under independence the two tests are independent, so
            the default .01 (the square root of `copy_alpha`'s default)
            keeps the per-pair false-flag rate near `copy_alpha`; 0 turns
            the lead test off.
        copy_lead_habits: Whether the lead test weighs who speaks first
            against each source's habit of speaking first with everyone
            else (a source that is late to every story is not a copier of
            each source it follows), rather than against even odds.
        prior_weight: Weight, in claims, of the Beta prior centred on a
            source's grade when its accuracy is estimated (above 0).
        evidence_rounds: Rounds of estimate and re-assess when either
            ledger-wide switch is on (at least 1).
    """

    prior: float = attrs.field(default=0.5, converter=_prior)
    reliability_p: Mapping[Reliability, float] = attrs.field(
        default=DEFAULT_RELIABILITY_P,
        converter=_reliability_p,
        eq=attrs.cmp_using(eq=_same_table),
        hash=False,
        repr=_table_repr,
    )
    hedging: Mapping[Certainty, float] = attrs.field(
        default=DEFAULT_HEDGING,
        converter=_hedging,
        eq=attrs.cmp_using(eq=_same_table),
        hash=False,
        repr=_table_repr,
    )
    stake_cap: float = attrs.field(default=0.55, converter=_stake_cap)
    min_independent: int = attrs.field(default=2, converter=_min_independent)
    min_reliability: Reliability = attrs.field(default=Reliability.C, converter=_min_reliability)
    contest_reliability: Reliability = attrs.field(
        default=Reliability.C, converter=_contest_reliability
    )
    establish_at: float = attrs.field(default=0.90, converter=_establish_at)
    public_record: bool = attrs.field(default=True, converter=_public_record)
    as_of: dt.date | None = attrs.field(default=None, converter=_as_of)
    infer_copying: bool = attrs.field(default=False, converter=_infer_copying)
    learn_reliability: bool = attrs.field(default=False, converter=_learn_reliability)
    copy_min_shared: int = attrs.field(default=8, converter=_copy_min_shared)
    copy_alpha: float = attrs.field(default=1e-4, converter=_copy_alpha)
    copy_alpha_led: float = attrs.field(default=1e-2, converter=_copy_alpha_led)
    copy_lead_habits: bool = attrs.field(default=True, converter=_copy_lead_habits)
    prior_weight: float = attrs.field(default=4.0, converter=_prior_weight)
    evidence_rounds: int = attrs.field(default=2, converter=_evidence_rounds)

    @property
    def ledger_wide(self) -> bool:
        """Whether a switch that uses the whole ledger is on."""
        return self.infer_copying or self.learn_reliability

    @classmethod
    def from_ledger(cls, ledger: Any, /, **overrides: Any) -> Policy:
        """The ledger's house rules and `as_of`, with keyword `overrides` on top.

        A None override is no override, so a command line can pass every
        option through.

        Raises:
            PolicyError: An override is unknown or out of range.
        """
        base: Policy = ledger.policy if ledger.policy is not None else cls()
        if base.as_of is None and getattr(ledger, "as_of", None) is not None:
            base = attrs.evolve(base, as_of=ledger.as_of)
        return base.with_changes(**overrides)

    def with_changes(self, **changes: Any) -> Policy:
        """A copy with `changes`; None values are ignored.

        Raises:
            PolicyError: A change names no field or is out of range.
        """
        fields = attrs.fields_dict(type(self))
        unknown = sorted(set(changes) - set(fields))
        if unknown:
            raise PolicyError(f"{unknown[0]!r} is not a policy setting")
        given = {name: value for name, value in changes.items() if value is not None}
        return attrs.evolve(self, **given) if given else self

    def summary(self) -> str:
        """The rules in one line, for the head of a report."""
        parts = [
            f"establish with {self.min_independent}+ independent sources"
            f" graded {self.min_reliability.value} or better",
            f"at p >= {self.establish_at:.0%}",
            f"contested by {self.contest_reliability.value} or better",
            f"stake cap {self.stake_cap:.0%}",
            "public records count" if self.public_record else "public records not special",
        ]
        if self.prior != 0.5:
            parts.append(f"prior {self.prior:.0%}")
        if self.infer_copying:
            parts.append(
                f"copying inferred ({self.copy_min_shared}+ shared, tail < {self.copy_alpha:g})"
            )
        if self.learn_reliability:
            parts.append(f"reliability learned (prior weight {self.prior_weight:g})")
        if self.ledger_wide:
            parts.append(f"{self.evidence_rounds} rounds")
        return "; ".join(parts)

    def non_defaults(self) -> dict[str, Any]:
        """The settings that differ from the defaults, as plain values (for files)."""
        out: dict[str, Any] = {}
        default = type(self)()
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if field.name in ("reliability_p", "hedging"):
                changed = {
                    k.value: v for k, v in value.items() if getattr(default, field.name)[k] != v
                }
                if changed:
                    out[field.name] = changed
            elif value != getattr(default, field.name):
                out[field.name] = value.value if isinstance(value, Reliability) else value
        return out
