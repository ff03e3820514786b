"""docs/evidence.md is true: its example script is docs/desk.py, and every
command it shows gives the output shown when run on what the script writes.

A block that starts ``$ provenance ...`` is a command and its output.  The
command is run in process; ``| sed -n Np`` keeps its Nth line, as the shell
would.  A block with no ``...`` line must equal the output; in one with
``...`` lines, the lines shown must appear in the output in that order.
"""

from __future__ import annotations

import re
import runpy
import shlex
from pathlib import Path

import pytest

from provenance.cli import main

__all__: list[str] = []

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGE = DOCS / "evidence.md"
SCRIPT = DOCS / "desk.py"


def blocks() -> list[tuple[str, list[str]]]:
    """Every fenced block of the page: its fence's language and its lines."""
    found: list[tuple[str, list[str]]] = []
    language: str | None = None
    lines: list[str] = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if language is None and line.startswith("```"):
            language, lines = line[3:].strip(), []
        elif language is not None and line.strip() == "```":
            found.append((language, lines))
            language = None
        elif language is not None:
            lines.append(line)
    return found


def commands() -> list[tuple[str, list[str]]]:
    """The command blocks: the command line and the output shown."""
    return [
        (lines[0][2:], lines[1:]) for _, lines in blocks() if lines[0].startswith("$ provenance")
    ]


def ordered_within(shown: list[str], output: list[str]) -> bool:
    """Whether the lines shown, "..." aside, occur in the output in order."""
    rest = iter(output)
    return all(any(line == out for out in rest) for line in shown if line != "...")


class TestDeskExample:
    def test_the_script_is_the_one_shown(self) -> None:
        """The page's python block is docs/desk.py, word for word."""
        [code] = [lines for language, lines in blocks() if language == "python"][:1]
        assert SCRIPT.read_text(encoding="utf-8") == "\n".join(code) + "\n"

    def test_the_page_shows_commands(self) -> None:
        """The page shows the plain report, the report with --learn, sources and explain."""
        shown = [shlex.split(command)[1] for command, _ in commands()]
        assert ["report", "sources", "report", "explain"] == shown

    @pytest.mark.parametrize("at", range(4))
    def test_each_command_prints_what_is_shown(
        self,
        at: int,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Run on the ledger the script writes, each command prints what the page shows."""
        monkeypatch.chdir(tmp_path)
        runpy.run_path(str(SCRIPT), run_name="__main__")
        capsys.readouterr()
        command, shown = commands()[at]
        words, _, piped = command.partition("|")
        assert 0 == main(shlex.split(words)[1:])
        output = capsys.readouterr().out.splitlines()
        if piped:
            line = re.fullmatch(r"\s*sed -n (\d+)p\s*", piped)
            assert line, f"unknown pipe in {command!r}"
            output = [output[int(line[1]) - 1]]
        if "..." in shown:
            assert ordered_within(shown, output), "\n".join(output)
        else:
            assert shown == output
