"""The ``provenance draft`` command: draft ledgers from articles' text.

One article is drafted to standard output (TOML) or to the file ``-o``
names (``.toml`` or ``.json``); several are drafted into the directory
``-o`` names, one ledger per article (``DIR/<article name>.toml``), with
each language's model loaded once.  An article that cannot be drafted gets
a one-line error naming it and the batch goes on; the exit status is then 2.
Every ledger written is read back before it is saved, so that what the
command writes always passes ``provenance check``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from . import files
from ._text import visible
from .errors import LedgerError
from .ledger import Ledger

__all__ = ["register", "run"]

_EPILOG = """\
An ARTICLE is a UTF-8 text file ('-' for standard input), one paragraph per
line; a dateline such as 'SEOUL, March 18 (AFP) -' names the wire.  The
draft lists every reported statement with its source, its cue ('a indiqué',
'selon', 'said', 'according to'), hedging, stance and relay chain, and the
outlet's own statements.  Sources are left at reliability F: grade them.

examples:
  provenance draft article.txt --outlet le-figaro --wire afp -o draft.toml
  provenance draft dispatch.txt --lang en
  provenance draft articles/*.txt -o drafts/     one ledger per article
  provenance draft article.txt --aliases desk-aliases.toml

Needs the draft extra: pip install 'claim-provenance[draft]'
"""

HEADER = (
    "# Draft ledger, made from the article's text by `provenance draft`.\n"
    "# Review it: check each speaker and cue, edit the propositions' wording,\n"
    "# merge duplicates, and grade the sources (all left at reliability F).\n\n"
)


def register(commands: Any) -> None:
    """Add the ``draft`` command to the command line's subcommands."""
    from .cli import _command

    parser = _command(
        commands,
        "draft",
        run,
        help="draft a ledger from an article's text (French or English)",
        description="Draft a ledger from articles' text, for a person to review.",
        epilog=_EPILOG,
    )
    parser.add_argument("articles", nargs="+", metavar="ARTICLE", help="text file, or '-'")
    parser.add_argument("--lang", choices=("fr", "en"), help="the language (default: detected)")
    parser.add_argument("--outlet", metavar="ID", help="the outlet that published it (le-figaro)")
    parser.add_argument("--wire", metavar="ID", help="the wire that wrote it (default: dateline's)")
    parser.add_argument("--aliases", metavar="FILE", help="an alias file extending the shipped one")
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="a .toml or .json file (one article) or a directory (several)",
    )


def _out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(f"provenance: {visible(text)}\n")
    sys.stderr.flush()


def _text_of(argument: str) -> str:
    from .draft.article import DEFAULT_MAX_BYTES, decode_article, read_article

    if argument == "-":
        raw = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
        return decode_article(raw, "<stdin>")
    return read_article(argument)


def _serialise(ledger: Ledger, fmt: str, name: str) -> str:
    text = files.dumps(ledger, fmt)
    if fmt == "toml":
        text = HEADER + text
    try:
        files.loads(text, fmt, name=name)
    except LedgerError as error:  # pragma: no cover - the drafter keeps every rule
        raise LedgerError(f"{name}: the draft does not read back: {error}") from error
    return text


def run(args: argparse.Namespace) -> int:
    """Draft each article; write or print the ledgers; return the exit status."""
    from .draft import AliasTable, Drafter, DraftError, detect_language
    from .draft.build import unique

    aliases = AliasTable.load(args.aliases) if args.aliases else None
    articles: list[str] = list(args.articles)
    if articles.count("-") > 1:
        raise DraftError("standard input ('-') can be read only once")
    output: str | None = args.output
    several = len(articles) > 1 or (output is not None and os.path.isdir(output))
    if several and output is None:
        raise DraftError("several articles need -o DIR (one ledger per article)")
    if several:
        assert output is not None
        if os.path.exists(output) and not os.path.isdir(output):
            raise DraftError(f"{output}: not a directory (several articles need -o DIR)")
        os.makedirs(output, exist_ok=True)
    fmt = "toml"
    if output is not None and not several:
        suffix = os.path.splitext(output)[1].lower()
        if suffix not in (".toml", ".json"):
            raise DraftError(f"{output}: name the output .toml or .json (or give a directory)")
        fmt = suffix[1:]
    drafters: dict[str, Drafter] = {}
    failed = False
    written: set[str] = set()
    for argument in articles:
        name = "<stdin>" if argument == "-" else argument
        try:
            text = _text_of(argument)
            lang = args.lang or detect_language(text)
            if lang is None:
                raise DraftError(
                    f"{name}: cannot tell the article's language (French or English); pass --lang"
                )
            if lang not in drafters:
                drafters[lang] = Drafter(lang, aliases)
            ledger = drafters[lang].draft(text, outlet=args.outlet, wire=args.wire, name=name)
            target = output
            if several:
                assert output is not None
                stem = os.path.splitext(os.path.basename(name))[0] or "article"
                target = os.path.join(output, unique(stem, written) + ".toml")
            document = _serialise(ledger, fmt, target or name)
            if target is None:
                _out(document)
            else:
                _write(target, document)
        except DraftError as error:
            if not several:
                raise
            failed = True
            _err(str(error))
        except (LedgerError, OSError) as error:
            if not several:
                raise
            failed = True
            _err(f"{name}: {error}")
    return 2 if failed else 0


def _write(path: str, text: str) -> None:
    from ._io import write_output

    write_output(path, text)
