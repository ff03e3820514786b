"""Round trips of whole ledgers through every file format.

Any valid ledger written out and read back is the same ledger, in TOML and
in JSON alike, whatever its text holds (markup, control characters,
bidirectional overrides, any script) and whatever its structure.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from provenance import Ledger
from provenance.files import dumps, loads
from provenance.strategies import ledgers

__all__: list[str] = []

FORMATS = ["toml", "json"]


@pytest.mark.parametrize("format", FORMATS)
class TestRoundTrip:
    @given(ledgers())
    def test_loads_undoes_dumps(self, format: str, ledger: Ledger) -> None:
        """Loads(dumps(ledger, f), f) == ledger for every ledger and format."""
        assert ledger == loads(dumps(ledger, format), format)

    @given(ledgers())
    def test_dumps_is_deterministic(self, format: str, ledger: Ledger) -> None:
        """Dumping a ledger, or an equal copy of it, always gives the same text."""
        assert dumps(ledger, format) == dumps(ledger.rebuild(), format)

    @given(ledgers())
    def test_a_reloaded_ledger_dumps_the_same(self, format: str, ledger: Ledger) -> None:
        """Writing what was read gives back the same text: files are stable under load and save."""
        text = dumps(ledger, format)
        assert text == dumps(loads(text, format), format)

    @given(ledgers())
    def test_formats_carry_the_same_tree(self, format: str, ledger: Ledger) -> None:
        """Converting through the other format and back loses nothing."""
        other = "json" if format == "toml" else "toml"
        through = loads(dumps(loads(dumps(ledger, format), format), other), other)
        assert ledger == through
