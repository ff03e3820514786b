"""The ``provenance export``, ``import`` and ``graph`` commands.

`add_commands` adds them to the command's subparsers; each one's ``run``
function reads the ledger as ``provenance report`` does, and fails with a
one-line located error (exit status 2) on bad input.  The ``prov`` package
is imported only when a PROV format is asked for.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .. import _io, files
from .._text import json_safe
from ..assess import assess
from ..errors import LedgerError, Problem
from . import claimreview, graph
from .prov import EXPORT_FORMATS, IMPORT_FORMATS

__all__ = ["EXPORT_TARGETS", "add_commands"]

#: Every format ``provenance export --to`` writes.
EXPORT_TARGETS = (*EXPORT_FORMATS, "claimreview", *graph.FORMATS)

# A graph's format from the suffix of the file it goes to.
_GRAPH_SUFFIXES = {
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".svg": "svg",
    ".png": "png",
}

_EXPORT_EPILOG = """\
formats:
  prov-json, prov-n, prov-xml, prov-rdf, prov-jsonld
                W3C PROV (needs: pip install 'claim-provenance[prov]'); with
                the verdicts unless --no-verdicts
  claimreview   schema.org ClaimReview JSON-LD, one review per proposition
                someone has spoken to
  dot, mermaid  the graph of who said what through whom (see 'provenance graph')
  svg, png      the graph drawn by Graphviz's dot, which must be installed

examples:
  provenance export story.toml --to prov-n -o story.provn
  provenance export story.toml --to claimreview --url https://example.org/checks
  provenance export svr-pyongyang --to svg -o seed.svg
"""

_IMPORT_EPILOG = """\
Reads a W3C PROV document written by 'provenance export' (or by another
tool following the same mapping, see docs/interop.md) and writes the ledger
it holds.  The document's format comes from its suffix: .json (PROV-JSON),
.provn (PROV-N), .jsonld (PROV-JSONLD), .xml (PROV-XML).

examples:
  provenance import story.provn -o story.toml
  provenance import story.json --from json
"""

_GRAPH_EPILOG = """\
Sources are shaped by kind, propositions coloured by verdict (green
established, yellow reported, orange disputed, red refuted, grey
unsupported); dashed edges are relay steps.  For one proposition, the
claims of each independence group are boxed with the reasons they were
joined.  SVG and PNG need Graphviz's dot (apt-get install graphviz).

examples:
  provenance graph svr-pyongyang --to svg -o seed.svg
  provenance graph story.toml naryshkin-visit --to mermaid
  provenance graph story.toml -o story.png
"""


def add_commands(commands: Any) -> None:
    """Add ``export``, ``import`` and ``graph`` to the subparsers `commands`."""
    from .. import cli

    export = cli._command(
        commands,
        "export",
        run_export,
        help="write a ledger as W3C PROV, ClaimReview or a graph",
        description="Write a ledger in another standard's format.",
        epilog=_EXPORT_EPILOG,
    )
    export.add_argument("ledger", metavar="LEDGER", help="file, '-' or shipped name")
    export.add_argument(
        "--to",
        required=True,
        choices=EXPORT_TARGETS,
        metavar="FORMAT",
        help=f"one of {', '.join(EXPORT_TARGETS)}",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    export.add_argument(
        "--no-verdicts", action="store_true", help="PROV: leave out the assessment and its verdicts"
    )
    export.add_argument(
        "--url", metavar="URL", help="ClaimReview: the page the reviews are published on"
    )
    export.add_argument(
        "--publisher",
        metavar="NAME",
        help="ClaimReview: who publishes the reviews (default: the ledger's)",
    )
    cli._input_format(export)
    cli._add_policy_options(export)

    import_ = cli._command(
        commands,
        "import",
        run_import,
        help="read a W3C PROV document back into a ledger file",
        description="Read a W3C PROV document into a ledger file.",
        epilog=_IMPORT_EPILOG,
    )
    import_.add_argument("document", metavar="FILE", help="a PROV document, or '-' with --from")
    import_.add_argument(
        "--from",
        dest="source_format",
        choices=sorted(set(IMPORT_FORMATS.values())),
        help="the document's format when its suffix does not say it",
    )
    import_.add_argument(
        "-o",
        "--output",
        metavar="LEDGER",
        help="the ledger file to write (.toml or .json); default: TOML on standard output",
    )

    graph_ = cli._command(
        commands,
        "graph",
        run_graph,
        help="draw who said what through whom",
        description="Draw one proposition's evidence, or the whole ledger.",
        epilog=_GRAPH_EPILOG,
    )
    graph_.add_argument("ledger", metavar="LEDGER", help="file, '-' or shipped name")
    graph_.add_argument(
        "proposition",
        nargs="?",
        metavar="PROPOSITION_ID",
        help="draw only this proposition's evidence",
    )
    graph_.add_argument(
        "--to",
        choices=graph.FORMATS,
        help="dot, mermaid, svg or png (default: from the -o suffix, else dot)",
    )
    graph_.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    cli._input_format(graph_)
    cli._add_policy_options(graph_)


def _assessed(args: argparse.Namespace) -> tuple[str, Any, Any]:
    from .. import cli

    name, ledger = _io.load_argument(args.ledger, args.input_format)
    return name, ledger, assess(ledger, cli._policy(ledger, args))


def run_export(args: argparse.Namespace) -> int:
    """Run ``provenance export``."""
    name, ledger, assessments = _assessed(args)
    target: str = args.to
    if target in EXPORT_FORMATS:
        from .prov import to_prov, write

        document = to_prov(ledger, None if args.no_verdicts else assessments)
        text = write(document, target)
        _emit(args.output, text, json=target in ("prov-json", "prov-jsonld"))
    elif target == "claimreview":
        reviews = claimreview.claim_reviews(assessments, url=args.url, publisher=args.publisher)
        _emit(args.output, claimreview.dumps(reviews), json=True)
    else:
        _emit(args.output, _graph(name, ledger, target, assessments, None))
    return 0


def run_graph(args: argparse.Namespace) -> int:
    """Run ``provenance graph``."""
    name, ledger, assessments = _assessed(args)
    target = args.to
    if target is None:
        suffix = os.path.splitext(args.output or "")[1].lower()
        target = _GRAPH_SUFFIXES.get(suffix, "dot")
    _emit(args.output, _graph(name, ledger, target, assessments, args.proposition))
    return 0


def _graph(
    name: str, ledger: Any, target: str, assessments: Any, proposition: str | None
) -> str | bytes:
    try:
        return graph.render(ledger, target, assessments, proposition)
    except LedgerError as error:
        raise error.located(file=name) from None


def run_import(args: argparse.Namespace) -> int:
    """Run ``provenance import``."""
    from .prov import read

    path: str = args.document
    fmt = args.source_format
    if fmt is None:
        suffix = os.path.splitext(path)[1].lower()
        if path == "-" or suffix not in IMPORT_FORMATS:
            raise _io.CommandError(
                f"{path}: cannot tell the PROV format from the file name; pass --from"
                f" {' or --from '.join(sorted(set(IMPORT_FORMATS.values())))}"
            )
        fmt = IMPORT_FORMATS[suffix]
    name = _io.STDIN if path == "-" else path
    data = _read(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LedgerError(Problem(f"byte {error.start + 1}: not UTF-8 text", file=name)) from None
    ledger = read(text, fmt, name=name)
    if args.output in (None, "-"):
        _emit(None, files.dumps(ledger, "toml"))
    else:
        files.save(ledger, args.output)
    return 0


def _read(path: str) -> bytes:

    limit = files.DEFAULT_MAX_BYTES
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    if len(data) > limit:
        raise _io.CommandError(f"{path}: larger than the limit of {limit} bytes")
    return data


def _emit(output: str | None, data: str | bytes, *, json: bool = False) -> None:
    """Write to `output` (atomically when a regular file), or to standard output.

    Text for a terminal has every character a terminal would act on shown
    as an escape (JSON: as a ``\\u`` escape, which keeps the data).
    """

    if output not in (None, "-"):
        assert output is not None
        _io.write_output(output, data)
        return
    if isinstance(data, bytes):
        if sys.stdout.isatty():
            raise _io.CommandError("PNG is binary: write it to a file with -o FILE")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if json or sys.stdout.isatty():
        data = json_safe(data)
    sys.stdout.write(data if data.endswith("\n") else data + "\n")
    sys.stdout.flush()
