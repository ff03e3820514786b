"""Tests for provenance.lint: warnings about valid ledgers."""

from __future__ import annotations

import pytest
from hypothesis import given

import claims
from provenance import Ledger, Proposition, Source, lint
from provenance.lint import misspelt_parties
from provenance.strategies import ledgers


def ledger_about(affiliation: str, *about: str) -> Ledger:
    """A ledger with one source of `affiliation` and one proposition about `about`."""
    return Ledger.from_objects(
        [Source("s", "S", affiliation=affiliation)],
        [Proposition("p", "P.", about=list(about))],
    )


class TestMisspeltParties:
    @pytest.mark.parametrize(
        ("affiliation", "party"),
        [("Israel", "Isreal"), ("DPRK", "DRPK"), ("Ukraine", "Ukrane"), ("Russia", "Russiia")],
    )
    def test_one_slip_is_warned_of(self, affiliation: str, party: str) -> None:
        """A party one slip from an affiliation gets a did-you-mean at its place."""
        [warning] = lint(ledger_about(affiliation, "Other", party))
        expected = f"{party!r} is no source's affiliation (did you mean {affiliation!r}?)"
        assert ("propositions[0].about[1]", expected) == (warning.place, warning.message)

    @pytest.mark.parametrize(
        ("affiliation", "party"),
        [
            ("South Korea", "North Korea"),
            ("UK", "US"),
            ("Israel", "israel"),
            ("South Korea", " south  korea "),
            ("DPRK", "China"),
        ],
    )
    def test_other_parties_and_other_spellings_are_not(self, affiliation: str, party: str) -> None:
        """Two real parties, or one party spelt with other case or spacing, raise no warning."""
        assert [] == lint(ledger_about(affiliation, party))

    def test_the_shipped_ledgers_are_clean(self) -> None:
        """No shipped ledger draws a warning."""
        assert {name: [] for name in claims.names()} == {
            name: lint(claims.load(name)) for name in claims.names()
        }

    @given(ledgers())
    def test_every_warning_points_at_a_party(self, ledger: Ledger) -> None:
        """Each warning names a party that is in no source's affiliation."""
        affiliations = {s.affiliation for s in ledger.sources}
        for warning in misspelt_parties(ledger):
            index, position = (int(part.split("]")[0]) for part in warning.place.split("[")[1:])  # type: ignore[union-attr]
            assert ledger.propositions[index].about[position] not in affiliations
