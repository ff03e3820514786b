"""Tests for the fast JSON report path: the indented writer, the escaping, and the pieces.

The report is written by `provenance._json.dumps` instead of
`json.dumps(..., indent=2)`, escaped line by line instead of character by
character, and handed to the command a proposition at a time: each must give
the bytes the standard library and the whole-document escape give.
"""

# Asserts are written expected == actual, as the house style asks.

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

import claims
from provenance import _json
from provenance._text import _hidden, json_safe
from provenance.assess import assess
from provenance.cli import main
from provenance.files import save
from provenance.ledger import Ledger
from provenance.report import json_pieces, render, report_data
from provenance.strategies import ledgers

__all__: list[str] = []

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


def reference_safe(document: str) -> str:
    """The escape character by character, as every JSON report used to be escaped."""
    out = []
    for char in document:
        if char == "\n" or not _hidden(char):
            out.append(char)
        elif ord(char) > 0xFFFF:
            high, low = divmod(ord(char) - 0x10000, 0x400)
            out.append(f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


class TestIndentedWriter:
    """`_json.dumps` writes what `json.dumps(value, ensure_ascii=False, indent=2)` writes."""

    @given(values)
    @example({"a": [1, 2.5, None], "b": {}, "c": "é\n\u2028", "d": [], "e": True})
    @example([math.nan, math.inf, -math.inf, -0.0, 1e-7, 1e16, 10**30])
    def test_same_text_as_json(self, value: Any) -> None:
        """Every value is written byte for byte as the standard library writes it."""
        assert json.dumps(value, ensure_ascii=False, indent=2) == _json.dumps(value)

    def test_refuses_what_json_refuses(self) -> None:
        """A value JSON cannot hold is refused with a TypeError."""
        for bad in ({1: "a"}, {"a": object()}, [b"bytes"]):
            try:
                _json.dumps(bad)
            except TypeError:
                continue
            raise AssertionError(f"{bad!r} was written")


class TestEscape:
    """`json_safe` escapes line by line what the character by character escape did."""

    @given(st.lists(st.text(), max_size=6))
    @example(["plain", "tab\tand\x1b[2J", "\u202eover", "\U000e0041 tag", "\u3164 filler"])
    @example(["no\u00a0break space", "\ud800 lone"])
    def test_same_as_character_by_character(self, texts: list[str]) -> None:
        """Any document of these texts is escaped to the same text as before."""
        document = json.dumps(texts, ensure_ascii=False, indent=2)
        assert reference_safe(document) == json_safe(document)


class TestReportPieces:
    """The JSON report written in pieces is the report built whole."""

    @given(ledgers())
    @settings(max_examples=40)
    @example(Ledger())
    def test_pieces_join_to_the_whole(self, ledger: Ledger) -> None:
        """The pieces, joined, are the escaped `json.dumps` of `report_data`, and `render` too."""
        assessments = assess(ledger)
        whole = json_safe(json.dumps(report_data(assessments), ensure_ascii=False, indent=2))
        assert whole == "".join(json_pieces(assessments))
        assert whole == render(assessments, "json")

    def test_command_writes_the_same_report(self, tmp_path: Path) -> None:
        """``report --format json -o FILE`` writes the rendered report and a line end."""
        ledger_path, output = tmp_path / "desk.jsonl", tmp_path / "report.json"
        ledger = claims.load("svr-pyongyang")
        save(ledger, ledger_path)
        assert 0 == main(["report", str(ledger_path), "--format", "json", "-o", str(output)])
        assert render(assess(ledger), "json") + "\n" == output.read_text(encoding="utf-8")
