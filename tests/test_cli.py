"""Tests for the ``provenance`` command.

Parsing and output are tested in process, through `main` with captured
streams; a few end-to-end tests run the command as a real process
(``python -m provenance``) for what only a process shows: its exit status,
standard output that is a pipe or ``/dev/stdout``, a reader that goes away.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import claims
import provenance.cli
from provenance import Claim, Ledger, Proposition, Source, merge
from provenance.cli import main
from provenance.errors import LedgerError

__all__: list[str] = []

ROOT = Path(__file__).resolve().parent.parent
SEED = claims.path("svr-pyongyang")
LEDGER_A = """\
title = "Day one"
as_of = 2024-03-28
lang = "fr"

[[sources]]
id = "afp"
name = "AFP"
kind = "wire"
reliability = "B"

[[sources]]
id = "kcna"
name = "KCNA"
kind = "state-media"
affiliation = "DPRK"
reliability = "E"

[[propositions]]
id = "summit"
text = "Putin and Kim met in September 2023."
about = ["DPRK", "Russia"]

  [[propositions.claims]]
  source = "afp"
  quote = "Un sommet a eu lieu."
"""

LEDGER_B = """\
title = "Day two"
lang = "en"

[[sources]]
id = "reuters"
name = "Reuters"
kind = "wire"
reliability = "B"

[[sources]]
id = "afp"
name = "AFP"
kind = "wire"
reliability = "{afp_grade}"

[[propositions]]
id = "summit"
text = "Putin and Kim met in September 2023."
about = ["DPRK", "Russia"]

  [[propositions.claims]]
  source = "reuters"
  quote = "A summit took place."
"""


@attrs.frozen
class Result:
    """What one run of the command gave: its exit status and its two streams."""

    status: int
    out: str
    err: str

    def one_line_error(self) -> str:
        """The one line written to stderr; asserts it is one line and no traceback."""
        assert "Traceback" not in self.err
        assert 1 == len(self.err.strip().splitlines()), self.err
        return self.err.strip()


Invoke = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run the command in process: ``cli("report", "--width", "90", stdin=...)``."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")

    def invoke(*args: str, stdin: str | bytes = b"") -> Result:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        capsys.readouterr()
        status = main(list(args))
        out, err = capsys.readouterr()
        return Result(status, out, err)

    return invoke


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the command in a fresh Python process; return the completed process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "provenance", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


@pytest.fixture
def two_days(tmp_path: Path) -> tuple[Path, Path]:
    """Two ledgers on one story that agree on their shared definitions."""
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text(LEDGER_A, encoding="utf-8")
    b.write_text(LEDGER_B.format(afp_grade="B"), encoding="utf-8")
    return a, b


class TestEndToEnd:
    def test_seed_report_by_default(self) -> None:
        """Without a ledger, the command run as a process reports on the seed ledger."""
        process = run("report")
        assert (0, b"") == (process.returncode, process.stderr)
        title = claims.load("svr-pyongyang").title
        assert title is not None
        assert process.stdout.decode("utf-8").startswith(title)

    def test_bad_input_is_one_line_and_status_2(self, tmp_path: Path) -> None:
        """A broken ledger makes the process exit 2 with one line naming file and place."""
        bad = tmp_path / "bad.toml"
        bad.write_text(LEDGER_A.replace('source = "afp"', 'source = "afx"'), encoding="utf-8")
        process = run("report", str(bad))
        err = process.stderr.decode("utf-8")
        assert 2 == process.returncode
        expected = (
            f"provenance: {bad}:24:12: propositions 'summit' claims[0].source:"
            " no source 'afx' (did you mean 'afp'?)"
        )
        assert [expected] == err.splitlines()

    def test_stdin_of_a_process(self) -> None:
        """'-' reads the ledger from the process's standard input."""
        process = run("report", "-", "--format", "json", stdin=SEED.read_bytes())
        assert 0 == process.returncode, process.stderr
        assert claims.load("svr-pyongyang").title == json.loads(process.stdout)["title"]

    def test_to_dev_stdout(self) -> None:
        """-o /dev/stdout writes straight through to standard output."""
        process = run("report", "--format", "json", "-o", "/dev/stdout")
        assert 0 == process.returncode, process.stderr
        assert "2024-03-28" == json.loads(process.stdout)["as_of"]

    def test_closed_pipe_is_quiet(self) -> None:
        """When the reader goes away, the command stops quietly."""
        process = subprocess.Popen(
            [sys.executable, "-m", "provenance", "report", "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        err = process.stderr.read()
        process.stderr.close()
        assert provenance.cli.BROKEN_PIPE == process.wait(timeout=60)
        assert b"" == err


class TestReport:
    def test_html_page_carries_the_graph_unless_asked_not_to(self, cli: Invoke) -> None:
        """An html report embeds the graph where Graphviz is installed; --no-graph leaves it out."""
        if shutil.which("dot") is None and not os.environ.get("CI"):
            pytest.skip("Graphviz's dot is not installed")
        with_graph = cli("report", "--format", "html")
        without = cli("report", "--format", "html", "--no-graph")
        assert (0, 0) == (with_graph.status, without.status)
        assert '<section id="graph">' in with_graph.out
        assert "<svg" in with_graph.out
        assert '<section id="graph">' not in without.out

    def test_seed_report_by_default(self, cli: Invoke) -> None:
        """Without a ledger, the command reports on the shipped seed ledger."""
        result = cli("report")
        assert (0, "") == (result.status, result.err)
        title = claims.load("svr-pyongyang").title
        assert title is not None
        assert result.out.startswith(title)

    def test_same_as_render(self, cli: Invoke) -> None:
        """The report printed is the report `render` makes, for the same width."""
        from provenance import assess
        from provenance.report import render

        result = cli("report", "--width", "90", "--format", "grid")
        expected = render(assess(claims.load("svr-pyongyang")), "grid", width=90) + "\n"
        assert expected == result.out

    @pytest.mark.parametrize("name", claims.names())
    def test_every_shipped_ledger_by_name(self, cli: Invoke, name: str) -> None:
        """Each shipped ledger can be reported on by its name."""
        result = cli("report", name, "--format", "json")
        assert 0 == result.status, result.err
        assert claims.load(name).title == json.loads(result.out)["title"]

    def test_path(self, cli: Invoke) -> None:
        """A ledger can be given by its path."""
        result = cli("report", str(SEED), "--format", "json")
        assert 0 == result.status
        assert 14 <= len(json.loads(result.out)["propositions"])

    @pytest.mark.parametrize("options", [[], ["--input-format", "toml"]])
    def test_toml_on_stdin(self, cli: Invoke, options: list[str]) -> None:
        """'-' reads a ledger from standard input, its format guessed or given."""
        result = cli("report", "-", *options, "--format", "json", stdin=SEED.read_bytes())
        assert 0 == result.status, result.err
        assert claims.load("svr-pyongyang").title == json.loads(result.out)["title"]

    def test_json_on_stdin(self, cli: Invoke) -> None:
        """A JSON ledger on standard input is recognised."""
        from provenance import dumps

        document = dumps(claims.load("svr-pyongyang"), "json")
        result = cli("report", "-", "--format", "json", stdin=document)
        assert 0 == result.status, result.err
        assert 16 == len(json.loads(result.out)["sources"])

    def test_policy_options(self, cli: Invoke) -> None:
        """Policy options change the verdicts and the policy shown."""
        data = json.loads(cli("report", "--min-independent", "4", "--format", "json").out)
        assert 4 == data["policy"]["min_independent"]
        summit = next(p for p in data["propositions"] if p["id"] == "putin-kim-summit-2023-09")
        assert "reported" == summit["status"]

    def test_as_of(self, cli: Invoke) -> None:
        """--as-of sets the date the report is as of."""
        result = cli("report", "--as-of", "2023-01-01", "--format", "json")
        assert "2023-01-01" == json.loads(result.out)["as_of"]

    def test_quotes(self, cli: Invoke) -> None:
        """--quotes adds the claims' words."""
        assert "Narychkine" not in cli("report", "--format", "github").out
        assert "Narychkine" in cli("report", "--format", "github", "--quotes").out

    def test_width(self, cli: Invoke) -> None:
        """--width wraps the tables to that many columns."""
        lines = cli("report", "--width", "90").out.splitlines()
        assert 90 >= max(map(len, lines))


class TestMerge:
    def test_two_ledgers_merge(self, cli: Invoke, two_days: tuple[Path, Path]) -> None:
        """Claims from two ledgers combine: two wire services establish the summit."""
        a, b = two_days
        alone = json.loads(cli("report", str(a), "--format", "json").out)
        merged = json.loads(cli("report", str(a), str(b), "--format", "json").out)
        assert "reported" == alone["propositions"][0]["status"]
        assert "established" == merged["propositions"][0]["status"]
        assert "Day one" == merged["title"]
        assert ["afp", "kcna", "reuters"] == [s["id"] for s in merged["sources"]]

    def test_quotes_keep_their_language(self, cli: Invoke, two_days: tuple[Path, Path]) -> None:
        """A quote from a ledger in another language keeps that language."""
        merged = json.loads(cli("report", *map(str, two_days), "--format", "json").out)
        assert ["fr", "en"] == [c["lang"] for c in merged["propositions"][0]["claims"]]

    def test_conflicting_definitions(
        self, cli: Invoke, tmp_path: Path, two_days: tuple[Path, Path]
    ) -> None:
        """A source defined differently in two ledgers is an error naming both places."""
        a, _ = two_days
        b = tmp_path / "b2.toml"
        b.write_text(LEDGER_B.format(afp_grade="C"), encoding="utf-8")
        result = cli("report", str(a), str(b))
        assert 2 == result.status
        line = result.one_line_error()
        assert f"{b}:10: sources 'afp': source 'afp' differs from {a}: sources[0]" in line
        assert "reliability" in line

    def test_merge_function(self) -> None:
        """merge concatenates claims and keeps the first ledger's metadata."""
        afp = Source("afp", "AFP", reliability="B")
        reuters = Source("reuters", "Reuters", reliability="B")
        summit = Proposition("summit", "A summit took place.")
        one = Ledger.from_objects([afp], [summit], [Claim("summit", "afp")], title="One")
        two = Ledger.from_objects(
            [reuters, afp], [summit], [Claim("summit", "reuters")], title="Two"
        )
        merged = merge([("one.toml", one), ("two.toml", two)])
        assert "One" == merged.title
        assert ["afp", "reuters"] == [c.source for c in merged.claims]

    def test_merge_conflicting_proposition(self) -> None:
        """A proposition defined twice with different texts names both places."""
        one = Ledger.from_objects([], [Proposition("p", "One text.")])
        two = Ledger.from_objects([], [Proposition("q", "Q."), Proposition("p", "Other.")])
        with pytest.raises(LedgerError) as caught:
            merge([("one.toml", one), ("two.toml", two)])
        assert (
            "two.toml: propositions[1]: proposition 'p' differs from"
            " one.toml: propositions[0] (text)"
        ) == str(caught.value)


class TestOutput:
    def test_to_a_new_file(self, cli: Invoke, tmp_path: Path) -> None:
        """-o writes the report to a file, and nothing to stdout."""
        out = tmp_path / "report.md"
        result = cli("report", "--format", "github", "-o", str(out))
        assert (0, "") == (result.status, result.out)
        assert cli("report", "--format", "github").out == out.read_text("utf-8")
        assert ["report.md"] == os.listdir(tmp_path)

    def test_replaces_a_file_keeping_its_mode(self, cli: Invoke, tmp_path: Path) -> None:
        """An existing file is replaced whole and keeps its permission bits."""
        out = tmp_path / "report.txt"
        out.write_text("old", encoding="utf-8")
        out.chmod(0o640)
        before = out.stat().st_ino
        assert 0 == cli("report", "-o", str(out)).status
        assert out.read_text("utf-8").startswith("Russian intelligence chief")
        assert 0o640 == stat.S_IMODE(out.stat().st_mode)
        assert before != out.stat().st_ino  # a new file took its place: the write was atomic
        assert ["report.txt"] == os.listdir(tmp_path)

    def test_through_a_symbolic_link(self, cli: Invoke, tmp_path: Path) -> None:
        """A link to a file stays a link; the file it names is replaced."""
        target = tmp_path / "real.txt"
        target.write_text("old", encoding="utf-8")
        link = tmp_path / "link.txt"
        link.symlink_to(target)
        assert 0 == cli("report", "-o", str(link)).status
        assert link.is_symlink()
        assert target.read_text("utf-8").startswith("Russian intelligence chief")

    def test_to_a_named_pipe(self, cli: Invoke, tmp_path: Path) -> None:
        """A named pipe is written to, never replaced by a file."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
        reader.start()
        result = cli("report", "--format", "json", "-o", str(fifo))
        reader.join(timeout=60)
        assert 0 == result.status, result.err
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert "2024-03-28" == json.loads(received[0])["as_of"]

    def test_unwritable(self, cli: Invoke, tmp_path: Path) -> None:
        """A file that cannot be written is a one-line error naming it."""
        out = tmp_path / "missing-directory" / "report.txt"
        result = cli("report", "-o", str(out))
        assert 2 == result.status
        expected = f"provenance: cannot write {out}: No such file or directory"
        assert expected == result.one_line_error()


class TestBadInput:
    def test_missing_file(self, cli: Invoke) -> None:
        """A file that does not exist is a one-line error naming it."""
        result = cli("report", "no-such-file.toml")
        assert 2 == result.status
        line = result.one_line_error()
        assert line.startswith("provenance: no-such-file.toml: cannot read")
        assert "No such file or directory" in line

    def test_unknown_ledger_name(self, cli: Invoke) -> None:
        """A name that is neither a file nor a shipped ledger gets a suggestion."""
        result = cli("report", "svr-pyongyan")
        assert 2 == result.status
        assert "did you mean 'svr-pyongyang'?" in result.one_line_error()

    def test_invalid_ledger_names_file_and_place(self, cli: Invoke, tmp_path: Path) -> None:
        """A broken ledger is reported with its file and the place in it."""
        bad = tmp_path / "bad.toml"
        bad.write_text(LEDGER_A.replace('source = "afp"', 'source = "afx"'), encoding="utf-8")
        result = cli("report", str(bad))
        assert 2 == result.status
        line = result.one_line_error()
        place = "propositions 'summit' claims[0].source"
        expected = f"provenance: {bad}:24:12: {place}: no source 'afx'"
        assert expected in line

    def test_unknown_format(self, cli: Invoke) -> None:
        """An unknown format is a usage error."""
        result = cli("report", "--format", "githib")
        assert 2 == result.status
        assert "did you mean 'github'?" in result.one_line_error()

    def test_unsafe_html_refused(self, cli: Invoke) -> None:
        """tabulate's unescaped html format is refused."""
        assert 2 == cli("report", "--format", "unsafehtml").status

    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--as-of", "2024-13-01", "'2024-13-01' is not a date"),
            ("--establish-at", "1.5", "--establish-at: 1.5 is not in (0.5, 1)"),
            ("--min-independent", "1", "--min-independent: 1 is below 2"),
            ("--min-reliability", "G", "'G' is not an Admiralty grade"),
            ("--width", "0", "'0' is not a positive whole number"),
        ],
    )
    def test_bad_option_values(self, cli: Invoke, option: str, value: str, message: str) -> None:
        """A bad option value is one line on stderr, exit status 2."""
        result = cli("report", option, value)
        assert 2 == result.status
        assert message in result.one_line_error()

    def test_stdin_twice(self, cli: Invoke) -> None:
        """Standard input cannot be read twice."""
        result = cli("report", "-", "-", stdin="")
        assert 2 == result.status
        assert "only once" in result.one_line_error()

    def test_file_without_a_known_suffix(self, cli: Invoke, tmp_path: Path) -> None:
        """A file whose name does not say its format needs --input-format."""
        ledger = tmp_path / "ledger.txt"
        ledger.write_text(LEDGER_A, encoding="utf-8")
        assert "--input-format" in cli("report", str(ledger)).one_line_error()
        result = cli("report", str(ledger), "--input-format", "toml", "--format", "json")
        assert "Day one" == json.loads(result.out)["title"]

    def test_hostile_text_in_an_error_message(self, cli: Invoke, tmp_path: Path) -> None:
        """Text from a file reaches the terminal escaped, even in an error message."""
        bad = tmp_path / "bad.toml"
        bad.write_text(
            LEDGER_A.replace('source = "afp"', 'source = "afp"\n  stance = "\\u001b[2J"'),
            encoding="utf-8",
        )
        result = cli("report", str(bad))
        assert 2 == result.status
        assert "\x1b" not in result.one_line_error()


class TestCheck:
    def test_valid(self, cli: Invoke, two_days: tuple[Path, Path]) -> None:
        """Valid ledgers are each reported ok, and the status is 0."""
        a, b = two_days
        result = cli("check", "--each", str(a), str(b), "svr-pyongyang")
        assert 0 == result.status
        assert [
            f"{a}: ok: 2 sources, 1 proposition, 1 claim",
            f"{b}: ok: 2 sources, 1 proposition, 1 claim",
            "svr-pyongyang.toml: ok: 16 sources, 14 propositions, 33 claims",
        ] == result.out.splitlines()

    def test_every_problem_one_per_line(
        self, cli: Invoke, tmp_path: Path, two_days: tuple[Path, Path]
    ) -> None:
        """Every problem of an invalid ledger is printed as 'file:line:column: place: message'."""
        bad = tmp_path / "bad.toml"
        broken = LEDGER_A.replace('source = "afp"', 'source = "afx"')
        broken = broken.replace('reliability = "E"', 'reliability = "G"')
        bad.write_text(broken, encoding="utf-8")
        result = cli("check", str(two_days[0]), str(bad))
        assert 2 == result.status
        lines = result.out.splitlines()
        assert lines[0].endswith("ok: 2 sources, 1 proposition, 1 claim")
        problems = lines[1:]
        assert 2 <= len(problems)
        assert [
            f"{bad}:16:15: sources 'kcna' reliability:"
            " 'G' is not an Admiralty reliability grade (A-F)",
            f"{bad}:24:12: propositions 'summit' claims[0].source:"
            " no source 'afx' (did you mean 'afp'?)",
        ] == problems

    def test_ledgers_are_merged_unless_checked_each_on_its_own(
        self, cli: Invoke, two_days: tuple[Path, Path]
    ) -> None:
        """Without --each, the ledgers are checked as one story, as report reads them."""
        a, b = two_days
        result = cli("check", str(a), str(b), "svr-pyongyang")
        assert 2 == result.status
        assert "source 'reuters' differs from" in result.out.splitlines()[-1]
        assert 0 == cli("check", str(a), str(b)).status

    def test_ledgers_that_cannot_merge_fail(
        self, cli: Invoke, tmp_path: Path, two_days: tuple[Path, Path]
    ) -> None:
        """check fails where report would: two ledgers defining a source differently."""
        a, _ = two_days
        b = tmp_path / "b2.toml"
        b.write_text(LEDGER_B.format(afp_grade="C"), encoding="utf-8")
        result = cli("check", str(a), str(b))
        assert 2 == result.status
        assert 2 == cli("report", str(a), str(b)).status
        line = result.out.splitlines()[-1]
        assert line.startswith(f"{b}:")
        assert f"source 'afp' differs from {a}: sources[0] (reliability)" in line

    def test_a_misspelt_party_is_a_warning(self, cli: Invoke, tmp_path: Path) -> None:
        """A party one slip from a source's affiliation is warned of on stderr; the status is 0."""
        path = tmp_path / "story.toml"
        path.write_text(LEDGER_A.replace('about = ["DPRK"', 'about = ["DRPK"'), encoding="utf-8")
        result = cli("check", str(path))
        assert 0 == result.status
        expected = (
            f"warning: {path}:21:9: propositions 'summit' about[0]:"
            " 'DRPK' is no source's affiliation (did you mean 'DPRK'?)"
        )
        assert [expected] == result.err.splitlines()
        report = cli("report", str(path), "--format", "json")
        assert (0, [expected]) == (report.status, report.err.splitlines())

    def test_strict_makes_warnings_errors(self, cli: Invoke, tmp_path: Path) -> None:
        """check --strict fails on a warning."""
        path = tmp_path / "story.toml"
        path.write_text(LEDGER_A.replace('about = ["DPRK"', 'about = ["DRPK"'), encoding="utf-8")
        assert 2 == cli("check", "--strict", str(path)).status
        assert 0 == cli("check", "--strict", "svr-pyongyang").status

    def test_missing_file(self, cli: Invoke) -> None:
        """A file that cannot be read fails the check."""
        result = cli("check", "no-such-file.toml")
        assert 2 == result.status
        assert "no-such-file.toml: cannot read" in result.out


class TestExplain:
    def test_trace(self, cli: Invoke) -> None:
        """explain prints the trace of one verdict."""
        result = cli("explain", "svr-pyongyang", "putin-kim-summit-2023-09")
        assert 0 == result.status
        assert result.out.startswith("putin-kim-summit-2023-09: ")
        assert "status: established" in result.out

    def test_policy_options(self, cli: Invoke) -> None:
        """explain applies the policy options."""
        options = ("--min-independent", "4")
        result = cli("explain", "svr-pyongyang", "putin-kim-summit-2023-09", *options)
        assert "status: reported" in result.out

    def test_unknown_proposition(self, cli: Invoke) -> None:
        """An unknown proposition id is a one-line error naming the ledger."""
        result = cli("explain", "svr-pyongyang", "no-such-id")
        assert 2 == result.status
        assert "svr-pyongyang.toml: no proposition 'no-such-id'" in result.one_line_error()


class TestListVersionHelp:
    def test_list(self, cli: Invoke) -> None:
        """list names each shipped ledger with its title."""
        lines = cli("list").out.splitlines()
        expected = [(name, claims.load(name).title) for name in claims.names()]
        assert expected == [tuple(line.split(maxsplit=1)) for line in lines]

    def test_version(self, cli: Invoke) -> None:
        """--version prints the command's name and version."""
        result = cli("--version")
        assert 0 == result.status
        assert result.out.startswith("provenance ")

    @pytest.mark.parametrize("command", [[], ["report"], ["check"], ["explain"], ["list"]])
    def test_help_with_examples(self, cli: Invoke, command: list[str]) -> None:
        """Every command has --help, with examples."""
        result = cli(*command, "--help")
        assert 0 == result.status
        assert "examples:" in result.out

    def test_no_command(self, cli: Invoke) -> None:
        """Without a command, the usage error is one line and the status 2."""
        result = cli()
        assert 2 == result.status
        assert "required" in result.one_line_error()


class TestInternalErrors:
    def test_short_message_without_traceback(
        self, cli: Invoke, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An unexpected error exits 1 with a short message and no traceback."""
        monkeypatch.setattr(provenance.cli, "render", _explode)
        result = cli("report")
        assert 1 == result.status
        assert "Traceback" not in result.err
        assert "provenance: internal error: RuntimeError: boom" in result.err

    def test_traceback_with_debug(self, cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
        """With --debug, an unexpected error shows its traceback."""
        monkeypatch.setattr(provenance.cli, "render", _explode)
        result = cli("--debug", "report")
        assert 1 == result.status
        assert "Traceback" in result.err

    def test_main_returns_the_status(self, capsys: pytest.CaptureFixture[str]) -> None:
        """main returns the exit status instead of exiting, for --help too."""
        assert 0 == main(["list"])
        assert 0 == main(["--help"])
        assert 2 == main(["report", "--width", "x"])
        assert "svr-pyongyang" in capsys.readouterr().out


def _explode(*args: object, **kwargs: object) -> str:
    raise RuntimeError("boom")
