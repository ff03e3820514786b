"""Tests for reading and writing ledger files (`provenance.files`).

Every way a file can be wrong gives one `LedgerError` whose problems name the
file, the place and the value; every ledger written reads back equal, in
both formats; and a save, even one killed or failing midway, leaves a
readable file.
"""

# Asserts are written expected == actual, as the house style asks.

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from provenance.errors import LedgerError, Problem, ProvenanceError
from provenance.files import DEFAULT_MAX_BYTES, MAX_DEPTH, dumps, load, loads, save
from provenance.ledger import Ledger
from provenance.model import Claim, Proposition, Source
from provenance.policy import Policy

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
NAME = "seed.toml"

# A small valid ledger; tests break it in one place at a time.  It ends inside
# a claim table, so a line appended to it belongs to that claim.
BASE = """\
title = "Example"
lang = "fr"

[[sources]]
id = "kcna"
name = "Korean Central News Agency"
kind = "state-media"
affiliation = "DPRK"
reliability = "E"

[[sources]]
id = "afp"
name = "Agence France-Presse"
kind = "wire"
reliability = "B"

[[propositions]]
id = "visit"
text = "Naryshkin visited Pyongyang."
about = ["DPRK", "Russia"]

  [[propositions.claims]]
  source = "kcna"
  via = ["afp"]
  said_on = 2024-03-28
"""


def example_ledger() -> Ledger:
    """The ledger of tests/data/example.{toml,json}, built in code."""
    return Ledger.from_objects(
        [
            Source(
                "kcna",
                "Korean Central News Agency",
                kind="state-media",
                affiliation="DPRK",
                reliability="E",
                url="http://www.kcna.kp",
                note="State news agency of the DPRK.",
            ),
            Source("afp", "Agence France-Presse", kind="wire", reliability="B"),
            Source("le-figaro", "Le Figaro", kind="outlet", reliability="B", depends_on=["afp"]),
        ],
        [
            Proposition(
                "naryshkin-visit",
                "SVR director Sergei Naryshkin visited Pyongyang from Monday to Wednesday.",
                about=["DPRK", "Russia"],
                note="The dates come from KCNA only.",
            ),
            Proposition("no-claims", "A proposition nobody speaks to yet."),
        ],
        [
            Claim(
                "naryshkin-visit",
                "kcna",
                stance="asserts",
                certainty="certain",
                via=["afp", "le-figaro"],
                said_on=dt.date(2024, 3, 27),
                quote="Le chef du renseignement russe s'est déplacé à Pyongyang…",
                credence=0.9,
                url="https://example.org/kcna-item",
                withdrawn_on=dt.date(2024, 4, 2),
                note="Relayed by AFP, republished by Le Figaro.",
            ),
            Claim(
                "naryshkin-visit",
                "afp",
                stance="denies",
                certainty="possible",
                lang="en",
                quote="It is not clear that the visit took place.",
            ),
        ],
        title="Russian intelligence chief visits Pyongyang",
        as_of=dt.date(2024, 3, 28),
        lang="fr",
        publisher="Example desk",
        url="https://example.org/naryshkin-pyongyang",
        policy=Policy(
            min_independent=3,
            min_reliability="B",
            public_record=False,
            reliability_p={"A": 0.9},
            hedging={"possible": 0.25},
        ),
    )


def problems_of(data: str | bytes, fmt: str = "toml", name: str = NAME) -> tuple[Problem, ...]:
    """The problems `loads` finds in `data`."""
    with pytest.raises(LedgerError) as info:
        loads(data, fmt, name=name)
    return info.value.problems


def only_problem(data: str | bytes, fmt: str = "toml", name: str = NAME) -> Problem:
    """The one problem `loads` finds in `data`."""
    problems = problems_of(data, fmt, name)
    assert 1 == len(problems), problems
    return problems[0]


def at(problems: tuple[Problem, ...], place: str | None) -> Problem:
    """The problem found at `place`."""
    found = [problem for problem in problems if problem.place == place]
    assert 1 == len(found), problems
    return found[0]


def as_json(toml_text: str) -> dict[str, Any]:
    """The JSON tree of a valid TOML ledger, to be broken by a test."""
    tree: dict[str, Any] = json.loads(dumps(loads(toml_text, "toml"), "json"))
    return tree


def plain_dates(value: Any) -> Any:
    """`value` with every date written as its ISO string, as JSON holds it."""
    if isinstance(value, dict):
        return {key: plain_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_dates(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_hand_built_ledger_reads_back_equal(self, fmt: str) -> None:
        """A ledger using every field reads back equal from its own text."""
        ledger = example_ledger()
        assert ledger == loads(dumps(ledger, fmt), fmt)

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_empty_ledger_reads_back_equal(self, fmt: str) -> None:
        """A ledger with nothing in it still writes a file that reads back."""
        assert Ledger() == loads(dumps(Ledger(), fmt), fmt)

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_ledger_with_propositions_only_reads_back_equal(self, fmt: str) -> None:
        """A ledger without sources reads back equal."""
        ledger = Ledger.from_objects([], [Proposition("p", "P.")], title="No sources")
        assert ledger == loads(dumps(ledger, fmt), fmt)

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_awkward_text_reads_back_equal(self, fmt: str) -> None:
        """Quotes, backslashes, control characters, CR and non-ASCII text survive a round trip."""
        text = 'a "quoted"\\ line\r\nnext\ttab \x00 \x7f é 한국어 \u2028 🙂'
        ledger = Ledger.from_objects(
            [Source("kcna", text, note=text)],
            [Proposition("p", text, about=[text])],
            [Claim("p", "kcna", quote=text)],
            title=text,
        )
        assert ledger == loads(dumps(ledger, fmt), fmt)

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_hand_written_file_reads_as_the_ledger_built_in_code(self, fmt: str) -> None:
        """tests/data/example.toml and example.json hold the ledger built in code."""
        assert example_ledger() == load(DATA / f"example.{fmt}")

    def test_toml_and_json_hold_the_same_tree(self) -> None:
        """Both formats write the same tree, dates aside (TOML dates, ISO strings in JSON)."""
        ledger = example_ledger()
        toml_tree = tomllib.loads(dumps(ledger, "toml"))
        json_tree = json.loads(dumps(ledger, "json"))
        assert json_tree == plain_dates(toml_tree)

    def test_dates_are_toml_dates_and_json_strings(self) -> None:
        """as_of is a TOML date in TOML and an ISO 8601 string in JSON."""
        ledger = example_ledger()
        assert dt.date(2024, 3, 28) == tomllib.loads(dumps(ledger, "toml"))["as_of"]
        assert "2024-03-28" == json.loads(dumps(ledger, "json"))["as_of"]

    def test_claims_nest_under_their_proposition_without_naming_it(self) -> None:
        """Claims are written under their proposition and carry no proposition key."""
        tree = json.loads(dumps(example_ledger(), "json"))
        claims = tree["propositions"][0]["claims"]
        assert ["kcna", "afp"] == [claim["source"] for claim in claims]
        assert all("proposition" not in claim for claim in claims)
        assert "claims" not in tree["propositions"][1]

    def test_absent_values_and_empty_lists_are_left_out(self) -> None:
        """None values and empty lists are not written; set values are."""
        tree = json.loads(dumps(example_ledger(), "json"))
        afp = tree["sources"][1]
        assert {"id", "name", "kind", "reliability"} == set(afp)
        denial = tree["propositions"][0]["claims"][1]
        assert not {"via", "said_on", "credence", "url", "withdrawn_on", "note"} & set(denial)

    def test_only_policy_settings_that_differ_from_the_defaults_are_written(self) -> None:
        """The policy table holds the non-default settings, in sub-tables for the two maps."""
        tree = json.loads(dumps(example_ledger(), "json"))
        expected = {
            "min_independent": 3,
            "min_reliability": "B",
            "public_record": False,
            "reliability_p": {"A": 0.9},
            "hedging": {"possible": 0.25},
        }
        assert expected == tree["policy"]

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_default_policy_leaves_the_policy_table_out(self, fmt: str) -> None:
        """A ledger with the default policy writes no policy table."""
        ledger = example_ledger().rebuild(policy=Policy())
        text = dumps(ledger, fmt)
        assert "policy" not in text
        assert ledger == loads(text, fmt)

    def test_json_is_indented_unescaped_in_field_order_with_a_final_newline(self) -> None:
        """JSON keeps non-ASCII text as is, indents by two, and keeps the fields' order."""
        text = dumps(example_ledger(), "json")
        assert text.endswith("}\n")
        assert "déplacé" in text
        assert '\n  "title"' in text
        order = ["title", "as_of", "lang", "publisher", "url", "sources", "propositions", "policy"]
        assert order == list(json.loads(text))
        source_order = ["id", "name", "kind", "affiliation", "reliability", "url", "note"]
        assert source_order == list(json.loads(text)["sources"][0])

    def test_toml_writes_an_array_of_tables_per_list(self) -> None:
        """Sources, propositions and claims are written as [[...]] tables, not inline."""
        text = dumps(example_ledger(), "toml")
        assert 3 == text.count("[[sources]]\n")
        assert 2 == text.count("[[propositions]]\n")
        assert 2 == text.count("[[propositions.claims]]\n")
        assert "as_of = 2024-03-28\n" in text

    def test_dumps_refuses_something_that_is_not_a_ledger(self) -> None:
        """dumps of a dict is a TypeError naming what it got."""
        with pytest.raises(TypeError, match="dict"):
            dumps({"title": "x"}, "json")  # type: ignore[arg-type]

    def test_save_then_load_gives_an_equal_ledger(self, tmp_path: Path) -> None:
        """save and load are inverse, in both formats."""
        ledger = example_ledger()
        for suffix in (".toml", ".json"):
            save(ledger, tmp_path / f"ledger{suffix}")
            assert ledger == load(tmp_path / f"ledger{suffix}")


class TestFormats:
    def test_suffix_names_the_format(self, tmp_path: Path) -> None:
        """A .json file is read as JSON and a .TOML file as TOML."""
        ledger = example_ledger()
        (tmp_path / "a.json").write_text(dumps(ledger, "json"), encoding="utf-8")
        (tmp_path / "b.TOML").write_text(dumps(ledger, "toml"), encoding="utf-8")
        assert ledger == load(tmp_path / "a.json")
        assert ledger == load(tmp_path / "b.TOML")

    def test_unknown_suffix_asks_for_a_format(self, tmp_path: Path) -> None:
        """A file named .txt is refused with a message that says how to name the format."""
        path = tmp_path / "ledger.txt"
        path.write_text(BASE, encoding="utf-8")
        with pytest.raises(LedgerError) as info:
            load(path)
        assert str(path) == info.value.problems[0].file
        assert "'.txt'" in str(info.value)
        assert "format=" in str(info.value)

    def test_explicit_format_wins_over_the_suffix(self, tmp_path: Path) -> None:
        """format= reads a file whatever its name."""
        path = tmp_path / "ledger.txt"
        path.write_text(BASE, encoding="utf-8")
        assert loads(BASE, "toml") == load(path, format="toml")

    def test_unknown_format_is_refused(self) -> None:
        """A format other than toml or json is a LedgerError naming it."""
        with pytest.raises(LedgerError, match="'yaml'"):
            loads(BASE, "yaml")
        with pytest.raises(LedgerError, match="'yaml'"):
            dumps(example_ledger(), "yaml")

    def test_errors_name_the_path_as_given(self, tmp_path: Path, monkeypatch: Any) -> None:
        """load names the file by the path it was given, relative or not."""
        monkeypatch.chdir(tmp_path)
        Path("claims").mkdir()
        Path("claims/seed.toml").write_text("title = 3\n", encoding="utf-8")
        with pytest.raises(LedgerError) as info:
            load("claims/seed.toml")
        assert "claims/seed.toml:1:9: title: expected text, got 3" == str(info.value)


class TestBytes:
    def test_errors_are_ledger_errors_and_value_errors(self) -> None:
        """A broken file raises an error catchable as LedgerError, ValueError or ProvenanceError."""
        with pytest.raises(LedgerError) as info:
            loads("title = ", "toml")
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, ProvenanceError)

    @pytest.mark.parametrize(
        ("mark", "encoding"),
        [(b"\xef\xbb\xbf", "UTF-8"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")],
    )
    def test_byte_order_mark_is_refused(self, mark: bytes, encoding: str) -> None:
        """A byte-order mark is refused at line 1, naming the encoding."""
        problem = only_problem(mark + BASE.encode())
        assert (NAME, "line 1") == (problem.file, problem.place)
        assert f"{encoding} byte-order mark" in problem.message

    def test_byte_order_mark_in_text_is_refused(self) -> None:
        """Text that starts with U+FEFF is refused too."""
        problem = only_problem("\ufeff" + BASE)
        assert (NAME, "line 1") == (problem.file, problem.place)

    def test_crlf_line_ends_are_refused_naming_the_line(self) -> None:
        """The first CRLF is reported with its line number."""
        text = BASE.replace('lang = "fr"\n', 'lang = "fr"\r\n')
        expected = (
            f"{NAME}: line 2: CRLF line ends are not accepted; save the file with LF line ends"
        )
        assert expected == str(only_problem(text.encode()))
        assert expected == str(only_problem(text))

    def test_nul_byte_is_refused_naming_line_and_column(self) -> None:
        """A NUL byte is located by line and column."""
        problem = only_problem(b'title = "x"\nlang = "f\x00r"\n')
        assert (NAME, "line 2, column 10") == (problem.file, problem.place)
        assert "NUL" in problem.message

    def test_invalid_utf8_is_refused_naming_the_byte(self) -> None:
        """Invalid UTF-8 is located and the offending byte shown."""
        problem = only_problem('title = "é"\nlang = "'.encode() + b"\xff\xfe" + b'"\n')
        assert (NAME, "line 2, column 9") == (problem.file, problem.place)
        assert "ff" in problem.message
        assert "UTF-8" in problem.message

    @pytest.mark.parametrize("text", ["", "  \n\n", "\t"])
    def test_empty_file_is_refused(self, text: str) -> None:
        """An empty or blank file is a LedgerError, in both formats."""
        for fmt in ("toml", "json"):
            problem = only_problem(text, fmt)
            assert (NAME, None) == (problem.file, problem.place)
            assert "empty" in problem.message

    @pytest.mark.parametrize(("text", "fmt"), [("# only a comment\n", "toml"), ("{}", "json")])
    def test_file_without_keys_is_refused(self, text: str, fmt: str) -> None:
        """A file that parses to no keys at all holds no ledger."""
        assert "no ledger" in only_problem(text, fmt).message

    def test_file_larger_than_the_limit_is_refused(self, tmp_path: Path) -> None:
        """A file over max_bytes is refused without being parsed; the limit can be raised."""
        path = tmp_path / "big.toml"
        path.write_text(BASE + "# " + "x" * 1000 + "\n", encoding="utf-8")
        size = path.stat().st_size
        with pytest.raises(LedgerError) as info:
            load(path, max_bytes=size - 1)
        assert str(path) == info.value.problems[0].file
        assert str(size - 1) in str(info.value)
        assert loads(BASE, "toml") == load(path, max_bytes=size)

    def test_default_size_limit_is_sixteen_mebibytes(self) -> None:
        """The default limit is 16 MiB."""
        assert 16 * 1024 * 1024 == DEFAULT_MAX_BYTES

    def test_missing_file_is_a_ledger_error(self, tmp_path: Path) -> None:
        """A file that does not exist is a LedgerError naming it."""
        path = tmp_path / "nowhere.toml"
        with pytest.raises(LedgerError) as info:
            load(path)
        assert str(path) == info.value.problems[0].file
        assert isinstance(info.value.__cause__, FileNotFoundError)

    def test_directory_is_not_read(self, tmp_path: Path) -> None:
        """A directory named like a ledger is refused."""
        path = tmp_path / "dir.toml"
        path.mkdir()
        with pytest.raises(LedgerError, match="directory"):
            load(path)

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_named_pipe_is_refused_without_blocking(self, tmp_path: Path) -> None:
        """A FIFO is refused at once rather than read (which would wait for a writer)."""
        path = tmp_path / "pipe.toml"
        os.mkfifo(path)
        with pytest.raises(LedgerError, match="named pipe"):
            load(path)


class TestSyntax:
    def test_toml_syntax_error_names_line_and_column(self) -> None:
        """tomllib's location is given as the place."""
        problem = only_problem('title = "x"\nlang = \n')
        assert (NAME, "line 2, column 8") == (problem.file, problem.place)
        assert "at line" not in problem.message

    def test_json_syntax_error_names_line_and_column(self) -> None:
        """json's location is given as the place."""
        problem = only_problem('{"title": "x",\n "sources": [}', "json", "seed.json")
        assert ("seed.json", "line 2, column 14") == (problem.file, problem.place)

    @pytest.mark.parametrize("word", ["nan", "inf", "-inf", "+nan"])
    def test_toml_non_finite_number_is_refused_at_its_place(self, word: str) -> None:
        """TOML nan and inf are refused where they stand."""
        problem = only_problem(BASE + f"  credence = {word}\n")
        assert "propositions[0].claims[0].credence" == problem.place
        assert word in problem.message

    @pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity", "1e999"])
    def test_json_non_finite_number_is_refused_at_its_place(self, word: str) -> None:
        """JSON NaN, Infinity and overflowing numbers are refused where they stand."""
        tree = as_json(BASE)
        text = json.dumps(tree).replace('"said_on"', f'"credence": {word}, "said_on"')
        problem = only_problem(text, "json")
        assert "propositions[0].claims[0].credence" == problem.place
        assert word in problem.message

    def test_json_duplicate_keys_are_refused(self) -> None:
        """A key given twice in one JSON object is refused, naming the key and the object."""
        text = '{"title": "x", "sources": [{"id": "a", "name": "A", "id": "b"}], "title": "y"}'
        problems = problems_of(text, "json")
        assert "duplicate key 'title'" == at(problems, None).message
        assert "duplicate key 'id'" == at(problems, "sources[0]").message

    @pytest.mark.parametrize("text", ["[1, 2]", '"ledger"', "3", "null"])
    def test_json_top_level_must_be_an_object(self, text: str) -> None:
        """A JSON file whose top level is not an object is refused, naming what it is."""
        problem = only_problem(text, "json")
        assert text in problem.message

    def test_deep_json_nesting_is_refused_before_parsing(self) -> None:
        """Nesting deeper than the limit is refused at the bracket that passes it."""
        text = '{"title": ' + "[" * 10_000 + "]" * 10_000 + "}"
        problem = only_problem(text, "json")
        assert f"line 1, column {11 + MAX_DEPTH - 1}" == problem.place
        assert str(MAX_DEPTH) in problem.message

    def test_deep_toml_nesting_is_refused(self) -> None:
        """Nesting deep enough to exhaust the parser's recursion is a LedgerError."""
        problem = only_problem("title = " + "[" * 5_000 + "]" * 5_000 + "\n")
        assert "nested deeper" in problem.message

    def test_moderately_deep_toml_nesting_is_refused(self) -> None:
        """Nesting that parses but passes the limit is refused at its place."""
        problem = only_problem("title = " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n")
        assert (problem.place or "").startswith("title[0]")

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_number_of_thousands_of_digits_is_refused(self, fmt: str) -> None:
        """An absurdly long integer is a LedgerError, not a crash."""
        text = ("title = " if fmt == "toml" else '{"title": ') + "9" * 5_000
        text += "\n" if fmt == "toml" else "}"
        assert "number" in only_problem(text, fmt).message

    def test_unpaired_surrogate_escape_is_refused(self) -> None:
        """A JSON string with a lone surrogate escape (not encodable as UTF-8) is refused."""
        problem = only_problem('{"title": "x\\ud800"}', "json")
        assert "title" == problem.place


class TestSchema:
    def test_unknown_key_names_the_key_and_the_nearest_known_one(self) -> None:
        """A misspelt key is refused with a suggestion, where it stands."""
        problem = only_problem(BASE.replace('reliability = "E"', 'relability = "E"'))
        expected = (
            f"{NAME}:4: sources 'kcna': unknown key 'relability' (did you mean 'reliability'?)"
        )
        assert expected == str(problem)

    def test_unknown_keys_are_refused_at_every_level(self) -> None:
        """Unknown keys at the top, in a proposition, a claim and the policy are each reported."""
        text = BASE.replace('title = "Example"', 'title = "Example"\ntitel = "x"')
        text = text.replace('text = "Naryshkin', 'txt = "x"\ntext = "Naryshkin')
        text += "  quotes = 'x'\n[policy]\nmin_independant = 3\n"
        problems = problems_of(text)
        assert "unknown key 'titel' (did you mean 'title'?)" == at(problems, None).message
        assert "unknown key 'txt' (did you mean 'text'?)" == at(problems, "propositions[0]").message
        claim = at(problems, "propositions[0].claims[0]")
        assert "unknown key 'quotes' (did you mean 'quote'?)" == claim.message
        assert "'min_independant'" in at(problems, "policy").message

    def test_proposition_key_inside_a_claim_is_unknown(self) -> None:
        """A claim names its proposition by nesting; a proposition key is an error."""
        problem = only_problem(BASE + '  proposition = "visit"\n')
        assert "propositions[0].claims[0]" == problem.place
        assert "unknown key 'proposition'" in problem.message

    def test_as_of_inside_the_policy_is_unknown(self) -> None:
        """as_of belongs at the top of the ledger, not in [policy]."""
        problem = only_problem(BASE + "[policy]\nas_of = 2024-01-01\n")
        assert "policy" == problem.place
        assert "unknown key 'as_of'" in problem.message

    def test_flat_claims_table_points_to_nesting(self) -> None:
        """A top-level [[claims]] table is refused with a hint at [[propositions.claims]]."""
        problem = only_problem(BASE + '[[claims]]\nsource = "kcna"\n')
        assert "[[propositions.claims]]" in problem.message

    def test_missing_required_keys_are_each_reported(self) -> None:
        """A source without an id and a proposition without text are both reported."""
        problems = problems_of('[[sources]]\nname = "x"\n[[propositions]]\nid = "p"\n')
        assert "missing required key 'id'" == at(problems, "sources[0]").message
        assert "missing required key 'text'" == at(problems, "propositions[0]").message

    @pytest.mark.parametrize(
        ("change", "place", "value"),
        [
            (('title = "Example"', "title = 3"), "title", "3"),
            (('lang = "fr"', "lang = true"), "lang", "True"),
            (('reliability = "E"', "reliability = 5"), "sources[0].reliability", "5"),
            (('kind = "wire"', 'kind = ["wire"]'), "sources[1].kind", "['wire']"),
            (('about = ["DPRK", "Russia"]', 'about = "DPRK"'), "propositions[0].about", "'DPRK'"),
            (('via = ["afp"]', "via = {afp = 1}"), "propositions[0].claims[0].via", "'afp'"),
            (
                ("said_on = 2024-03-28", "said_on = 20240328"),
                "propositions[0].claims[0].said_on",
                "20240328",
            ),
        ],
    )
    def test_wrong_types_are_refused_without_coercion(
        self, change: tuple[str, str], place: str, value: str
    ) -> None:
        """A value of the wrong type is refused at its place, naming it; nothing is coerced."""
        problem = only_problem(BASE.replace(*change))
        assert (NAME, place) == (problem.file, problem.place)
        assert value in problem.message

    @pytest.mark.parametrize(
        ("line", "value"),
        [("credence = true", "True"), ("credence = 1", "1"), ("credence = '0.5'", "'0.5'")],
    )
    def test_credence_must_be_a_number_strictly_between_0_and_1(
        self, line: str, value: str
    ) -> None:
        """A credence that is a boolean, a string or out of range is refused."""
        problem = only_problem(BASE + f"  {line}\n")
        assert "propositions[0].claims[0].credence" == problem.place
        assert value in problem.message

    def test_list_of_tables_must_be_a_list(self) -> None:
        """[sources] written as one table instead of [[sources]] is refused."""
        problem = only_problem('title = "x"\n[sources]\nid = "a"\nname = "A"\n')
        assert "sources" == problem.place
        assert "expected a list of tables" in problem.message

    def test_entries_must_be_tables(self) -> None:
        """A source or a claim that is not a table is refused at its index."""
        tree = as_json(BASE)
        tree["sources"].append(3)
        tree["propositions"][0]["claims"].append("kcna")
        problems = problems_of(json.dumps(tree), "json")
        assert "expected a table, got 3" == at(problems, "sources[2]").message
        assert "'kcna'" in at(problems, "propositions[0].claims[1]").message

    def test_claims_must_be_a_list(self) -> None:
        """A proposition's claims that are not a list are refused."""
        tree = as_json(BASE)
        tree["propositions"][0]["claims"] = {"source": "kcna"}
        problem = only_problem(json.dumps(tree), "json")
        assert "propositions[0].claims" == problem.place

    @pytest.mark.parametrize(
        ("line", "place", "value"),
        [
            ("as_of = 2024-03-28T10:00:00", "as_of", "2024-03-28T10:00:00"),
            ('as_of = "2024-02-30"', "as_of", "'2024-02-30'"),
            ("as_of = 10:00:00", "as_of", "time(10, 0)"),
        ],
    )
    def test_dates_must_be_dates(self, line: str, place: str, value: str) -> None:
        """A date with a time, an impossible date or a time alone is refused."""
        problem = only_problem(f"{line}\n" + BASE)
        assert place == problem.place
        assert value in problem.message

    def test_json_dates_are_iso_strings(self) -> None:
        """In JSON a date is an ISO string; a bad one is refused at its place."""
        tree = as_json(BASE)
        assert dt.date(2024, 3, 28) == loads(json.dumps(tree), "json").claims[0].said_on
        tree["propositions"][0]["claims"][0]["said_on"] = "28/03/2024"
        problem = only_problem(json.dumps(tree), "json")
        assert ("propositions[0].claims[0].said_on", True) == (
            problem.place,
            "'28/03/2024'" in problem.message,
        )

    @pytest.mark.parametrize(
        ("change", "place", "value"),
        [
            (('reliability = "E"', 'reliability = "G"'), "sources[0].reliability", "'G'"),
            (('kind = "wire"', 'kind = "spy"'), "sources[1].kind", "'spy'"),
            (('id = "visit"', 'id = "The Visit"'), "propositions[0].id", "'The Visit'"),
            (('lang = "fr"', 'lang = "french!"'), "lang", "'french!'"),
            (('title = "Example"', 'title = "  "'), "title", "empty"),
        ],
    )
    def test_bad_values_are_refused_at_their_place(
        self, change: tuple[str, str], place: str, value: str
    ) -> None:
        """A value a field does not accept is refused at its place, naming it."""
        problem = only_problem(BASE.replace(*change))
        assert (NAME, place) == (problem.file, problem.place)
        assert value in problem.message

    @pytest.mark.parametrize(
        ("line", "place", "value"),
        [
            ('stance = "maybe"', "propositions[0].claims[0].stance", "'maybe'"),
            ('certainty = "sure"', "propositions[0].claims[0].certainty", "'sure'"),
            ('url = "ftp://x"', "propositions[0].claims[0].url", "'ftp://x'"),
            ('via = ["afp", "afp"]', "propositions[0].claims[0].via[1]", "'afp'"),
            ('via = ["Bad Id"]', "propositions[0].claims[0].via[0]", "'Bad Id'"),
        ],
    )
    def test_bad_claim_values_are_refused_at_their_place(
        self, line: str, place: str, value: str
    ) -> None:
        """A claim's bad stance, certainty, URL or relay is refused at its place."""
        text = BASE.replace('  via = ["afp"]\n', "") + f"  {line}\n"
        problem = only_problem(text)
        assert (NAME, place) == (problem.file, problem.place)
        assert value in problem.message

    @pytest.mark.parametrize(
        ("lines", "place", "value"),
        [
            ("establish_at = 1.5", "policy.establish_at", "1.5"),
            ("min_independent = 1", "policy.min_independent", "1"),
            ("min_independent = 2.0", "policy.min_independent", "2.0"),
            ('min_reliability = "G"', "policy.min_reliability", "'G'"),
            ("public_record = 1", "policy.public_record", "1"),
            ("[policy.reliability_p]\nA = 2", "policy.reliability_p.A", "2"),
            ("[policy.reliability_p]\nG = 0.7", "policy.reliability_p", "'G'"),
            ("[policy.hedging]\nsure = 0.7", "policy.hedging", "'sure'"),
        ],
    )
    def test_bad_policy_values_are_refused_at_their_place(
        self, lines: str, place: str, value: str
    ) -> None:
        """A policy setting out of range or of the wrong type is refused at its place."""
        problem = only_problem(BASE + f"[policy]\n{lines}\n")
        assert (NAME, place) == (problem.file, problem.place)
        assert value in problem.message

    def test_policy_must_be_a_table(self) -> None:
        """policy = 3 is refused at policy."""
        problem = only_problem("policy = 3\n" + BASE)
        assert ("policy", "expected a table, got 3") == (problem.place, problem.message)

    def test_every_problem_is_reported_at_once(self) -> None:
        """Problems in several places are all reported in one error, each naming the file."""
        text = BASE.replace('reliability = "E"', 'reliability = "G"\nextra = 1')
        text = text.replace('name = "Agence France-Presse"\n', "")
        text += '  stance = "maybe"\n[policy]\nestablish_at = 2\n'
        problems = problems_of(text)
        places = {problem.place for problem in problems}
        expected = {
            "sources[0].reliability",
            "sources[0]",
            "sources[1]",
            "propositions[0].claims[0].stance",
            "policy.establish_at",
        }
        assert expected == places
        assert {NAME} == {problem.file for problem in problems}
        with pytest.raises(LedgerError) as info:
            loads(text, "toml", name=NAME)
        assert f"(and {len(problems) - 1} more problems)" in str(info.value)


class TestIntegrity:
    def test_misspelt_claim_source_suggests_the_nearest_id(self) -> None:
        """A claim naming an unknown source is refused, with the nearest id."""
        problem = only_problem(BASE.replace('source = "kcna"', 'source = "kcn"'))
        expected = (
            f"{NAME}:23:12: propositions 'visit' claims[0].source:"
            " no source 'kcn' (did you mean 'kcna'?)"
        )
        assert expected == str(problem)

    def test_places_follow_nesting_in_the_file(self) -> None:
        """A claim's place counts within its proposition, not across the ledger."""
        text = BASE + '[[propositions]]\nid = "p2"\ntext = "Two."\n'
        text += '  [[propositions.claims]]\n  source = "afp"\n'
        text += '  [[propositions.claims]]\n  source = "ap"\n'
        problem = only_problem(text)
        assert "propositions[1].claims[1].source" == problem.place

    def test_unknown_relay_is_refused(self) -> None:
        """A relay chain naming an unknown source is refused at its index."""
        problem = only_problem(BASE.replace('via = ["afp"]', 'via = ["afp", "reuter"]'))
        assert "propositions[0].claims[0].via[1]" == problem.place
        assert "'reuter'" in problem.message

    def test_unknown_dependency_is_refused(self) -> None:
        """depends_on naming an unknown source is refused, with the nearest id."""
        text = BASE.replace('kind = "wire"', 'kind = "wire"\ndepends_on = ["kcan"]')
        problem = only_problem(text)
        assert "sources[1].depends_on[0]" == problem.place
        assert "no source 'kcan' (did you mean 'kcna'?)" == problem.message

    def test_dependency_on_a_later_source_is_allowed(self) -> None:
        """A source may depend on one listed after it."""
        text = BASE.replace('affiliation = "DPRK"', 'affiliation = "DPRK"\ndepends_on = ["afp"]')
        assert ("afp",) == loads(text, "toml").source("kcna").depends_on

    def test_self_dependency_is_refused(self) -> None:
        """A source that depends on itself is refused."""
        text = BASE.replace('kind = "wire"', 'kind = "wire"\ndepends_on = ["afp"]')
        problem = only_problem(text)
        assert "sources[1].depends_on" == problem.place
        assert "'afp'" in problem.message

    def test_duplicate_source_id_is_refused_and_later_sources_still_count(self) -> None:
        """A duplicate source id is reported once; claims naming later sources are not."""
        text = BASE.replace('id = "afp"', 'id = "kcna"')
        text = text.replace(
            "[[propositions]]", '[[sources]]\nid = "ap"\nname = "AP"\n\n[[propositions]]'
        )
        text = text.replace('via = ["afp"]', 'via = ["ap"]')
        problem = only_problem(text)
        assert ("sources[1].id", "duplicate source id 'kcna'") == (problem.place, problem.message)

    def test_duplicate_proposition_id_is_refused(self) -> None:
        """A duplicate proposition id is reported at the second one."""
        text = BASE + '[[propositions]]\nid = "visit"\ntext = "Again."\n'
        problem = only_problem(text)
        assert ("propositions[1].id", "duplicate proposition id 'visit'") == (
            problem.place,
            problem.message,
        )

    def test_relay_chain_naming_the_claims_own_source_is_refused(self) -> None:
        """A claim relayed through its own source is refused."""
        problem = only_problem(BASE.replace('via = ["afp"]', 'via = ["kcna"]'))
        assert "propositions[0].claims[0].via" == problem.place
        assert "'kcna'" in problem.message

    def test_withdrawal_before_saying_is_refused(self) -> None:
        """withdrawn_on before said_on is refused, naming both dates."""
        problem = only_problem(BASE + "  withdrawn_on = 2024-03-01\n")
        assert "propositions[0].claims[0].withdrawn_on" == problem.place
        assert "2024-03-01" in problem.message
        assert "2024-03-28" in problem.message

    def test_broken_source_is_not_also_reported_as_missing(self) -> None:
        """Claims naming a source that failed to load are not reported as dangling too."""
        problem = only_problem(BASE.replace('reliability = "E"', 'reliability = "G"'))
        assert "sources[0].reliability" == problem.place

    def test_integrity_problems_are_reported_with_field_problems(self) -> None:
        """A bad value and a dangling reference elsewhere are reported together."""
        text = BASE.replace('reliability = "B"', 'reliability = "Z"')
        text = text.replace('source = "kcna"', 'source = "kcn"')
        places = {problem.place for problem in problems_of(text)}
        assert {"sources[1].reliability", "propositions[0].claims[0].source"} == places

    def test_claims_under_a_broken_proposition_are_still_checked(self) -> None:
        """A bad proposition id does not hide the problems of its claims."""
        text = BASE.replace('id = "visit"', 'id = "Visit"') + '  stance = "maybe"\n'
        places = {problem.place for problem in problems_of(text)}
        assert {"propositions[0].id", "propositions[0].claims[0].stance"} == places


def big_ledger(title: str, propositions: int) -> Ledger:
    """A ledger large enough that writing it takes a while."""
    sources = [Source(f"s{i}", f"Source {i}", reliability="ABCDEF"[i % 6]) for i in range(40)]
    return Ledger.from_objects(
        sources,
        [
            Proposition(f"p{i}", f"Proposition {i} of {title}. " + "x" * 200)
            for i in range(propositions)
        ],
        [
            Claim(f"p{i}", f"s{(i + k) % 40}", via=[f"s{(i + k + 1) % 40}"], quote="q" * 200)
            for i in range(propositions)
            for k in range(3)
        ],
        title=title,
    )


def temporaries(directory: Path, name: str) -> list[Path]:
    """The temporary files of saves of `name` in `directory`."""
    return sorted(directory.glob(f".{name}.*.tmp"))


class TestSave:
    def test_save_replaces_the_file(self, tmp_path: Path) -> None:
        """A second save replaces the first and leaves no temporary file."""
        path = tmp_path / "ledger.toml"
        save(example_ledger(), path)
        other = example_ledger().rebuild(title="Another title")
        save(other, path)
        assert other == load(path)
        assert [] == temporaries(tmp_path, "ledger.toml")
        assert dumps(other, "toml") == path.read_text(encoding="utf-8")

    def test_save_keeps_the_permission_bits(self, tmp_path: Path) -> None:
        """An existing file keeps its mode."""
        path = tmp_path / "ledger.json"
        save(example_ledger(), path)
        path.chmod(0o640)
        save(example_ledger(), path)
        assert 0o640 == stat.S_IMODE(path.stat().st_mode)

    @pytest.mark.skipif(os.name != "posix", reason="umask is POSIX")
    def test_new_file_follows_the_umask(self, tmp_path: Path) -> None:
        """A new file gets the mode an ordinary new file would get (not 0600)."""
        old = os.umask(0o027)
        try:
            save(example_ledger(), tmp_path / "ledger.toml")
        finally:
            os.umask(old)
        assert 0o640 == stat.S_IMODE((tmp_path / "ledger.toml").stat().st_mode)

    @pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
    def test_save_through_a_symbolic_link_keeps_the_link(self, tmp_path: Path) -> None:
        """Saving to a link writes the file it points to; the link stays a link."""
        real = tmp_path / "real.toml"
        link = tmp_path / "link.toml"
        save(Ledger(title="Old"), real)
        link.symlink_to(real)
        save(example_ledger(), link)
        assert link.is_symlink()
        assert example_ledger() == load(real)

    def test_save_refuses_a_directory(self, tmp_path: Path) -> None:
        """A directory in the way is not replaced."""
        path = tmp_path / "ledger.toml"
        path.mkdir()
        with pytest.raises(LedgerError) as info:
            save(example_ledger(), path)
        assert (str(path), True) == (info.value.problems[0].file, "directory" in str(info.value))
        assert path.is_dir()

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_save_refuses_a_named_pipe(self, tmp_path: Path) -> None:
        """A FIFO in the way is not replaced."""
        path = tmp_path / "ledger.toml"
        os.mkfifo(path)
        with pytest.raises(LedgerError, match="named pipe"):
            save(example_ledger(), path)
        assert stat.S_ISFIFO(path.stat().st_mode)

    @pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
    def test_save_refuses_a_device(self) -> None:
        """A character device is not replaced."""
        with pytest.raises(LedgerError, match="character device"):
            save(example_ledger(), "/dev/null", format="toml")

    def test_save_into_a_missing_directory_is_a_ledger_error(self, tmp_path: Path) -> None:
        """A path whose directory does not exist is a LedgerError naming it."""
        path = tmp_path / "nowhere" / "ledger.toml"
        with pytest.raises(LedgerError) as info:
            save(example_ledger(), path)
        assert str(path) == info.value.problems[0].file

    @pytest.mark.parametrize("failing", ["replace", "fsync"])
    def test_failed_save_leaves_the_old_file_and_no_temporary(
        self, tmp_path: Path, monkeypatch: Any, failing: str
    ) -> None:
        """When writing fails midway the old file is byte for byte intact."""
        path = tmp_path / "ledger.toml"
        save(example_ledger(), path)
        before = path.read_bytes()

        def fail(*args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, failing, fail)
        with pytest.raises(LedgerError) as info:
            save(big_ledger("new", 50), path)
        monkeypatch.undo()
        assert "No space left on device" in str(info.value)
        assert before == path.read_bytes()
        assert [] == temporaries(tmp_path, "ledger.toml")

    def test_interrupted_save_cleans_up_and_lets_the_interrupt_through(
        self, tmp_path: Path, monkeypatch: Any
    ) -> None:
        """A KeyboardInterrupt during a save removes the temporary file and propagates."""
        path = tmp_path / "ledger.json"
        save(example_ledger(), path)
        before = path.read_bytes()

        def interrupt(*args: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "replace", interrupt)
        with pytest.raises(KeyboardInterrupt):
            save(Ledger(title="New"), path)
        monkeypatch.undo()
        assert before == path.read_bytes()
        assert [] == temporaries(tmp_path, "ledger.json")

    def test_unencodable_text_is_refused_before_writing(self, tmp_path: Path) -> None:
        """Text UTF-8 cannot encode (a lone surrogate) is refused and the old file kept."""
        path = tmp_path / "ledger.toml"
        save(example_ledger(), path)
        before = path.read_bytes()
        with pytest.raises(LedgerError, match="UTF-8"):
            save(Ledger(title="bad \ud800"), path)
        assert before == path.read_bytes()

    def test_stale_temporaries_of_dead_processes_are_removed(self, tmp_path: Path) -> None:
        """A temporary left by a process that no longer runs is removed by the next save."""
        process = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        dead = int(process.stdout)
        stale = tmp_path / f".ledger.toml.{dead}.{'0' * 16}.tmp"
        stale.write_text("half a ledger", encoding="utf-8")
        save(example_ledger(), tmp_path / "ledger.toml")
        assert not stale.exists()

    def test_old_temporaries_are_removed_and_fresh_ones_of_live_processes_kept(
        self, tmp_path: Path
    ) -> None:
        """A temporary older than a minute goes; a fresh one of a live process, or of
        another file, stays."""
        mine = os.getpid()
        old = tmp_path / f".ledger.toml.{mine}.{'1' * 16}.tmp"
        fresh = tmp_path / f".ledger.toml.{mine}.{'2' * 16}.tmp"
        other = tmp_path / f".other.toml.{1}.{'3' * 16}.tmp"
        for path in (old, fresh, other):
            path.write_text("x", encoding="utf-8")
        an_hour_ago = time.time() - 3600
        os.utime(old, (an_hour_ago, an_hour_ago))
        save(example_ledger(), tmp_path / "ledger.toml")
        assert (False, True, True) == (old.exists(), fresh.exists(), other.exists())


class TestLines:
    def test_a_problem_names_its_line_and_the_proposition_id(self) -> None:
        """A bad value is reported at its line and column, with the proposition named by id."""
        problem = only_problem(BASE + '  stance = "rejects"\n')
        expected = (
            f"{NAME}:26:12: propositions 'visit' claims[0].stance:"
            " 'rejects' is not a stance (asserts, denies)"
        )
        assert expected == str(problem)
        assert ("propositions[0].claims[0].stance", 26, 12) == (
            problem.place,
            problem.line,
            problem.column,
        )

    def test_problems_come_in_file_order(self) -> None:
        """Problems are listed by line, whatever step found them."""
        text = BASE.replace('source = "kcna"', 'source = "kcn"')
        text = text.replace('reliability = "B"', 'reliability = "G"')
        text = text.replace('title = "Example"', "title = 3")
        lines = [problem.line for problem in problems_of(text)]
        assert [1, 15, 23] == lines

    def test_an_impossible_date_says_it_is_not_a_date(self) -> None:
        """2023-10-32 is reported as not a date at its key, not as a syntax error."""
        problem = only_problem(BASE.replace("2024-03-28", "2023-10-32"))
        expected = (
            f"{NAME}:25:13: propositions 'visit' claims[0].said_on:"
            " '2023-10-32' is not a date (YYYY-MM-DD)"
        )
        assert expected == str(problem)

    def test_a_date_inside_a_string_is_not_blamed(self) -> None:
        """A syntax error on a line whose only impossible date is quoted keeps tomllib's message."""
        problem = only_problem(BASE + '  quote = "2023-10-32" x\n')
        assert problem.place is not None and problem.place.startswith("line 26")

    def test_headers_inside_multiline_strings_are_not_tables(self) -> None:
        """A table header inside a multi-line string does not shift the places that follow."""
        text = BASE.replace(
            'name = "Agence France-Presse"',
            'name = """Agence\n[[sources]]\nid = "x"\n"""',
        ).replace('source = "kcna"', 'source = "kcn"')
        problem = only_problem(text)
        assert (26, "propositions 'visit' claims[0].source") == (problem.line, problem.shown)

    def test_json_problems_keep_their_places(self) -> None:
        """A JSON file's problems name their place in the tree, without a line."""
        ledger = json.loads(dumps(loads(BASE, "toml"), "json"))
        ledger["sources"][0]["reliability"] = "G"
        problem = only_problem(json.dumps(ledger), "json")
        assert ("sources[0].reliability", None) == (problem.place, problem.line)
