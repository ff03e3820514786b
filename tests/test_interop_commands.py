"""Tests for ``provenance export``, ``import`` and ``graph``, run as a real process."""

from __future__ import annotations

import doctest
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import claims
from provenance import Claim, Ledger, Proposition, Source, load, save

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed"
)


def run(*args: str, path: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the command in a fresh Python process; return the completed process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "provenance", *args],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def one_line_error(process: subprocess.CompletedProcess[bytes]) -> str:
    """The one line the command wrote to stderr; asserts exit status 2 and no traceback."""
    err = process.stderr.decode("utf-8")
    assert 2 == process.returncode, err
    assert "Traceback" not in err
    assert 1 == len(err.strip().splitlines()), err
    return err.strip()


class TestExportImport:
    @pytest.mark.parametrize(("format", "suffix"), [("prov-n", "provn"), ("prov-json", "json")])
    def test_round_trip_through_files(self, tmp_path: Path, format: str, suffix: str) -> None:
        """Exported and imported again, the seed ledger is the same ledger."""
        document = tmp_path / f"seed.{suffix}"
        assert 0 == run("export", "svr-pyongyang", "--to", format, "-o", str(document)).returncode
        ledger = tmp_path / "seed.toml"
        process = run("import", str(document), "-o", str(ledger))
        assert 0 == process.returncode, process.stderr
        assert claims.load("svr-pyongyang") == load(ledger)

    @pytest.mark.parametrize(
        "format", ["prov-json", "prov-n", "prov-xml", "prov-rdf", "prov-jsonld"]
    )
    def test_every_prov_format(self, format: str) -> None:
        """Every PROV format is written to standard output."""
        process = run("export", "svr-pyongyang", "--to", format)
        assert 0 == process.returncode, process.stderr
        assert b"source" in process.stdout

    def test_import_to_standard_output(self, tmp_path: Path) -> None:
        """Without -o, import prints the ledger as TOML."""
        document = tmp_path / "seed.json"
        run("export", "svr-pyongyang", "--to", "prov-json", "-o", str(document))
        process = run("import", str(document))
        assert 0 == process.returncode
        assert process.stdout.decode().startswith('title = "Russian intelligence chief')

    def test_hostile_json_output_has_no_control_characters(self, tmp_path: Path) -> None:
        """Exported JSON keeps control characters as escapes, not as bytes."""
        path = tmp_path / "evil.toml"
        save(
            Ledger.from_objects(
                [Source("s", "evil \x1b[2J \u202e name")],
                [Proposition("p", "text \x07")],
                [Claim("p", "s", quote="\x1b]8;;x\x1b\\")],
            ),
            path,
        )
        for format in ("prov-json", "prov-jsonld", "claimreview"):
            process = run("export", str(path), "--to", format)
            assert 0 == process.returncode, process.stderr
            assert not {0x1B, 0x07} & set(process.stdout)
            assert "\u202e" not in process.stdout.decode()
            json.loads(process.stdout)

    def test_xml_refuses_control_characters(self, tmp_path: Path) -> None:
        """PROV-XML cannot hold a control character: a located error, exit 2."""
        path = tmp_path / "evil.toml"
        save(Ledger.from_objects([Source("s", "evil \x1b name")]), path)
        error = one_line_error(run("export", str(path), "--to", "prov-xml"))
        assert "agent(source:s).prov:label: PROV-XML cannot hold the character '\\x1b'" in error

    def test_claimreview(self) -> None:
        """ClaimReview is a JSON array of reviews."""
        process = run("export", "svr-pyongyang", "--to", "claimreview", "--url", "https://e.org/c")
        reviews = json.loads(process.stdout)
        assert all("ClaimReview" == r["@type"] for r in reviews)
        assert reviews[0]["url"].startswith("https://e.org/c#")

    def test_import_junk(self, tmp_path: Path) -> None:
        """A file that is not PROV is one located line, exit 2."""
        path = tmp_path / "junk.provn"
        path.write_text("not a document", encoding="utf-8")
        error = one_line_error(run("import", str(path)))
        assert error.startswith(f"provenance: {path}: not a PROV document in this format")

    def test_import_unknown_suffix(self, tmp_path: Path) -> None:
        """A file whose suffix names no PROV format asks for --from."""
        path = tmp_path / "doc.txt"
        path.write_text("{}", encoding="utf-8")
        assert "pass --from" in one_line_error(run("import", str(path)))

    def test_import_foreign_document(self, tmp_path: Path) -> None:
        """A PROV document that is not a ledger names the file and the record."""
        path = tmp_path / "foreign.json"
        path.write_text(
            json.dumps(
                {
                    "prefix": {"ex": "https://example.org/"},
                    "entity": {"ex:report": {"prov:label": "A report"}},
                }
            ),
            encoding="utf-8",
        )
        error = one_line_error(run("import", str(path)))
        assert error.startswith(
            f"provenance: {path}: entity(ex:report).prov:type: not a proposition"
        )

    def test_import_not_utf8(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are located."""
        path = tmp_path / "bad.json"
        path.write_bytes(b'{"x": "\xff"}')
        assert f"{path}: byte 8: not UTF-8 text" in one_line_error(run("import", str(path)))


class TestGraph:
    def test_mermaid_is_the_golden_file(self) -> None:
        """The command writes the reviewed Mermaid graph of the seed."""
        process = run("graph", "svr-pyongyang", "--to", "mermaid")
        assert 0 == process.returncode
        assert (GOLDEN / "svr-pyongyang.mmd").read_text(encoding="utf-8") == process.stdout.decode()

    def test_dot_by_default(self) -> None:
        """Without --to or -o, the graph is DOT."""
        process = run("graph", "svr-pyongyang", "putin-kim-summit-2023-09")
        assert process.stdout.startswith(b"digraph provenance {")

    @needs_dot
    @pytest.mark.parametrize(("name", "magic"), [("g.svg", b"<?xml"), ("g.png", b"\x89PNG")])
    def test_format_from_suffix(self, tmp_path: Path, name: str, magic: bytes) -> None:
        """-o g.svg draws SVG, -o g.png draws PNG."""
        out = tmp_path / name
        assert 0 == run("graph", "svr-pyongyang", "-o", str(out)).returncode
        assert out.read_bytes().startswith(magic)

    def test_unknown_proposition(self) -> None:
        """An unknown proposition is located in its ledger, exit 2."""
        error = one_line_error(run("graph", "svr-pyongyang", "putin-kim"))
        assert error.startswith("provenance: svr-pyongyang.toml: no proposition 'putin-kim'")

    def test_without_graphviz(self, tmp_path: Path) -> None:
        """Without dot on the PATH, SVG is refused with how to install Graphviz, exit 2."""
        error = one_line_error(run("graph", "svr-pyongyang", "--to", "svg", path=str(tmp_path)))
        assert "apt-get install graphviz" in error


class TestModules:
    def test_command_and_report_path_do_not_import_prov(self) -> None:
        """The command, the graphs and ClaimReview load without the prov package being imported."""
        code = (
            "import sys, provenance.cli, provenance.interop.graph, provenance.interop.claimreview;"
            " print(sorted({m.split('.')[0] for m in sys.modules}))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        loaded = done.stdout
        assert "'provenance'" in loaded
        assert not {"'prov'", "'rdflib'", "'lxml'"} & set(loaded.strip("[]\n").split(", "))

    @pytest.mark.parametrize("name", ["prov", "claimreview", "graph"])
    def test_examples_in_docstrings(self, name: str) -> None:
        """The examples in each interop module's docstrings hold."""
        module = importlib.import_module(f"provenance.interop.{name}")
        result = doctest.testmod(module)
        assert 0 < result.attempted
        assert 0 == result.failed
