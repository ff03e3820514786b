"""Tests for the graphs: Graphviz reads our DOT as meant, Mermaid labels stay labels, a golden file.

The Mermaid golden file in ``tests/golden/`` holds the seed ledger's graph
as the code draws it.  To regenerate it after an intended change, run

    PROVENANCE_REGEN_GOLDEN=1 python3 -m pytest tests/test_interop_graph.py -k Golden

which rewrites the file and fails on purpose; review the change with
``git diff tests/golden`` and run the tests again without the variable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

import claims
from provenance import Claim, Ledger, LedgerError, Proposition, Source, assess
from provenance._text import visible
from provenance.interop import graph
from provenance.strategies import ledgers

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("PROVENANCE_REGEN_GOLDEN") == "1"
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")

HOSTILE = (
    'quote " and backslash \\ and \\n and \\" end',
    "<script>alert(1)</script> <b>bold</b> &amp; &#60;",
    "\x1b[31mred\x1b[0m \u202eevil\u2066 zero\u200bwidth",
    "line\nbreak\r\ttab\x0b\x0c\x85 \u2028",
    "%% comment ;; end subgraph click p0 callback `md` #quot; ]] }} -->|x| y",
    "Séoul 서울 🇰🇵 " + "long" * 80,
)


def seed() -> Ledger:
    """The seed ledger shipped with the library."""
    return claims.load("svr-pyongyang")


def hostile() -> Ledger:
    """A ledger with hostile text in every field a graph shows."""
    sources = [
        Source(f"s{i}", text, kind=kind, affiliation=text)
        for i, (text, kind) in enumerate(
            zip(HOSTILE, ("wire", "official", "record", "ngo", "government", "other"), strict=True)
        )
    ]
    return Ledger.from_objects(
        sources,
        [Proposition(f"p{i}", text, about=[text]) for i, text in enumerate(HOSTILE)],
        [
            Claim(f"p{i}", f"s{i}", via=[f"s{(i + 1) % len(HOSTILE)}"], quote=text)
            for i, text in enumerate(HOSTILE)
        ],
        title=HOSTILE[0],
    )


def dot_strings(label: str) -> list[str]:
    """The lines of a DOT label as Graphviz reads them (escString: backslash escapes)."""
    lines: list[str] = []
    line: list[str] = []
    index = 0
    while index < len(label):
        char = label[index]
        if char == "\\" and index + 1 < len(label):
            following = label[index + 1]
            if following == "n":
                lines.append("".join(line))
                line = []
            else:
                line.append(following)
            index += 2
            continue
        line.append(char)
        index += 1
    lines.append("".join(line))
    return [text.replace("&amp;", "&") for text in lines]


def squeezed(text: str) -> str:
    """Text without its spaces, to compare across line wrapping."""
    return re.sub(r"\s", "", text)


def graphviz_json(text: str) -> dict[str, Any]:
    """What Graphviz's dot reads from DOT text, as its JSON output."""
    done = subprocess.run(["dot", "-Tjson"], input=text.encode(), capture_output=True, check=False)
    assert 0 == done.returncode, done.stderr.decode()
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


class TestDot:
    @needs_dot
    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(ledgers())
    @example(hostile())
    def test_graphviz_reads_what_we_meant(self, ledger: Ledger) -> None:
        """Graphviz reads every node and edge we drew, with every label's text intact."""
        assessments = assess(ledger)
        read = graphviz_json(graph.dot(ledger, assessments))
        nodes = {o["name"]: dot_strings(o["label"]) for o in read.get("objects", [])}
        relays = sum(len(c.via) for c in ledger.claims)
        expected = len(ledger.sources) + len(ledger.propositions) + len(ledger.claims)
        assert expected == len(nodes)
        assert 2 * len(ledger.claims) + relays == len(read.get("edges", []))
        for index, proposition in enumerate(ledger.propositions):
            shown = visible(proposition.text)
            if len(shown) < graph.LONGEST:
                assert squeezed(shown) in squeezed("".join(nodes[f"p{index}"]))
        for index, source in enumerate(ledger.sources):
            shown = visible(source.name)
            if len(shown) < graph.LONGEST:
                assert squeezed(shown) in squeezed("".join(nodes[f"s{index}"]))

    @needs_dot
    def test_every_proposition_of_the_seed_renders(self) -> None:
        """dot draws the seed's whole graph and each proposition's, as SVG that parses."""
        ledger = seed()
        assessments = assess(ledger)
        for proposition in (None, *(p.id for p in ledger.propositions)):
            text = graph.render(ledger, "svg", assessments, proposition)
            assert isinstance(text, str)
            root = ElementTree.fromstring(text.encode())
            assert root.tag.endswith("svg")

    @needs_dot
    def test_hostile_svg_has_no_markup_of_its_own(self) -> None:
        """Ledger markup lands in the SVG as text: no script element, no foreign element."""
        text = graph.svg(hostile(), assess(hostile()))
        assert text is not None and text.startswith("<svg")
        root = ElementTree.fromstring(text.encode())
        tags = {element.tag.split("}")[1] for element in root.iter()}
        assert tags <= {"svg", "g", "title", "polygon", "path", "text", "ellipse", "a", "polyline"}
        assert "<script>alert" in "".join(root.itertext())

    @needs_dot
    def test_png(self) -> None:
        """PNG comes out as PNG bytes."""
        data = graph.render(seed(), "png")
        assert isinstance(data, bytes) and data.startswith(b"\x89PNG\r\n\x1a\n")

    def test_proposition_colour_by_status(self) -> None:
        """Each proposition is filled with the colour of its status."""
        ledger = seed()
        text = graph.dot(ledger, assess(ledger))
        for index, assessment in enumerate(assess(ledger)):
            colour = graph.COLOURS[assessment.status.value]
            assert re.search(rf'^  p{index} \[.*fillcolor="{colour}"', text, re.MULTILINE)

    def test_sources_shaped_by_kind(self) -> None:
        """Each source has the shape of its kind."""
        ledger = seed()
        text = graph.dot(ledger)
        for index, source in enumerate(ledger.sources):
            shape = graph.SHAPES[source.kind][0]
            assert re.search(rf"^  s{index} \[shape={shape},", text, re.MULTILINE)

    def test_one_proposition_shows_its_groups(self) -> None:
        """Drawn alone, a proposition's claims sit in boxes that say why they were joined."""
        ledger = seed()
        text = graph.dot(ledger, assess(ledger), "putin-kim-summit-2023-09")
        assert 4 == text.count("subgraph cluster_")
        assert "joined: Le Figaro and Agence France-Presse (AFP)\\nare declared dependent" in text
        assert "p0 [" in text and "p1 [" not in text

    def test_unknown_proposition(self) -> None:
        """An unknown proposition id is a LedgerError with a hint."""
        with pytest.raises(LedgerError, match="did you mean 'putin-kim-summit-2023-09'"):
            graph.dot(seed(), None, "putin-kim-summit-2023")


class TestMissingGraphviz:
    def test_render_says_how_to_install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without dot, SVG is refused with how to install Graphviz."""
        monkeypatch.setattr(shutil, "which", lambda name: None)
        with pytest.raises(graph.GraphvizError, match="apt-get install graphviz"):
            graph.render(seed(), "svg")

    def test_svg_is_none(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without dot, the report's inline SVG is None."""
        monkeypatch.setattr(shutil, "which", lambda name: None)
        assert graph.svg(seed()) is None


MERMAID_LABEL = re.compile(r'"([^"]*)"')


def mermaid_lines(label: str) -> list[str]:
    """A Mermaid label's lines as a reader sees them."""
    return [
        re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), part) for part in label.split("<br>")
    ]


class TestMermaid:
    @given(ledgers())
    @example(hostile())
    def test_labels_stay_labels(self, ledger: Ledger) -> None:
        """No ledger text can end a label, add a statement, open markup or start a comment."""
        text = graph.mermaid(ledger, assess(ledger))
        body = text.split("---\n")[-1]
        nodes = len(ledger.sources) + len(ledger.propositions) + len(ledger.claims)
        declared = [line for line in body.splitlines() if re.match(r"\s+[spc]\d+[\[({>]", line)]
        assert nodes == len(declared)
        for label in MERMAID_LABEL.findall(body):
            bare = re.sub(r"#\d+;", "", label.replace("<br>", ""))
            assert not re.search(r"[<>&`%;#\[\]{}|\\]", bare)
        for index, proposition in enumerate(ledger.propositions):
            shown = visible(proposition.text)
            line = next(x for x in declared if x.strip().startswith(f"p{index}["))
            if len(shown) < graph.LONGEST:
                label = MERMAID_LABEL.search(line)
                assert label is not None
                assert squeezed(shown) in squeezed("".join(mermaid_lines(label.group(1))))

    def test_title_is_one_yaml_string(self) -> None:
        """The title is one JSON-quoted line of front matter, whatever it holds."""
        text = graph.mermaid(hostile())
        front, _, _ = text.partition("flowchart")
        title = front.splitlines()[1]
        assert title.startswith("title: ")
        assert visible(HOSTILE[0]) == json.loads(title[len("title: ") :])


class TestGolden:
    def test_seed_mermaid(self) -> None:
        """The seed ledger's Mermaid graph is the reviewed golden file."""
        ledger = seed()
        text = graph.mermaid(ledger, assess(ledger))
        path = GOLDEN / "svr-pyongyang.mmd"
        if REGENERATE:
            path.write_text(text, encoding="utf-8")
            pytest.fail(f"regenerated {path}; review it (git diff) and run again without it")
        if not path.exists():
            pytest.fail(f"no golden file {path}; create it with PROVENANCE_REGEN_GOLDEN=1")
        assert path.read_text(encoding="utf-8") == text
