"""Tests for provenance add and provenance new: writing ledgers from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import Claim, Ledger, Proposition, Source, Status, assess, load, loads
from provenance.authoring import add, starter
from provenance.cli import main
from provenance.errors import LedgerError

STORY = """\
# The story of one visit.
title = "Visit"   # what it covers

[[sources]]
id = "kcna"
name = "KCNA"     # North Korea's state agency
kind = "state-media"
affiliation = "DPRK"
reliability = "E"

# -- propositions --

[[propositions]]
id = "visit"
text = "Naryshkin visited Pyongyang."
about = ["DPRK", "Russia"]

  [[propositions.claims]]
  source = "kcna"   # said first
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A small commented ledger file."""
    path = tmp_path / "story.toml"
    path.write_text(STORY, encoding="utf-8")
    return path


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command in process; its status, stdout and stderr."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


class TestAdd:
    def test_a_source_keeps_comments_and_layout(
        self, story: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An added source goes after the last source, before the next section's comment."""
        status, out, _ = run(
            "add", str(story), "source", "--id", "afp", "--name", "AFP", "--kind", "wire",
            "--reliability", "B", capsys=capsys,
        )  # fmt: skip
        assert (0, f"{story}: added a source\n") == (status, out)
        added = '[[sources]]\nid = "afp"\nname = "AFP"\nkind = "wire"\nreliability = "B"\n\n'
        expected = STORY.replace("# -- propositions --", added + "# -- propositions --")
        assert expected == story.read_text(encoding="utf-8")

    def test_a_claim_with_every_option(
        self, story: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A claim goes under its proposition, indented like the others, and loads as given."""
        run("add", str(story), "source", "--id", "afp", "--name", "AFP", capsys=capsys)
        before = story.read_text(encoding="utf-8")
        status, _, err = run(
            "add", str(story), "claim", "--proposition", "visit", "--source", "afp",
            "--stance", "denies", "--certainty", "probable", "--via", "kcna",
            "--said-on", "2024-03-01", "--withdrawn-on", "2024-03-02", "--quote", "Non.",
            "--lang", "fr", "--credence", "0.7", "--url", "https://example.org/a",
            "--note", "A note.", capsys=capsys,
        )  # fmt: skip
        assert (0, "") == (status, err)
        expected = Claim(
            "visit",
            "afp",
            stance="denies",
            certainty="probable",
            via=["kcna"],
            said_on="2024-03-01",
            withdrawn_on="2024-03-02",
            quote="Non.",
            lang="fr",
            credence=0.7,
            url="https://example.org/a",
            note="A note.",
        )
        assert expected == load(story).claims[-1]
        text = story.read_text(encoding="utf-8")
        assert text.startswith(before)
        assert '\n\n  [[propositions.claims]]\n  source = "afp"\n' == text[len(before) - 1 :][:45]

    def test_a_proposition_then_its_first_claim(
        self, story: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A new proposition takes its first claim; both load."""
        assert 0 == main(
            ["add", str(story), "proposition", "--id", "x", "--text", "X.", "--about", "DPRK"]
        )
        assert 0 == main(["add", str(story), "claim", "--proposition", "x", "--source", "kcna"])
        ledger = load(story)
        assert Proposition("x", "X.", about=["DPRK"]) == ledger.proposition("x")
        assert (Claim("x", "kcna"),) == ledger.claims_on("x")
        assert story.read_text(encoding="utf-8").startswith(STORY)

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (
                ["claim", "--proposition", "visit", "--source", "kcna", "--stance", "rejects"],
                "provenance: --stance: 'rejects' is not a stance (asserts, denies)",
            ),
            (
                ["claim", "--proposition", "visit", "--source", "kcna", "--said-on", "2023-10-32"],
                "provenance: --said-on: '2023-10-32' is not a date (YYYY-MM-DD)",
            ),
            (
                ["claim", "--proposition", "visit", "--source", "kcnaa"],
                "provenance: {story}: --source: no source 'kcnaa' (did you mean 'kcna'?)",
            ),
            (
                ["claim", "--proposition", "visit", "--source", "kcna", "--credence", "high"],
                "provenance: --credence: 'high' is not a number",
            ),
            (
                ["source", "--id", "kcna", "--name", "Again"],
                "provenance: {story}: --id: duplicate source id 'kcna'",
            ),
            (
                ["proposition", "--id", "Bad Id", "--text", "X."],
                "provenance: --id: 'Bad Id' is not an id"
                " (lower-case letters, digits, '.', '_', '-')",
            ),
        ],
    )
    def test_bad_input_is_refused_and_leaves_the_file(
        self, story: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
    ) -> None:
        """Bad input exits 2 with one located line, and the file is left as it was."""
        status, out, err = run("add", str(story), *args, capsys=capsys)
        assert (2, "", [expected.format(story=story)]) == (status, out, err.splitlines())
        assert STORY == story.read_text(encoding="utf-8")

    def test_a_broken_file_is_not_edited(
        self, story: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file that is not a valid ledger is reported at its line and left alone."""
        story.write_text(STORY.replace('reliability = "E"', 'reliability = "G"'), "utf-8")
        status, _, err = run("add", str(story), "source", "--id", "a", "--name", "A", capsys=capsys)
        assert 2 == status
        assert f"provenance: {story}:9:15: sources 'kcna' reliability:" in err

    def test_json_is_refused(self, tmp_path: Path) -> None:
        """add edits TOML files only."""
        path = tmp_path / "story.json"
        path.write_text("{}", encoding="utf-8")
        with pytest.raises(LedgerError, match="TOML ledgers only"):
            add(path, "source", {"id": "a", "name": "A"})

    @settings(max_examples=20, deadline=None)
    @given(
        st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\r"), min_size=1
        ).filter(str.strip)
    )
    def test_any_text_round_trips(self, text: str) -> None:
        """Whatever text a note holds, the file loads back with exactly that note."""
        import tempfile

        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "story.toml"
            path.write_text(STORY, encoding="utf-8")
            ledger = add(path, "source", {"id": "afp", "name": "AFP", "note": text})
            assert ledger == load(path)
            assert Source("afp", "AFP", note=text) == ledger.source("afp")


class TestNew:
    def test_the_starter_loads_and_reports_sensibly(self, tmp_path: Path) -> None:
        """The starter is a valid ledger whose verdicts show each kind of reasoning."""
        path = tmp_path / "story.toml"
        assert 0 == main(["new", "My story", "-o", str(path)])
        ledger = load(path)
        assert "My story" == ledger.title
        statuses = {a.proposition.id: a.status for a in assess(ledger)}
        assert {
            "ship-docked": Status.ESTABLISHED,
            "military-cargo": Status.DISPUTED,
            "captain-arrested": Status.REPORTED,
            "second-ship": Status.UNSUPPORTED,
        } == statuses

    def test_the_starter_shows_every_key(self) -> None:
        """Every key of the format appears in the starter, with every stance and certainty."""
        import attrs

        from provenance import Policy

        text = starter("T")
        keys = {
            field.name
            for cls in (Ledger, Source, Proposition, Claim)
            for field in attrs.fields(cls)
            if field.init and field.name not in ("proposition", "policy")
        }
        missing = sorted(key for key in keys if f"\n{key} = " not in text.replace("  ", ""))
        assert [] == missing
        for word in ('"denies"', '"probable"', '"possible"', "[policy]", "withdrawn_on = "):
            assert word in text
        assert Policy() == load_text(text).policy

    def test_hostile_titles_stay_one_string(self) -> None:
        """A title with quotes, newlines or escapes is written as one TOML string."""
        title = 'A "title"\n[[sources]]\\ x'
        assert title == load_text(starter(title)).title

    def test_an_existing_file_is_not_replaced(
        self, story: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """new refuses to write over a file."""
        status, _, err = run("new", "T", "-o", str(story), capsys=capsys)
        assert 2 == status
        assert "the file exists" in err
        assert STORY == story.read_text(encoding="utf-8")

    def test_to_standard_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without -o the starter goes to standard output."""
        status, out, _ = run("new", "T", capsys=capsys)
        assert (0, starter("T")) == (status, out)


def load_text(text: str) -> Ledger:
    """The ledger a TOML text holds."""
    return loads(text, "toml")


class TestImports:
    def test_the_report_path_does_not_import_tomlkit(self) -> None:
        """Neither import provenance nor the command's report loads tomlkit."""
        code = (
            "import sys, provenance, provenance.cli;"
            "provenance.cli.main(['report', '--format', 'json']);"
            "sys.exit('tomlkit' in sys.modules)"
        )
        process = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, timeout=60, check=False
        )
        assert 0 == process.returncode, process.stderr
