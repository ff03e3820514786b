"""Tests for the ``provenance`` command, run as a real process (``python -m provenance``)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import claims
import provenance.cli
from provenance import Claim, Ledger, Proposition, Source
from provenance.cli import main, merge
from provenance.errors import LedgerError

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


def run(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None):
    """Run the command in a fresh Python process; return the completed process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "provenance", *args],
        input=data,
        capture_output=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=60,
    )


def text(stream: bytes) -> str:
    """A captured stream as text."""
    return stream.decode("utf-8")


def one_line_error(process) -> str:
    """The one line the command wrote to stderr; asserts it is one line and no traceback."""
    err = text(process.stderr)
    assert "Traceback" not in err
    assert 1 == len(err.strip().splitlines()), err
    return err.strip()


@pytest.fixture
def two_days(tmp_path: Path) -> tuple[Path, Path]:
    """Two ledgers on one story that agree on their shared definitions."""
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text(LEDGER_A, encoding="utf-8")
    b.write_text(LEDGER_B.format(afp_grade="B"), encoding="utf-8")
    return a, b


class TestReport:
    def test_seed_report_by_default(self):
        """Without a ledger, the command reports on the shipped seed ledger."""
        process = run("report")
        assert 0 == process.returncode
        assert b"" == process.stderr
        title = claims.load("svr-pyongyang").title
        assert text(process.stdout).startswith(title)

    def test_same_as_render(self):
        """The report printed is the report `render` makes, for the same width."""
        from provenance import assess
        from provenance.report import render

        process = run("report", "--width", "90", "--format", "grid")
        expected = render(assess(claims.load("svr-pyongyang")), "grid", width=90) + "\n"
        assert expected == text(process.stdout)

    @pytest.mark.parametrize("name", claims.names())
    def test_every_shipped_ledger_by_name(self, name):
        """Each shipped ledger can be reported on by its name."""
        process = run("report", name, "--format", "json")
        assert 0 == process.returncode, process.stderr
        assert claims.load(name).title == json.loads(process.stdout)["title"]

    def test_path(self):
        """A ledger can be given by its path."""
        process = run("report", str(SEED), "--format", "json")
        assert 0 == process.returncode
        assert 14 <= len(json.loads(process.stdout)["propositions"])

    @pytest.mark.parametrize("options", [[], ["--input-format", "toml"]])
    def test_toml_on_stdin(self, options):
        """'-' reads a ledger from standard input, its format guessed or given."""
        process = run("report", "-", *options, "--format", "json", stdin=SEED.read_bytes())
        assert 0 == process.returncode, process.stderr
        assert claims.load("svr-pyongyang").title == json.loads(process.stdout)["title"]

    def test_json_on_stdin(self):
        """A JSON ledger on standard input is recognised."""
        from provenance import dumps

        document = dumps(claims.load("svr-pyongyang"), "json")
        process = run("report", "-", "--format", "json", stdin=document)
        assert 0 == process.returncode, process.stderr
        assert 16 == len(json.loads(process.stdout)["sources"])

    def test_policy_options(self):
        """Policy options change the verdicts and the policy shown."""
        strict = run("report", "--min-independent", "4", "--format", "json")
        data = json.loads(strict.stdout)
        assert 4 == data["policy"]["min_independent"]
        summit = next(p for p in data["propositions"] if p["id"] == "putin-kim-summit-2023-09")
        assert "reported" == summit["status"]

    def test_as_of(self):
        """--as-of sets the date the report is as of."""
        process = run("report", "--as-of", "2023-01-01", "--format", "json")
        assert "2023-01-01" == json.loads(process.stdout)["as_of"]

    def test_quotes(self):
        """--quotes adds the claims' words."""
        assert "Narychkine" not in text(run("report", "--format", "github").stdout)
        assert "Narychkine" in text(run("report", "--format", "github", "--quotes").stdout)

    def test_width(self):
        """--width wraps the tables to that many columns."""
        lines = text(run("report", "--width", "90").stdout).splitlines()
        assert 90 >= max(map(len, lines))


class TestMerge:
    def test_two_ledgers_merge(self, two_days):
        """Claims from two ledgers combine: two wire services establish the summit."""
        a, b = two_days
        alone = json.loads(run("report", str(a), "--format", "json").stdout)
        merged = json.loads(run("report", str(a), str(b), "--format", "json").stdout)
        assert "reported" == alone["propositions"][0]["status"]
        assert "established" == merged["propositions"][0]["status"]
        assert "Day one" == merged["title"]
        assert ["afp", "kcna", "reuters"] == [s["id"] for s in merged["sources"]]

    def test_quotes_keep_their_language(self, two_days):
        """A quote from a ledger in another language keeps that language."""
        merged = json.loads(run("report", *map(str, two_days), "--format", "json").stdout)
        assert ["fr", "en"] == [c["lang"] for c in merged["propositions"][0]["claims"]]

    def test_conflicting_definitions(self, tmp_path, two_days):
        """A source defined differently in two ledgers is an error naming both places."""
        a, _ = two_days
        b = tmp_path / "b2.toml"
        b.write_text(LEDGER_B.format(afp_grade="C"), encoding="utf-8")
        process = run("report", str(a), str(b))
        assert 2 == process.returncode
        line = one_line_error(process)
        assert f"{b}: sources[1]" in line
        assert f"{a}: sources[0]" in line
        assert "reliability" in line

    def test_merge_function(self):
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

    def test_merge_conflicting_proposition(self):
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
    def test_to_a_new_file(self, tmp_path):
        """-o writes the report to a file, and nothing to stdout."""
        out = tmp_path / "report.md"
        process = run("report", "--format", "github", "-o", str(out))
        assert 0 == process.returncode
        assert b"" == process.stdout
        assert text(run("report", "--format", "github").stdout) == out.read_text("utf-8")
        assert ["report.md"] == os.listdir(tmp_path)

    def test_replaces_a_file_keeping_its_mode(self, tmp_path):
        """An existing file is replaced whole and keeps its permission bits."""
        out = tmp_path / "report.txt"
        out.write_text("old", encoding="utf-8")
        out.chmod(0o640)
        before = out.stat().st_ino
        assert 0 == run("report", "-o", str(out)).returncode
        assert out.read_text("utf-8").startswith("Russian intelligence chief")
        assert 0o640 == stat.S_IMODE(out.stat().st_mode)
        assert before != out.stat().st_ino  # a new file took its place: the write was atomic
        assert ["report.txt"] == os.listdir(tmp_path)

    def test_through_a_symbolic_link(self, tmp_path):
        """A link to a file stays a link; the file it names is replaced."""
        target = tmp_path / "real.txt"
        target.write_text("old", encoding="utf-8")
        link = tmp_path / "link.txt"
        link.symlink_to(target)
        assert 0 == run("report", "-o", str(link)).returncode
        assert link.is_symlink()
        assert target.read_text("utf-8").startswith("Russian intelligence chief")

    def test_to_dev_stdout(self):
        """-o /dev/stdout writes straight through to standard output."""
        process = run("report", "--format", "json", "-o", "/dev/stdout")
        assert 0 == process.returncode, process.stderr
        assert "2024-03-28" == json.loads(process.stdout)["as_of"]

    def test_to_a_named_pipe(self, tmp_path):
        """A named pipe is written to, never replaced by a file."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
        reader.start()
        process = run("report", "--format", "json", "-o", str(fifo))
        reader.join(timeout=60)
        assert 0 == process.returncode, process.stderr
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert "2024-03-28" == json.loads(received[0])["as_of"]

    def test_unwritable(self, tmp_path):
        """A file that cannot be written is a one-line error naming it."""
        out = tmp_path / "missing-directory" / "report.txt"
        process = run("report", "-o", str(out))
        assert 2 == process.returncode
        assert f"provenance: cannot write {out}: No such file or directory" == (
            one_line_error(process)
        )

    def test_closed_pipe_is_quiet(self):
        """When the reader goes away, the command stops quietly."""
        process = subprocess.Popen(
            [sys.executable, "-m", "provenance", "report", "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        )
        process.stdout.close()
        err = process.stderr.read()
        process.stderr.close()
        assert provenance.cli.BROKEN_PIPE == process.wait(timeout=60)
        assert b"" == err


class TestBadInput:
    def test_missing_file(self):
        """A file that does not exist is a one-line error naming it."""
        process = run("report", "no-such-file.toml")
        assert 2 == process.returncode
        line = one_line_error(process)
        assert line.startswith("provenance: no-such-file.toml: cannot read")
        assert "No such file or directory" in line

    def test_unknown_ledger_name(self):
        """A name that is neither a file nor a shipped ledger gets a suggestion."""
        process = run("report", "svr-pyongyan")
        assert 2 == process.returncode
        assert "did you mean 'svr-pyongyang'?" in one_line_error(process)

    def test_invalid_ledger_names_file_and_place(self, tmp_path):
        """A broken ledger is reported with its file and the place in it."""
        bad = tmp_path / "bad.toml"
        bad.write_text(LEDGER_A.replace('source = "afp"', 'source = "afx"'), encoding="utf-8")
        process = run("report", str(bad))
        assert 2 == process.returncode
        line = one_line_error(process)
        assert f"provenance: {bad}: propositions[0].claims[0].source: no source 'afx'" in line

    def test_unknown_format(self):
        """An unknown format is a usage error."""
        process = run("report", "--format", "githib")
        assert 2 == process.returncode
        assert "did you mean 'github'?" in one_line_error(process)

    def test_unsafe_html_refused(self):
        """tabulate's unescaped html format is refused."""
        assert 2 == run("report", "--format", "unsafehtml").returncode

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
    def test_bad_option_values(self, option, value, message):
        """A bad option value is one line on stderr, exit status 2."""
        process = run("report", option, value)
        assert 2 == process.returncode
        assert message in one_line_error(process)

    def test_stdin_twice(self):
        """Standard input cannot be read twice."""
        process = run("report", "-", "-", stdin="")
        assert 2 == process.returncode
        assert "only once" in one_line_error(process)

    def test_file_without_a_known_suffix(self, tmp_path):
        """A file whose name does not say its format needs --input-format."""
        ledger = tmp_path / "ledger.txt"
        ledger.write_text(LEDGER_A, encoding="utf-8")
        assert "--input-format" in one_line_error(run("report", str(ledger)))
        process = run("report", str(ledger), "--input-format", "toml", "--format", "json")
        assert "Day one" == json.loads(process.stdout)["title"]

    def test_hostile_text_in_an_error_message(self, tmp_path):
        """Text from a file reaches the terminal escaped, even in an error message."""
        bad = tmp_path / "bad.toml"
        bad.write_text(
            LEDGER_A.replace('source = "afp"', 'source = "afp"\n  stance = "\\u001b[2J"'),
            encoding="utf-8",
        )
        process = run("report", str(bad))
        assert 2 == process.returncode
        assert "\x1b" not in one_line_error(process)


class TestCheck:
    def test_valid(self, two_days):
        """Valid ledgers are each reported ok, and the status is 0."""
        a, b = two_days
        process = run("check", str(a), str(b), "svr-pyongyang")
        assert 0 == process.returncode
        assert [
            f"{a}: ok: 2 sources, 1 proposition, 1 claim",
            f"{b}: ok: 2 sources, 1 proposition, 1 claim",
            "svr-pyongyang.toml: ok: 16 sources, 14 propositions, 33 claims",
        ] == text(process.stdout).splitlines()

    def test_every_problem_one_per_line(self, tmp_path, two_days):
        """Every problem of an invalid ledger is printed as 'file: place: message'."""
        bad = tmp_path / "bad.toml"
        broken = LEDGER_A.replace('source = "afp"', 'source = "afx"')
        broken = broken.replace('reliability = "E"', 'reliability = "G"')
        bad.write_text(broken, encoding="utf-8")
        process = run("check", str(two_days[0]), str(bad))
        assert 2 == process.returncode
        lines = text(process.stdout).splitlines()
        assert lines[0].endswith("ok: 2 sources, 1 proposition, 1 claim")
        problems = lines[1:]
        assert 2 <= len(problems)
        assert all(line.startswith(f"{bad}: ") for line in problems)
        assert any("sources[1].reliability" in line for line in problems)

    def test_missing_file(self):
        """A file that cannot be read fails the check."""
        process = run("check", "no-such-file.toml")
        assert 2 == process.returncode
        assert "no-such-file.toml: cannot read" in text(process.stdout)


class TestExplain:
    def test_trace(self):
        """explain prints the trace of one verdict."""
        process = run("explain", "svr-pyongyang", "putin-kim-summit-2023-09")
        assert 0 == process.returncode
        out = text(process.stdout)
        assert out.startswith("putin-kim-summit-2023-09: ")
        assert "status: established" in out

    def test_policy_options(self):
        """explain applies the policy options."""
        out = text(
            run(
                "explain", "svr-pyongyang", "putin-kim-summit-2023-09", "--min-independent", "4"
            ).stdout
        )
        assert "status: reported" in out

    def test_unknown_proposition(self):
        """An unknown proposition id is a one-line error naming the ledger."""
        process = run("explain", "svr-pyongyang", "no-such-id")
        assert 2 == process.returncode
        assert "svr-pyongyang.toml: no proposition 'no-such-id'" in one_line_error(process)


class TestListVersionHelp:
    def test_list(self):
        """list names each shipped ledger with its title."""
        lines = text(run("list").stdout).splitlines()
        expected = [(name, claims.load(name).title) for name in claims.names()]
        assert expected == [tuple(line.split(maxsplit=1)) for line in lines]

    def test_version(self):
        """--version prints the command's name and version."""
        process = run("--version")
        assert 0 == process.returncode
        assert text(process.stdout).startswith("provenance ")

    @pytest.mark.parametrize("command", [[], ["report"], ["check"], ["explain"], ["list"]])
    def test_help_with_examples(self, command):
        """Every command has --help, with examples."""
        process = run(*command, "--help")
        assert 0 == process.returncode
        assert "examples:" in text(process.stdout)

    def test_no_command(self):
        """Without a command, the usage error is one line and the status 2."""
        process = run()
        assert 2 == process.returncode
        assert "required" in one_line_error(process)


class TestInternalErrors:
    def test_short_message_without_traceback(self, monkeypatch, capsys):
        """An unexpected error exits 1 with a short message and no traceback."""
        monkeypatch.setattr(provenance.cli, "render", _explode)
        assert 1 == main(["report"])
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert "provenance: internal error: RuntimeError: boom" in err

    def test_traceback_with_debug(self, monkeypatch, capsys):
        """With --debug, an unexpected error shows its traceback."""
        monkeypatch.setattr(provenance.cli, "render", _explode)
        assert 1 == main(["--debug", "report"])
        assert "Traceback" in capsys.readouterr().err

    def test_main_returns_the_status(self, capsys):
        """main returns the exit status instead of exiting, for --help too."""
        assert 0 == main(["list"])
        assert 0 == main(["--help"])
        assert 2 == main(["report", "--width", "x"])
        assert "svr-pyongyang" in capsys.readouterr().out


def _explode(*args: object, **kwargs: object) -> str:
    raise RuntimeError("boom")
