"""A ledger as a mutable store, tested with a hypothesis state machine.

The machine adds sources, propositions and claims (valid ones and ones that
break an integrity rule), withdraws claims, changes the house rules, and
saves and reloads the ledger in both formats.  After every step the
integrity rules hold, every refused change left the ledger as it was, the
assessments keep the invariants the README states, and the ledger reads back equal
from its own files.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from provenance import Claim, Ledger, LedgerError, Policy, Source, Stance, Status
from provenance import assess as assess_ledger
from provenance.files import dumps, load, loads, save
from provenance.grading import Reliability
from provenance.model import SourceKind
from provenance.strategies import claims, ids, ledgers, policies, propositions, sources

__all__: list[str] = []

FORMATS = ("toml", "json")
META = ("title", "as_of", "lang", "publisher", "url", "policy")
# Claims are said within a window, so that withdrawals and as_of split them.
DAYS = st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def rebuilt(ledger: Ledger) -> Ledger:
    """The ledger built again at once from its parts, which checks every rule."""
    meta = {name: getattr(ledger, name) for name in META}
    return Ledger.from_objects(ledger.sources, ledger.propositions, ledger.claims, **meta)


class LedgerMachine(RuleBasedStateMachine):
    """Changes a ledger step by step, as an editor or a program would."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        self.directory = Path(tempfile.mkdtemp(prefix="ledger-machine-"))

    def teardown(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- helpers -----------------------------------------------------------

    def source_ids(self) -> list[str]:
        return [source.id for source in self.ledger.sources]

    def proposition_ids(self) -> list[str]:
        return [proposition.id for proposition in self.ledger.propositions]

    def known_or_not(self, known: list[str]) -> st.SearchStrategy[str]:
        """Mostly an id of the ledger, sometimes any id (which may be unknown)."""
        return (st.sampled_from(known) | st.sampled_from(known) | ids()) if known else ids()

    def attempt(self, change: Callable[[], object], valid: bool, what: str) -> None:
        """Apply `change`; it must succeed if `valid`, else be refused with a LedgerError
        that leaves the ledger as it was."""
        before = self.ledger.rebuild()
        if valid:
            change()
            return
        with pytest.raises(LedgerError):
            change()
        event(f"refused: {what}")
        assert before == self.ledger, f"a refused {what} changed the ledger"

    # -- rules -------------------------------------------------------------

    @initialize(ledger=ledgers(max_propositions=3, max_sources=4, max_claims=6))
    def start_from(self, ledger: Ledger) -> None:
        """Start from a drawn ledger (or an empty one)."""
        self.ledger = ledger

    @rule(data=st.data())
    def add_source(self, data: st.DataObject) -> None:
        """A source is added if its id is new and it depends only on known sources."""
        known = self.source_ids()
        source = data.draw(
            sources(
                id=data.draw(self.known_or_not(known)),
                may_depend_on=data.draw(st.sampled_from([known, [*known, "unknown-source"]])),
            )
        )
        valid = source.id not in known and set(source.depends_on) <= set(known)
        self.attempt(lambda: self.ledger.add_source(source), valid, "source")
        assert len(known) + valid == len(self.ledger.sources)
        if valid:
            assert source == self.ledger.source(source.id)

    @rule(data=st.data())
    def add_proposition(self, data: st.DataObject) -> None:
        """A proposition is added if its id is new."""
        known = self.proposition_ids()
        proposition = data.draw(propositions(id=data.draw(self.known_or_not(known))))
        valid = proposition.id not in known
        self.attempt(lambda: self.ledger.add_proposition(proposition), valid, "proposition")
        assert len(known) + valid == len(self.ledger.propositions)
        if valid:
            assert proposition == self.ledger.proposition(proposition.id)

    @rule(data=st.data())
    def add_claim(self, data: st.DataObject) -> None:
        """A claim is added if its proposition, its source and its relays are known."""
        sources_known, propositions_known = self.source_ids(), self.proposition_ids()
        claim = data.draw(
            claims(
                proposition=data.draw(self.known_or_not(propositions_known)),
                source=data.draw(self.known_or_not(sources_known)),
                relays=data.draw(
                    st.sampled_from([sources_known, [*sources_known, "unknown-relay"]])
                ),
                dates=DAYS,
            )
        )
        valid = (
            claim.proposition in propositions_known
            and claim.source in sources_known
            and set(claim.via) <= set(sources_known)
        )
        count = len(self.ledger.claims)
        self.attempt(lambda: self.ledger.add_claim(claim), valid, "claim")
        assert count + valid == len(self.ledger.claims)

    @precondition(lambda self: len(self.ledger) > 0)
    @rule(
        data=st.data(),
        grades=st.lists(st.sampled_from("AB"), min_size=1, max_size=3),
        stance=st.sampled_from(Stance),
    )
    def add_independent_witnesses(
        self, data: st.DataObject, grades: list[str], stance: Stance
    ) -> None:
        """New well-graded sources with no affiliation all speak the same way on one
        proposition: what it takes to establish or refute it."""
        proposition = data.draw(st.sampled_from(self.proposition_ids()))
        known = set(self.source_ids())
        new_ids = data.draw(
            st.lists(
                ids().filter(lambda value: value not in known),
                min_size=len(grades),
                max_size=len(grades),
                unique=True,
            )
        )
        for source_id, grade in zip(new_ids, grades, strict=True):
            self.ledger.add_source(Source(source_id, source_id.upper(), "wire", None, grade))
            self.ledger.add_claim(Claim(proposition, source_id, stance))

    @rule(thing=st.one_of(propositions(), claims(), st.none(), st.text()))
    def add_something_else_as_a_source(self, thing: object) -> None:
        """Something that is not a source is refused as one."""
        self.attempt(lambda: self.ledger.add_source(thing), False, "non-source")  # type: ignore[arg-type]

    @precondition(lambda self: any(claim.withdrawn_on is None for claim in self.ledger.claims))
    @rule(data=st.data())
    def withdraw_a_claim(self, data: st.DataObject) -> None:
        """A claim withdrawn on or after the day it was said takes its place in the ledger."""
        standing = [claim for claim in self.ledger.claims if claim.withdrawn_on is None]
        old = data.draw(st.sampled_from(standing))
        day = data.draw(st.dates(min_value=old.said_on or dt.date.min))
        new = attrs.evolve(old, withdrawn_on=day)
        position = self.ledger.claims.index(old)
        self.attempt(lambda: self.ledger.replace_claim(old, new), True, "withdrawal")
        assert new == self.ledger.claims[position]

    @rule(claim=claims(dates=DAYS))
    def withdraw_a_claim_not_in_the_ledger(self, claim: Claim) -> None:
        """Replacing a claim the ledger does not hold is refused."""
        if claim not in self.ledger:
            new = attrs.evolve(claim, withdrawn_on=claim.said_on)
            self.attempt(lambda: self.ledger.replace_claim(claim, new), False, "replacement")

    @rule(policy=st.just(Policy()) | policies(as_of=False))
    def change_the_policy(self, policy: Policy) -> None:
        """New house rules replace the old; nothing else changes."""
        before = self.ledger
        self.ledger = before.rebuild(policy=policy)
        assert policy == self.ledger.policy
        assert (before.sources, before.claims) == (self.ledger.sources, self.ledger.claims)

    @rule(day=st.dates())
    def put_as_of_in_the_policy(self, day: dt.date) -> None:
        """A policy with its own as_of is refused: as_of belongs to the ledger."""
        before = self.ledger.rebuild()
        with pytest.raises(LedgerError):
            self.ledger.rebuild(policy=Policy(as_of=day))
        assert before == self.ledger

    @rule(fmt=st.sampled_from(FORMATS))
    def save_and_reload(self, fmt: str) -> None:
        """A ledger saved to a file and loaded back is equal, and carries on from there."""
        path = self.directory / f"ledger.{fmt}"
        save(self.ledger, path)
        reloaded = load(path)
        assert self.ledger == reloaded
        self.ledger = reloaded

    # -- invariants --------------------------------------------------------

    @invariant()
    def integrity_rules_hold(self) -> None:
        """Building the ledger again from its parts, all at once, gives an equal ledger."""
        assert self.ledger == rebuilt(self.ledger)

    @invariant()
    def files_read_back_equal(self) -> None:
        """The ledger's text in either format reads back as an equal ledger."""
        for fmt in FORMATS:
            assert self.ledger == loads(dumps(self.ledger, fmt), fmt)

    @invariant()
    def assessments_keep_their_invariants(self) -> None:
        """One verdict per proposition, a finite probability in [0, 1], and no fact
        established on the word of parties with a stake or of one voice alone."""
        result = assess_ledger(self.ledger)
        assert [p.id for p in self.ledger.propositions] == [a.proposition.id for a in result]
        assert len(result) == sum(len(result.by_status(status)) for status in Status)
        for assessment in result:
            assert math.isfinite(assessment.probability)
            assert 0.0 <= assessment.probability <= 1.0
            if assessment.status is not Status.ESTABLISHED:
                continue
            event(f"established by {assessment.rule}")
            supporting = [
                w for w in assessment.weighed if w.counted and w.claim.stance is Stance.ASSERTS
            ]
            assert not all(w.stake for w in supporting), "established by parties with a stake"
            records = [
                w
                for w in supporting
                if w.source.kind is SourceKind.RECORD
                and w.source.reliability is Reliability.A
                and not w.stake
            ]
            if len(assessment.support) < 2:
                assert records and result.policy.public_record, "established by one voice"


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(stateful_step_count=25)
