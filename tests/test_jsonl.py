"""Tests for JSON Lines ledgers (`provenance._jsonl` through `provenance.files`).

Every ledger written as JSON Lines reads back equal and converts to and
from TOML and JSON; every problem in a file is reported at its line;
records appended to a file are read back without the file being rewritten;
and the read limit applies to a line, not to the file.
"""

# Asserts are written expected == actual, as the house style asks.

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings

from provenance.cli import main
from provenance.errors import LedgerError
from provenance.files import DEFAULT_MAX_BYTES, append, dumps, load, loads, save
from provenance.ledger import Ledger
from provenance.model import Claim, Proposition, Source
from provenance.policy import Policy
from provenance.strategies import ledgers

__all__: list[str] = []

HEADER = '{"ledger": {"title": "Example", "as_of": "2024-03-28"}}'
KCNA = '{"source": {"id": "kcna", "name": "Korean Central News Agency", "reliability": "E"}}'
AFP = '{"source": {"id": "afp", "name": "Agence France-Presse", "kind": "wire"}}'
VISIT = '{"proposition": {"id": "visit", "text": "Naryshkin visited Pyongyang."}}'
CLAIM = '{"claim": {"proposition": "visit", "source": "kcna", "via": ["afp"]}}'
BASE = [HEADER, KCNA, AFP, VISIT, CLAIM]


def text(*lines: str) -> str:
    """The lines as the text of a file, each ending with a line break."""
    return "".join(line + "\n" for line in lines)


def problems(data: str | bytes, name: str = "desk.jsonl", **limits: int) -> list[str]:
    """The problems `loads` reports for `data`, as printed."""
    with pytest.raises(LedgerError) as caught:
        loads(data, "jsonl", name=name, **limits)
    return [str(problem) for problem in caught.value.problems]


def small() -> Ledger:
    """The ledger of `BASE`."""
    return loads(text(*BASE), "jsonl")


class TestRoundTrip:
    """A ledger written as JSON Lines reads back equal, and converts to and from other formats."""

    @given(ledgers())
    @settings(max_examples=60)
    @example(Ledger())
    @example(Ledger(title="Only metadata", policy=Policy(prior=0.4)))
    def test_dumps_then_loads(self, ledger: Ledger) -> None:
        """`loads(dumps(ledger, "jsonl"))` equals the ledger."""
        assert ledger == loads(dumps(ledger, "jsonl"), "jsonl")

    @given(ledgers())
    @settings(max_examples=30)
    def test_every_line_is_one_record(self, ledger: Ledger) -> None:
        """Each line is an object whose one key names its kind; the ledger record is first."""
        lines = dumps(ledger, "jsonl").rstrip("\n").split("\n")  # not at U+0085 or U+2028
        kinds = [next(iter(json.loads(line))) for line in lines]
        expected = ["ledger"] + ["source"] * len(ledger.sources)
        expected += ["proposition"] * len(ledger.propositions) + ["claim"] * len(ledger.claims)
        assert sorted(expected) == sorted(kinds)
        assert "ledger" == kinds[0]

    @given(ledgers())
    @settings(max_examples=30)
    def test_converts_through_toml_and_json(self, ledger: Ledger) -> None:
        """TOML to JSON Lines to JSON and back keeps the ledger."""
        as_toml = loads(dumps(ledger, "toml"), "toml")
        as_jsonl = loads(dumps(as_toml, "jsonl"), "jsonl")
        as_json = loads(dumps(as_jsonl, "json"), "json")
        assert ledger == as_json

    def test_save_and_load_by_suffix(self, tmp_path: Path) -> None:
        """`save` and `load` pick JSON Lines for a .jsonl file."""
        path = tmp_path / "desk.jsonl"
        save(small(), path)
        assert small() == load(path)
        assert HEADER == path.read_text().splitlines()[0]

    def test_convert_command(self, tmp_path: Path) -> None:
        """``provenance convert`` writes a TOML ledger as JSON Lines and back."""
        toml_path, jsonl_path, back = tmp_path / "a.toml", tmp_path / "a.jsonl", tmp_path / "b.toml"
        save(small(), toml_path)
        assert 0 == main(["convert", str(toml_path), str(jsonl_path)])
        assert 0 == main(["convert", str(jsonl_path), str(back)])
        assert small() == load(jsonl_path)
        assert toml_path.read_text() == back.read_text()

    def test_records_in_any_order(self) -> None:
        """Sources, propositions and claims may come in any order after the ledger record."""
        assert small() == loads(text(HEADER, CLAIM, VISIT, KCNA, AFP), "jsonl")

    def test_blank_lines_are_skipped(self) -> None:
        """Blank lines between records are allowed."""
        assert small() == loads(text(HEADER, "", KCNA, AFP, "  ", VISIT, CLAIM, ""), "jsonl")

    def test_no_ledger_record(self) -> None:
        """A file without the ledger record has no title and the default policy."""
        ledger = loads(text(KCNA, AFP, VISIT, CLAIM), "jsonl")
        assert (None, Policy()) == (ledger.title, ledger.policy)


class TestLocatedErrors:
    """Every problem is reported at its line, and all of them at once."""

    def test_unknown_source_at_its_line(self) -> None:
        """A claim naming no source is reported at the claim's line, with a hint."""
        bad = CLAIM.replace('"kcna"', '"kcn"')
        expected = ["desk.jsonl:5: source: no source 'kcn' (did you mean 'kcna'?)"]
        assert expected == problems(text(HEADER, KCNA, AFP, VISIT, bad))

    def test_every_problem_at_once(self) -> None:
        """A bad field and a dangling reference are both reported."""
        found = problems(text(HEADER, KCNA.replace('"E"', '"Z"'), VISIT, CLAIM))
        assert 2 == len(found)
        assert found[0].startswith("desk.jsonl:2: reliability: ")
        assert "desk.jsonl:4: via[0]: no source 'afp'" == found[1]

    def test_unreadable_lines_stop_the_reference_check(self) -> None:
        """Lines that do not parse are all reported, but not the references they may have held."""
        found = problems(text(HEADER, KCNA, '{"source": {"id": "afp"', VISIT, CLAIM, "{"))
        assert ["desk.jsonl:3: ", "desk.jsonl:6: "] == [p[:14] for p in found]

    def test_unknown_key(self) -> None:
        """An unknown key names the nearest known one."""
        bad = KCNA.replace('"reliability"', '"reliabilty"')
        assert ["desk.jsonl:2: unknown key 'reliabilty' (did you mean 'reliability'?)"] == problems(
            text(HEADER, bad, AFP, VISIT, CLAIM)
        )

    def test_claim_without_proposition(self) -> None:
        """A claim must name its proposition."""
        bad = '{"claim": {"source": "kcna"}}'
        assert ["desk.jsonl:5: missing required key 'proposition'"] == problems(
            text(HEADER, KCNA, AFP, VISIT, bad)
        )

    def test_duplicate_id(self) -> None:
        """A second source with the same id is reported at its own line."""
        found = problems(text(HEADER, KCNA, AFP, VISIT, CLAIM, KCNA))
        assert 1 == len(found)
        assert found[0].startswith("desk.jsonl:6: ")

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ('{"source": {"id": "a", "id": "b", "name": "x"}}', "duplicate key 'id'"),
            ('{"claim": {"proposition": "visit", "source": "kcna", "credence": NaN}}', "NaN"),
            ('{"claim": {"proposition": "visit", "source": "kcna", "credence": 1e999}}', "1e999"),
            (
                '{"claim": {"proposition": "visit", "source": "kcna", "credence": 1'
                + "0" * 80
                + "}}",
                "too long",
            ),
            ('{"source": {"id": "s", "name": "\\ud800"}}', "unpaired surrogate"),
            ('["source", {"id": "s"}]', "expected a record"),
            ('{"source": {}, "claim": {}}', "expected a record"),
            ('{"witness": {"id": "s"}}', "expected a record"),
            ("{" * 5000 + "}" * 5000, "Expecting property name"),
            (HEADER, "must be the first line"),
        ],
    )
    def test_bad_line(self, line: str, message: str) -> None:
        """What no ledger can hold is reported at the line that holds it."""
        found = problems(text(*BASE, line))
        assert 1 == len(found)
        assert found[0].startswith("desk.jsonl:6")
        assert message in found[0]

    def test_crlf(self) -> None:
        """CRLF line ends are refused at the first such line."""
        data = (text(HEADER, KCNA) + AFP + "\r\n" + text(VISIT, CLAIM)).encode()
        assert ["desk.jsonl:3: CRLF line ends are not accepted;"] == [
            p.split(" save")[0] for p in problems(data)
        ]

    def test_byte_order_mark(self) -> None:
        """A byte-order mark is refused at line 1."""
        found = problems(b"\xef\xbb\xbf" + text(*BASE).encode())
        assert found[0].startswith("desk.jsonl:1: the file starts with a UTF-8 byte-order mark")

    def test_invalid_utf8(self) -> None:
        """Bytes that are not UTF-8 are reported at their line."""
        data = text(HEADER, KCNA).encode() + b'{"source": {"id": "x", "name": "\xff"}}\n'
        assert ["desk.jsonl:3: not valid UTF-8 (byte ff); save the file as UTF-8"] == problems(data)

    def test_empty_file(self) -> None:
        """A file without any record is refused."""
        assert ["desk.jsonl: the file holds no record"] == problems("\n\n")

    def test_command_exit_status(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The command prints the located problem on one line and exits with 2."""
        path = tmp_path / "desk.jsonl"
        path.write_text(text(HEADER, KCNA, AFP, VISIT, CLAIM.replace('"kcna"', '"kcn"')))
        assert 2 == main(["report", str(path)])
        err = capsys.readouterr().err
        assert f"provenance: {path}:5: source: no source 'kcn' (did you mean 'kcna'?)\n" == err


class TestAppend:
    """Records appended to a file are read back, and what was there is not rewritten."""

    def test_append_claims_through_the_day(self, tmp_path: Path) -> None:
        """Each append adds its lines at the end, and the file reads as the ledger with them."""
        path = tmp_path / "desk.jsonl"
        save(small(), path)
        before = path.read_bytes()
        inode = os.stat(path).st_ino
        later = Claim("visit", "afp", said_on="2024-03-29")
        append(path, later)
        append(path, Source("tass", "TASS"), Claim("visit", "tass", stance="denies"))
        after = path.read_bytes()
        assert (before, inode) == (after[: len(before)], os.stat(path).st_ino)
        expected = small()
        expected.add_claim(later)
        expected.add_source(Source("tass", "TASS"))
        expected.add_claim(Claim("visit", "tass", stance="denies"))
        assert expected == load(path)

    def test_new_file_gets_a_ledger_record(self, tmp_path: Path) -> None:
        """Appending to a missing file makes one that starts with the ledger record."""
        path = tmp_path / "new.jsonl"
        append(path, Source("kcna", "KCNA"), Proposition("visit", "A visit."))
        append(path, Claim("visit", "kcna"))
        assert '{"ledger": {}}' == path.read_text().splitlines()[0]
        assert [Claim("visit", "kcna")] == list(load(path).claims)

    def test_file_without_final_line_break(self, tmp_path: Path) -> None:
        """A file whose last line has no line break gets one before the new line."""
        path = tmp_path / "desk.jsonl"
        path.write_text(text(*BASE).rstrip("\n"))
        append(path, Claim("visit", "afp"))
        assert 2 == len(load(path).claims)

    def test_dangling_reference_found_on_load(self, tmp_path: Path) -> None:
        """An appended claim naming no source is reported at its line when the file is read."""
        path = tmp_path / "desk.jsonl"
        save(small(), path)
        append(path, Claim("visit", "nobody"))
        with pytest.raises(LedgerError) as caught:
            load(path)
        assert f"{path}:6: source: no source 'nobody'" == str(caught.value.problems[0])

    def test_only_jsonl(self, tmp_path: Path) -> None:
        """Appending to a TOML or JSON file is refused, and the file is left alone."""
        path = tmp_path / "desk.toml"
        save(small(), path)
        before = path.read_bytes()
        with pytest.raises(LedgerError, match="only a JSON Lines ledger"):
            append(path, Claim("visit", "afp"))
        assert before == path.read_bytes()

    def test_not_a_record(self, tmp_path: Path) -> None:
        """Only sources, propositions and claims can be appended."""
        with pytest.raises(TypeError):
            append(tmp_path / "desk.jsonl", "a claim")  # type: ignore[arg-type]


class TestReadLimit:
    """JSON Lines is limited per line; TOML and JSON files as a whole, with a way to lift it."""

    def test_long_line_refused_at_its_line(self) -> None:
        """A line longer than max_line_bytes is refused, saying how to lift the limit."""
        note = '{"source": {"id": "long", "name": "x", "note": "' + "y" * 300 + '"}}'
        found = problems(text(*BASE, note), max_line_bytes=200)
        assert [
            "desk.jsonl:6: the line is longer than the limit of 200 bytes;"
            " pass a larger max_line_bytes to read it"
        ] == found
        assert 6 == len(loads(text(*BASE, note), "jsonl", max_line_bytes=400).sources) + 3

    def test_no_limit_on_the_whole_file(self, tmp_path: Path) -> None:
        """A JSON Lines file larger than max_bytes is read: its lines are short."""
        path = tmp_path / "desk.jsonl"
        save(small(), path)
        assert small() == load(path, max_bytes=10)

    def test_whole_file_limit_says_how_to_lift_it(self, tmp_path: Path) -> None:
        """A JSON file over the limit is refused with the option and the format that lift it."""
        path = tmp_path / "desk.json"
        save(small(), path)
        with pytest.raises(LedgerError) as caught:
            load(path, max_bytes=10)
        message = str(caught.value)
        assert "pass a larger max_bytes (--max-bytes on the command line)" in message
        assert "JSON Lines (.jsonl)" in message

    def test_command_max_bytes(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``--max-bytes`` lifts the limit for the command."""
        path = tmp_path / "desk.json"
        save(small(), path)
        size = path.stat().st_size
        assert 2 == main(["check", str(path), "--max-bytes", str(size - 1)])
        assert 0 == main(["check", str(path), "--max-bytes", str(size)])
        assert DEFAULT_MAX_BYTES > size
