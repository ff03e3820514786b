"""The examples in docs/format.md are valid ledgers, and the starter shows what the page lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provenance import Status, assess, loads

PAGE = Path(__file__).resolve().parent.parent / "docs" / "format.md"
BLOCKS = re.findall(r"```(toml|json)\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


class TestFormatPage:
    @pytest.mark.parametrize(("fmt", "text"), BLOCKS)
    def test_every_example_loads(self, fmt: str, text: str) -> None:
        """Each TOML and JSON example on the page is a valid ledger."""
        assert loads(text, fmt).propositions

    def test_the_example_shows_what_it_says(self) -> None:
        """The TOML example denies, hedges, withdraws, corrects, and sets house rules."""
        [text] = [text for fmt, text in BLOCKS if fmt == "toml"]
        ledger = loads(text, "toml")
        claims = ledger.claims
        assert {"asserts", "denies"} == {c.stance.value for c in claims}
        assert {"probable", "possible"} <= {c.certainty.value for c in claims}
        assert any(c.withdrawn_on for c in claims) and any(c.credence for c in claims)
        assert 3 == ledger.policy.min_independent
        verdicts = {a.proposition.id: a.status for a in assess(ledger)}
        assert Status.REPORTED == verdicts["captain-arrested"]

    def test_every_key_is_in_the_tables(self) -> None:
        """Every field of the model is listed in the page's tables."""
        import attrs

        from provenance import Claim, Ledger, Policy, Proposition, Source

        page = PAGE.read_text(encoding="utf-8")
        keys = {
            field.name
            for cls in (Ledger, Source, Proposition, Claim, Policy)
            for field in attrs.fields(cls)
            if field.init and field.name not in ("proposition", "as_of")
        }
        listed = set(re.findall(r"^\| `(?:\[policy\.)?(\w+)\]?` \|", page, re.M))
        assert [] == sorted(keys - listed - {"policy"})
